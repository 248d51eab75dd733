"""Search for the monitor page: the top articles with highlighted matches, and the same search in Kibana.

:func:`search_hits` runs a full-text search over every language's analysed title and text, plus the articles tagged
with the watchlist actors and themes its words name in any language (as ``newsmon search`` does:
:mod:`newsmon.search_names`), and returns each hit's title, highlight fragments and watchlist mentions (those of
the named ids first) as segments (:mod:`newsmon.monitor.marks`), never as HTML. :func:`kibana_discover_url` builds
the Discover link for the same query, on the data view that ``scripts/make_kibana_objects.py`` ships.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from urllib.parse import quote

from elasticsearch import Elasticsearch

from newsmon.index.queries import TEXT_FIELDS, TITLE_FIELDS, find_articles
from newsmon.kibana.objects import DATA_VIEW_ID, SEARCH_COLUMNS, kql_any
from newsmon.monitor.marks import POST, PRE, mark_surface, plain, segments_from_highlight, segments_html

__all__ = ["KIBANA_TIME_FROM", "discover_url", "kibana_discover_url", "kql_for", "search_hits"]

#: Discover opens on this time range (Kibana's own default, the last 15 minutes, would hide the archive).
KIBANA_TIME_FROM = "now-10y"
_KQL_SPECIAL = re.compile(r'([\\():<>"*{}])')
_KQL_KEYWORDS = {"and", "or", "not"}
_MAX_MENTIONS = 3


def kql_for(query: str, lang: str | None = None, named_actors: Sequence[str] = (),
            named_themes: Sequence[str] = ()) -> str:
    """KQL for the words of ``query`` (special characters escaped, ``and``/``or``/``not`` taken as words) or the
    articles tagged with ``named_actors``/``named_themes``, restricted to ``lang`` if given."""
    words = []
    for word in query.split():
        escaped = _KQL_SPECIAL.sub(r"\\\1", word)
        words.append(f'"{escaped}"' if word.lower() in _KQL_KEYWORDS else escaped)
    found = [" ".join(words)] if words else []
    found += [kql_any(field, list(ids)) for field, ids in (("actors", named_actors), ("themes", named_themes)) if ids]
    parts = [" or ".join(f"({p})" if len(found) > 1 else p for p in found)] if found else []
    if lang:
        escaped_lang = _KQL_SPECIAL.sub(r"\\\1", lang)
        parts.append(f'lang : "{escaped_lang}"')
    return " and ".join(f"({p})" if len(parts) > 1 else p for p in parts)


def _rison(value: str) -> str:
    """A Rison string literal (the encoding of Kibana's URL state)."""
    return "'" + value.replace("!", "!!").replace("'", "!'") + "'"


def kibana_discover_url(kibana_url: str, query: str, lang: str | None = None,
                        time_from: str = KIBANA_TIME_FROM, named_actors: Sequence[str] = (),
                        named_themes: Sequence[str] = ()) -> str:
    """The Kibana Discover URL showing the articles of ``query`` (and ``lang``), newest first."""
    return discover_url(kibana_url, kql_for(query, lang, named_actors, named_themes), time_from=time_from)


def discover_url(kibana_url: str, kql: str, columns: Sequence[str] = SEARCH_COLUMNS,
                 time_from: str = KIBANA_TIME_FROM) -> str:
    """The Kibana Discover URL of the articles ``kql`` selects, with ``columns``, newest first."""
    shown = ",".join(columns)
    app_state = (f"(columns:!({shown}),index:{_rison(DATA_VIEW_ID)},"
                 f"query:(language:kuery,query:{_rison(kql)}),sort:!(!(published,desc)))")
    global_state = f"(time:(from:{time_from},to:now))"
    safe = "(),:!'*-_.~"
    return (f"{kibana_url.rstrip('/')}/app/discover#/?_g={quote(global_state, safe=safe)}"
            f"&_a={quote(app_state, safe=safe)}")


def _fragments(highlight: dict, fields: list[str], limit: int) -> list[list[dict]]:
    """Up to ``limit`` distinct fragments from the first of ``fields`` that has any, then the next ones."""
    found: list[list[dict]] = []
    seen: set[str] = set()
    for name in fields:
        for fragment in highlight.get(name, []):
            segments = segments_from_highlight(fragment)
            key = "".join(s["text"] for s in segments).strip()
            if key and key not in seen:
                seen.add(key)
                found.append(segments)
    return found[:limit]


def _mentions(source: dict, query: str, named: Collection[str] = ()) -> list[dict]:
    """The first mention of each actor or theme (up to three; those of the ``named`` ids, then those whose
    surface or id contains a word of ``query``, first), its snippet with the surface marked."""
    words = [w.casefold() for w in query.split() if len(w) >= 3]

    def relevant(mention: dict) -> int:
        names = f"{mention.get('surface') or ''} {mention.get('id') or ''}".casefold()
        return 2 if mention.get("id") in named else 1 if any(w in names for w in words) else 0

    shown, seen = [], set()
    for mention in sorted(source.get("mentions") or [], key=lambda m: -relevant(m)):
        if mention.get("id") in seen:
            continue
        seen.add(mention.get("id"))
        segments = mark_surface(mention.get("snippet") or "", mention.get("surface") or "")
        shown.append({"id": mention.get("id"), "kind": mention.get("kind"), "surface": mention.get("surface"),
                      "segments": segments, "html": segments_html(segments)})
        if len(shown) == _MAX_MENTIONS:
            break
    return shown


def search_hits(client: Elasticsearch, alias: str, query: str = "", lang: str | None = None,
                size: int = 10, named_actors: Sequence[str] = (), named_themes: Sequence[str] = ()) -> dict:
    """The top ``size`` articles for ``query`` (and the articles tagged with the ids it names) in ``lang`` (all
    languages if ``None``; newest first if there is no query). Returns ``{"total": n, "hits": [...]}``; each hit
    has ``title_segments``, ``highlights`` (each ``{"segments", "html"}``) and ``mentions``; ``html`` is escaped
    text with only ``<mark>`` tags."""
    found = find_articles(client, alias, query, lang=lang, size=size, tags=(PRE, POST), highlight_titles=True,
                          named_actors=named_actors, named_themes=named_themes)
    named = {*named_actors, *named_themes}
    if not found.index_exists:
        return {"total": 0, "hits": [], "index_exists": False}
    hits = []
    for hit in found.hits:
        src, marks = hit.source, hit.highlight
        titles = _fragments(marks, TITLE_FIELDS, 1)
        title = titles[0] if titles else plain(src.get("title") or "")
        highlights = [{"segments": s, "html": segments_html(s)} for s in _fragments(marks, TEXT_FIELDS, 3)]
        hits.append({"id": hit.id, "score": hit.score, "title": src.get("title") or "",
                     "title_segments": title, "title_html": segments_html(title),
                     "url": src.get("canonical_url") or src.get("url"), "source": src.get("source"),
                     "lang": src.get("lang"), "published": src.get("published"), "actors": src.get("actors", []),
                     "themes": src.get("themes", []), "highlights": highlights, "mentions": _mentions(src, query, named)})
    return {"total": found.total, "hits": hits, "index_exists": True}
