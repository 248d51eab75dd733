"""Solar Hijri (Hijri Shamsi) dates, as Afghan and Iranian sites print them, to Gregorian and back.

Pure arithmetic after the 33-year-cycle algorithm with the "breaks" table of jalaali-js (exact against the
astronomical calendar for the years 1–3177 SH). Afghanistan uses the zodiac month names (حمل … حوت), Iran the
Persian ones (فروردین … اسفند); both are understood, with Persian (۱۲۳), Arabic-Indic (١٢٣) or ASCII digits
and Arabic letter forms (ي, ك, ة) or a zero-width non-joiner anywhere in the string.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = [
    "AFGHAN_MONTHS",
    "IRANIAN_MONTHS",
    "gregorian_to_solar_hijri",
    "is_leap_year",
    "normalize_digits",
    "parse_solar_hijri_date",
    "solar_hijri_to_gregorian",
]

#: Afghan (Dari) month names, Hamal to Hut, in calendar order.
AFGHAN_MONTHS = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")
#: Iranian month names, Farvardin to Esfand, in calendar order.
IRANIAN_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)

# Years at which the 33-year leap pattern is re-anchored (jalaali-js).
_BREAKS = (
    -61,
    9,
    38,
    199,
    426,
    686,
    756,
    818,
    1111,
    1181,
    1210,
    1635,
    2060,
    2097,
    2192,
    2262,
    2324,
    2394,
    2456,
    3178,
)

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ء": None,
        "\u200c": None,
        "\u200d": None,
        "\u0640": None,
    }
)
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670]")


def _norm(word: str) -> str:
    return _DIACRITICS.sub("", word).translate(_LETTERS)


_MONTH_NUMBERS = {
    _norm(name): i for names in (AFGHAN_MONTHS, IRANIAN_MONTHS) for i, name in enumerate(names, 1)
}
_MONTH_NUMBERS[_norm("امرداد")] = 5
_MONTH_ALTERNATION = "|".join(sorted(map(re.escape, _MONTH_NUMBERS), key=len, reverse=True))
_WORDY = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s*(?:ماه\s*)?({_MONTH_ALTERNATION})(?:\s*ماه)?\s*(?:سال\s*)?(\d{{4}})(?!\d)"
)
_NUMERIC = re.compile(r"(?<!\d)(1[2-4]\d\d)[/\-.](\d{1,2})[/\-.](\d{1,2})(?!\d)")


def _div(a: int, b: int) -> int:
    """Integer division truncating toward zero (as the reference algorithm does)."""
    return int(a / b)


def _mod(a: int, b: int) -> int:
    return a - _div(a, b) * b


def _year_info(sh_year: int) -> tuple[int, int, int]:
    """``(leap, gregorian_year, march_day)``: leap is 0 in a leap year; 1 Hamal is March ``march_day``."""
    if not _BREAKS[0] <= sh_year < _BREAKS[-1]:
        raise ValueError(f"solar Hijri year {sh_year} is outside the supported range 1-3177")
    g_year = sh_year + 621
    leap_j = -14
    jp = _BREAKS[0]
    jump = 0
    for jm in _BREAKS[1:]:
        jump = jm - jp
        if sh_year < jm:
            break
        leap_j += _div(jump, 33) * 8 + _div(_mod(jump, 33), 4)
        jp = jm
    n = sh_year - jp
    leap_j += _div(n, 33) * 8 + _div(_mod(n, 33) + 3, 4)
    if _mod(jump, 33) == 4 and jump - n == 4:
        leap_j += 1
    leap_g = _div(g_year, 4) - _div((_div(g_year, 100) + 1) * 3, 4) - 150
    march = 20 + leap_j - leap_g
    if jump - n < 6:
        n = n - jump + _div(jump + 4, 33) * 33
    leap = _mod(_mod(n + 1, 33) - 1, 4)
    if leap == -1:
        leap = 4
    return leap, g_year, march


def is_leap_year(sh_year: int) -> bool:
    """Whether the solar Hijri year has 366 days (Hut/Esfand has 30 days)."""
    return _year_info(sh_year)[0] == 0


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian date of a solar Hijri date: ``(1403, 1, 1)`` → 2024-03-20; bad dates raise ValueError."""
    if not 1 <= month <= 12:
        raise ValueError(f"solar Hijri month must be 1-12, not {month}")
    leap, g_year, march = _year_info(year)
    length = 31 if month <= 6 else 30 if month <= 11 else (30 if leap == 0 else 29)
    if not 1 <= day <= length:
        raise ValueError(f"day {day} does not exist in month {month} of {year} SH ({length} days)")
    offset = (month - 1) * 31 - _div(month, 7) * (month - 7) + day - 1
    return date(g_year, 3, march) + timedelta(days=offset)


def gregorian_to_solar_hijri(value: date) -> tuple[int, int, int]:
    """``(year, month, day)`` in the solar Hijri calendar for a Gregorian date."""
    sh_year = value.year - 621
    leap, g_year, march = _year_info(sh_year)
    k = (value - date(g_year, 3, march)).days
    if k >= 0:
        if k <= 185:
            return sh_year, 1 + k // 31, k % 31 + 1
        k -= 186
    else:
        sh_year -= 1
        k += 179
        if leap == 1:  # the year before is a leap year: its Hut/Esfand has 30 days
            k += 1
    return sh_year, 7 + k // 30, k % 30 + 1


def normalize_digits(text: str) -> str:
    """Replace Persian and Arabic-Indic digits by ASCII digits."""
    return text.translate(_DIGITS)


def parse_solar_hijri_date(text: str | None) -> date | None:
    """Find a solar Hijri date in ``text`` and return it as a Gregorian date; ``None`` if there is none.

    Reads ``۲۸ قوس ۱۴۰۲``, ``28 Qaws``-style Dari/Iranian month names (``۱ فروردین ۱۴۰۳``), with optional
    ``ماه``/``سال`` and surrounding words (weekday, time), and numeric ``۱۴۰۲/۰۹/۲۸``.
    """
    if not text:
        return None
    normalized = _norm(normalize_digits(text))
    for match in _WORDY.finditer(normalized):
        day, month_name, year = match.groups()
        try:
            return solar_hijri_to_gregorian(int(year), _MONTH_NUMBERS[month_name], int(day))
        except ValueError:
            continue
    for match in _NUMERIC.finditer(normalized):
        year, month, day = (int(g) for g in match.groups())
        try:
            return solar_hijri_to_gregorian(year, month, day)
        except ValueError:
            continue
    return None
