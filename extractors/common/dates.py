"""Dates as sites print them: ISO 8601, RFC 822, Unix timestamps, English/Turkish/Russian month names.

:func:`parse_date` returns a timezone-aware ``datetime`` or ``None``; it never raises. Solar Hijri dates are
in :mod:`extractors.common.solar_hijri`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from extractors.common.text import clean_whitespace

__all__ = ["parse_date"]

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
#: Month-name stems, January first: English, Turkish, Russian (nominative and genitive share the stem).
_MONTH_STEMS = (
    "jan feb mar apr may jun jul aug sep oct nov dec".split(),  # noqa: SIM905
    "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık".split(),  # noqa: SIM905
    "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр".split(),  # noqa: SIM905
)
_MONTHS = {stem: number for stems in _MONTH_STEMS for number, stem in enumerate(stems, 1)}
_WORDY = re.compile(
    r"^(?:(?P<d1>\d{1,2})\.?\s+(?P<mon1>[^\W\d_]+)\.?,?\s+(?P<y1>\d{4})"
    r"|(?P<mon2>[^\W\d_]+)\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>\d{4}))"
    r"(?:\s*(?:г\.|года)?\s*(?:,|at|в|-|–)?\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?$",
    re.IGNORECASE,
)


def _tz_from(text: str | None, default_tz):
    if not text:
        return default_tz
    if text.upper() in {"Z", "UTC", "GMT"}:
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _month(word: str) -> int | None:
    word = word.lower()
    if word in _MONTHS:
        return _MONTHS[word]
    for stem, number in _MONTHS.items():
        if len(stem) >= 3 and word.startswith(stem):
            return number
    if word in {"мая", "май"}:
        return 5
    return None


def parse_date(value: str | None, default_tz=UTC) -> datetime | None:
    """Parse a date string to a timezone-aware ``datetime``; ``None`` if it cannot be read.

    Understands ISO 8601 (``2024-10-18T23:05:21+01:00``, ``…Z``, a date alone), the Drupal feed style with a
    space before the offset (``2024-10-18T23:05:21 +0100``), RFC 822 (``Fri, 18 Oct 2024 22:05:21 +0000``),
    Unix timestamps, and day-month-year with English, Turkish or Russian month names (``18 Ekim 2024``,
    ``18 октября 2024``). A value without an offset is taken to be in ``default_tz``.
    """
    if value is None:
        return None
    text = clean_whitespace(str(value))
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            frac = (m.group("f") or "0")[:6].ljust(6, "0")
            return datetime(
                int(m.group("y")),
                int(m.group("m")),
                int(m.group("d")),
                int(m.group("H") or 0),
                int(m.group("M") or 0),
                int(m.group("S") or 0),
                int(frac),
                tzinfo=_tz_from(m.group("tz"), default_tz),
            )
        except ValueError:
            return None
    if text.isdigit() and len(text) in (10, 13):
        return datetime.fromtimestamp(int(text[:10]), tz=UTC)
    if re.search(r"[A-Za-z]{3}", text) and re.search(r"\d{1,2}:\d{2}", text):
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None:
            return dt if dt.tzinfo else dt.replace(tzinfo=default_tz)
    m = _WORDY.match(text)
    if m:
        day = m.group("d1") or m.group("d2")
        month = _month(m.group("mon1") or m.group("mon2"))
        year = m.group("y1") or m.group("y2")
        if month:
            try:
                return datetime(
                    int(year),
                    month,
                    int(day),
                    int(m.group("H") or 0),
                    int(m.group("M") or 0),
                    tzinfo=default_tz,
                )
            except ValueError:
                return None
    return None
