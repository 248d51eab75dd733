"""Article metadata most CMSs publish the same way: dates in ``article:*_time`` meta or JSON-LD, and authors
in JSON-LD plus a visible byline. Site extractors call these instead of repeating them."""

from __future__ import annotations

from datetime import datetime

from extractors.common.css import select
from extractors.common.dates import parse_date
from extractors.common.json_ld import json_ld_article, json_ld_names
from extractors.common.meta import meta_content
from extractors.common.text import clean_whitespace

__all__ = ["byline_authors", "meta_modified", "meta_published"]


def meta_published(tree) -> datetime | None:
    """``article:published_time``, else the JSON-LD article's ``datePublished``."""
    return parse_date(meta_content(tree, "article:published_time")) or parse_date(
        (json_ld_article(tree) or {}).get("datePublished"))


def meta_modified(tree) -> datetime | None:
    """``article:modified_time``, else the JSON-LD article's ``dateModified``."""
    return parse_date(meta_content(tree, "article:modified_time")) or parse_date(
        (json_ld_article(tree) or {}).get("dateModified"))


def byline_authors(tree, byline) -> list[str]:
    """JSON-LD author names, then any other names in the elements the ``byline`` selector finds."""
    names = json_ld_names((json_ld_article(tree) or {}).get("author", []))
    for element in select(tree, byline):
        name = clean_whitespace(element.text_content())
        if name and name not in names:
            names.append(name)
    return names
