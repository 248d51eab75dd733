"""Shared helpers for site extractors: selectors, meta tags, JSON-LD, dates, text and language links.

Every function takes an lxml element (usually the document root from :meth:`ArticleExtractor.parse`) and never
raises on missing data: absent things come back as ``None``, ``[]`` or ``{}``.

Selectors are CSS (a small, dependency-free subset: ``tag``, ``*``, ``#id``, ``.class``, ``[attr]``,
``[attr=v]``, ``[attr~=v]``, ``[attr^=v]``, ``[attr$=v]``, ``[attr*=v]``, descendant and ``>`` child
combinators, ``,`` groups) or XPath (anything starting with ``/``, ``./``, ``(`` or an axis such as
``descendant::``). Compile them once with :func:`compile_selector` and keep them as class attributes.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from lxml import etree

__all__ = [
    "ARTICLE_TYPES",
    "BLOCK_TAGS",
    "canonical_link",
    "clean_whitespace",
    "compile_selector",
    "decode_cfemail",
    "document_language",
    "hreflang_alternates",
    "json_ld_article",
    "json_ld_names",
    "json_ld_objects",
    "meta_content",
    "meta_contents",
    "parse_date",
    "pruned_copy",
    "remove_elements",
    "select",
    "select_one",
    "text_of",
]

# -- selectors -----------------------------------------------------------------------------------------

_XPATH_START = re.compile(r"^(?:/|\./|\.\./|\(|[a-z-]+::)")
_CSS_TOKEN = re.compile(
    r"""
    (?P<ws>\s*>\s*|\s+)                                   # combinator
  | (?P<tag>\*|[A-Za-z][A-Za-z0-9_-]*)                   # type selector
  | \#(?P<id>[A-Za-z0-9_-]+)                              # id
  | \.(?P<cls>[A-Za-z0-9_-]+)                             # class
  | \[\s*(?P<attr>[A-Za-z_:][A-Za-z0-9_:.-]*)\s*          # attribute
        (?:(?P<op>[~^$*|]?=)\s*(?P<val>"[^"]*"|'[^']*'|[^\]\s]+)\s*)?\]
    """,
    re.VERBOSE,
)


def _xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts = value.split("'")
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in parts) + ")"


def _css_compound_to_xpath(tag: str, conditions: list[str]) -> str:
    return tag + "".join(f"[{c}]" for c in conditions)


def _css_to_xpath(css: str) -> str:
    """Translate one CSS selector group (commas allowed) to an XPath expression."""
    groups = []
    for group in css.split(","):
        group = group.strip()
        if not group:
            raise ValueError(f"empty selector group in {css!r}")
        steps: list[str] = []
        axis = "descendant-or-self::"
        tag, conditions = "*", []
        pos = 0
        pending = False
        while pos < len(group):
            m = _CSS_TOKEN.match(group, pos)
            if not m or m.end() == pos:
                raise ValueError(f"unsupported CSS selector {css!r} at {group[pos:]!r}; use XPath instead")
            pos = m.end()
            if m.group("ws") is not None:
                steps.append(axis + _css_compound_to_xpath(tag, conditions))
                axis = "/" if ">" in m.group("ws") else "/descendant::"
                tag, conditions, pending = "*", [], False
                continue
            pending = True
            if m.group("tag"):
                tag = m.group("tag").lower() if m.group("tag") != "*" else "*"
            elif m.group("id"):
                conditions.append(f"@id={_xpath_literal(m.group('id'))}")
            elif m.group("cls"):
                conditions.append(
                    "contains(concat(' ', normalize-space(@class), ' '), "
                    f"{_xpath_literal(' ' + m.group('cls') + ' ')})"
                )
            else:
                attr, op, val = m.group("attr"), m.group("op"), m.group("val")
                if op is None:
                    conditions.append(f"@{attr}")
                    continue
                if val[:1] in "\"'":
                    val = val[1:-1]
                lit, spaced = _xpath_literal(val), _xpath_literal(f" {val} ")
                conditions.append(
                    {
                        "=": f"@{attr}={lit}",
                        "~=": f"contains(concat(' ', normalize-space(@{attr}), ' '), {spaced})",
                        "^=": f"starts-with(@{attr}, {lit})",
                        "$=": f"substring(@{attr}, string-length(@{attr}) - {len(val) - 1})={lit}",
                        "*=": f"contains(@{attr}, {lit})",
                        "|=": f"(@{attr}={lit} or starts-with(@{attr}, {_xpath_literal(val + '-')}))",
                    }[op]
                )
        if not pending:
            raise ValueError(f"selector {css!r} ends with a combinator")
        steps.append(axis + _css_compound_to_xpath(tag, conditions))
        groups.append("".join(steps))
    return " | ".join(groups)


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> etree.XPath:
    """Compile a CSS or XPath selector once; the result is callable on any element."""
    selector = selector.strip()
    expr = selector if _XPATH_START.match(selector) else _css_to_xpath(selector)
    return etree.XPath(expr)


def _compiled(selector: str | etree.XPath) -> etree.XPath:
    return selector if isinstance(selector, etree.XPath) else compile_selector(selector)


def select(root, selector: str | etree.XPath) -> list:
    """All elements under (and including) ``root`` matching ``selector``, in document order."""
    if root is None:
        return []
    return [e for e in _compiled(selector)(root) if isinstance(e, etree._Element)]


def select_one(root, selector: str | etree.XPath):
    """The first element matching ``selector``, or ``None``."""
    found = select(root, selector)
    return found[0] if found else None


def remove_elements(root, selectors: Iterable[str | etree.XPath]) -> int:
    """Remove the elements matching any selector from ``root`` in place (tail text kept); return the count."""
    removed = 0
    for selector in selectors:
        for el in select(root, selector):
            parent = el.getparent()
            if parent is None:
                continue
            tail = el.tail
            if tail:
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(el)
            removed += 1
    return removed


def pruned_copy(element, selectors: Iterable[str | etree.XPath]):
    """A deep copy of ``element`` without the matching elements (the parsed page stays untouched)."""
    clone = copy.deepcopy(element)
    clone.tail = None
    remove_elements(clone, selectors)
    return clone


# -- text ------------------------------------------------------------------------------------------------

#: Elements that start a new paragraph in :func:`text_of`.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre figure figcaption table tr section article "  # noqa: SIM905
    "aside header footer nav main address hr details summary".split()
)
_SKIP_TAGS = frozenset("script style noscript template iframe svg button form select textarea".split())  # noqa: SIM905
_BR = "\x00"  # marks a <br> while the paragraph's source newlines are still plain whitespace
_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_whitespace(text: str | None) -> str:
    """Collapse runs of whitespace (incl. no-break spaces) to one space and strip; U+200C is kept."""
    return _WS.sub(" ", text or "").strip()


def _tag(el) -> str:
    tag = el.tag
    return tag.lower().rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element, skip: Iterable[str | etree.XPath] = ()) -> str:
    """Text of ``element``: one paragraph per block element, joined by blank lines, whitespace normalised.

    ``<br>`` becomes a line break inside its paragraph; scripts, styles and forms are ignored; ``skip``
    selectors name further elements to leave out (the tree is not modified).
    """
    if element is None:
        return ""
    if skip:
        element = pruned_copy(element, skip)
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        lines = [clean_whitespace(line) for line in "".join(buf).split(_BR)]
        para = "\n".join(line for line in lines if line)
        if para:
            blocks.append(para)
        buf.clear()

    def walk(el) -> None:
        tag = _tag(el)
        if not tag or tag in _SKIP_TAGS:  # comments, processing instructions, skipped tags
            return
        if tag == "br":
            buf.append(_BR)
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return "\n\n".join(blocks)


def decode_cfemail(encoded: str) -> str:
    """Decode a Cloudflare ``data-cfemail`` hex string to the e-mail address it hides."""
    try:
        data = bytes.fromhex(encoded)
    except ValueError:
        return ""
    if not data:
        return ""
    key = data[0]
    return bytes(b ^ key for b in data[1:]).decode("utf-8", "replace")


# -- meta tags and links ------------------------------------------------------------------------------------

_META = etree.XPath(
    "//meta[translate(@property, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')=$key"
    " or translate(@name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')=$key"
    " or @itemprop=$key]/@content"
)


def meta_contents(tree, key: str) -> list[str]:
    """All non-empty ``content`` values of ``<meta name|property|itemprop=key>`` (name matched case-blind)."""
    if tree is None:
        return []
    values = (clean_whitespace(v) for v in _META(tree, key=key.lower()))
    return [v for v in values if v]


def meta_content(tree, *keys: str) -> str | None:
    """The first non-empty ``content`` of the first key that has one, e.g. ``meta_content(t, "og:title")``."""
    for key in keys:
        values = meta_contents(tree, key)
        if values:
            return values[0]
    return None


_CANONICAL = etree.XPath(
    "//link[contains(concat(' ', translate(normalize-space(@rel), 'CANONIL', 'canonil'), ' '),"
    " ' canonical ')]/@href"
)
_ALTERNATES = etree.XPath(
    "//link[contains(concat(' ', translate(normalize-space(@rel), 'ALTERN', 'altern'), ' '), ' alternate ')]"
    "[@hreflang][@href]"
)


def canonical_link(tree) -> str | None:
    """The ``href`` of ``<link rel="canonical">``, or ``None``."""
    if tree is None:
        return None
    for href in _CANONICAL(tree):
        href = href.strip()
        if href:
            return href
    return None


def hreflang_alternates(tree, *, primary_only: bool = True) -> dict[str, str]:
    """``{lang: url}`` from ``<link rel="alternate" hreflang>``; ``x-default`` is skipped.

    With ``primary_only`` (the default) region subtags are dropped and lower-cased (``tr-TR`` → ``tr``); the
    first link per language wins.
    """
    if tree is None:
        return {}
    out: dict[str, str] = {}
    for link in _ALTERNATES(tree):
        lang = link.get("hreflang", "").strip().lower().replace("_", "-")
        href = link.get("href", "").strip()
        if not lang or not href or lang == "x-default":
            continue
        if primary_only:
            lang = lang.split("-", 1)[0]
        out.setdefault(lang, href)
    return out


def document_language(tree) -> str | None:
    """The page's declared language as a lower-case primary subtag (``en-US`` → ``en``), or ``None``.

    Read from ``<html lang>``, then ``og:locale``, then ``<meta http-equiv="content-language">``.
    """
    if tree is None:
        return None
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta_content(tree, "og:locale"),
    ]
    candidates += root.xpath(
        "//meta[translate(@http-equiv, 'CONTELANGU', 'contelangu')='content-language']/@content"
    )
    for value in candidates:
        value = (value or "").strip().lower().replace("_", "-")
        if value:
            return value.split("-", 1)[0].split(",", 1)[0].strip() or None
    return None


# -- JSON-LD -------------------------------------------------------------------------------------------------

_JSON_LD = etree.XPath("//script[@type='application/ld+json']/text()")
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ScholarlyArticle",
        "Report",
        "TechArticle",
    }
)


def _flatten_ld(node, out: list[dict]) -> None:
    if isinstance(node, list):
        for item in node:
            _flatten_ld(item, out)
    elif isinstance(node, dict):
        out.append(node)
        if "@graph" in node:
            _flatten_ld(node["@graph"], out)


def json_ld_objects(tree) -> list[dict]:
    """Every JSON-LD object on the page, ``@graph`` and top-level lists flattened; bad JSON skipped."""
    if tree is None:
        return []
    out: list[dict] = []
    for raw in _JSON_LD(tree):
        try:
            data = json.loads(raw.strip().removeprefix("<!--").removesuffix("-->"))
        except ValueError:
            continue
        _flatten_ld(data, out)
    return out


def _types(obj: dict) -> set[str]:
    t = obj.get("@type", [])
    return {t} if isinstance(t, str) else {x for x in t if isinstance(x, str)}


def json_ld_article(tree, types: Iterable[str] = ARTICLE_TYPES) -> dict | None:
    """The first JSON-LD object whose ``@type`` is an article type (Article, NewsArticle, …), or ``None``."""
    wanted = set(types)
    for obj in json_ld_objects(tree):
        if _types(obj) & wanted:
            return obj
    return None


def json_ld_names(value) -> list[str]:
    """Names from a JSON-LD ``author``/``creator`` value: a string, a Person/Organization object or a list."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and clean_whitespace(name) and clean_whitespace(name) not in names:
            names.append(clean_whitespace(name))
    return names


# -- dates ---------------------------------------------------------------------------------------------------

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
