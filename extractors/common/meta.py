"""Metadata a page declares in its ``<head>``: meta tags, the canonical link, hreflang alternates, language.

Every function takes an lxml element (usually the document root from :meth:`ArticleExtractor.parse`) and never
raises on missing data: absent things come back as ``None``, ``[]`` or ``{}``.
"""

from __future__ import annotations

from lxml import etree

from extractors.common.text import clean_whitespace

__all__ = ["canonical_link", "document_language", "hreflang_alternates", "meta_content", "meta_contents"]

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
