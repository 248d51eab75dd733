"""JSON-LD (``<script type="application/ld+json">``) on a page: every object, the article, author names.

Bad JSON is skipped and absent data comes back as ``None`` or ``[]``; nothing here raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from lxml import etree

from extractors.common.text import clean_whitespace

__all__ = ["ARTICLE_TYPES", "json_ld_article", "json_ld_names", "json_ld_objects"]

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
