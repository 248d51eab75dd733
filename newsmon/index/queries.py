"""Every read the product makes of the article index: search, story versions, the articles a rule selects, the
articles indexed since a moment, and the counts the monitor page, the demo and ``newsmon index stats`` show.

Callers get plain dicts (``{"_id": ..., **source}``) or small result objects, never Elasticsearch responses. A
missing index is not an error here: it reads as nothing indexed yet (``index_exists`` says which).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from elasticsearch import Elasticsearch, NotFoundError, helpers

from newsmon.index.mapping import ANALYZERS

__all__ = ["ArticleHit", "ArticleHits", "articles_by_ids", "articles_indexed_since", "articles_matching", "copies_of",
           "daily_counts", "event_articles", "find_articles", "index_summary", "source_article_stats",
           "story_versions"]

#: What a listing of articles leaves out of each document: the bodies, their analysed copies, footnotes.
LISTING_EXCLUDES = ["text", "text_*", "title_*", "footnotes", "translations"]
TEXT_FIELDS = [f"text_{code}" for code in ANALYZERS] + ["text"]
TITLE_FIELDS = [f"title_{code}" for code in ANALYZERS] + ["title"]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _buckets(agg: dict) -> dict[str, int]:
    return {b["key"]: b["doc_count"] for b in agg["buckets"]}


# -- search -----------------------------------------------------------------------------------------------
@dataclass
class ArticleHit:
    id: str
    score: float | None
    #: The document without its bodies (see :data:`LISTING_EXCLUDES`).
    source: dict
    #: Field → highlighted fragments, marked with the tags the search asked for.
    highlight: dict[str, list[str]] = field(default_factory=dict)
    #: Mentions of the searched actor or theme (when the search has no words to highlight).
    mentions: list[dict] = field(default_factory=list)


@dataclass
class ArticleHits:
    total: int
    hits: list[ArticleHit]
    index_exists: bool = True


def find_articles(client: Elasticsearch, alias: str, query: str = "", *, lang: str | None = None,
                  source: str | None = None, actor: str | None = None, theme: str | None = None,
                  since: str | None = None, size: int = 10, tags: tuple[str, str] = ("«", "»"),
                  highlight_titles: bool = False) -> ArticleHits:
    """Full-text search over every language's analysed title and text plus filters, best first (newest first
    without words); each hit with its highlighted fragments (``tags`` around the matches)."""
    must = [{"multi_match": {"query": query, "type": "best_fields",
                             "fields": [f"{f}^3" for f in TITLE_FIELDS] + TEXT_FIELDS}}] if query.strip() else []
    filters = [{"term": {name: value}} for name, value in
               (("lang", lang), ("source", source), ("actors", actor), ("themes", theme)) if value]
    if since:
        filters.append({"range": {"published": {"gte": since}}})
    if not must and (actor or theme):  # no words to highlight: the matched mentions' snippets instead
        must.append({"nested": {"path": "mentions", "query": {"term": {"mentions.id": actor or theme}},
                                "inner_hits": {"size": 3, "_source": ["mentions.snippet", "mentions.surface"]}}})
    fields = {f: {} for f in TEXT_FIELDS}
    if highlight_titles:
        fields = {**{f: {"number_of_fragments": 0} for f in TITLE_FIELDS}, **fields}
    # max_analyzed_offset: highlight within the first 999,999 characters of a long text instead of failing the
    # whole search (Elasticsearch refuses to highlight past index.highlight.max_analyzed_offset, 1,000,000).
    highlight = {"fields": fields, "fragment_size": 160, "number_of_fragments": 2, "pre_tags": [tags[0]],
                 "post_tags": [tags[1]], "max_analyzed_offset": 999_999}
    sort = (["_score"] if query.strip() else []) + [{"published": {"order": "desc", "missing": "_last"}}]
    try:
        response = client.search(index=alias, query={"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
                                 size=size, sort=sort, highlight=highlight, track_total_hits=True,
                                 source_excludes=LISTING_EXCLUDES)
    except NotFoundError:
        return ArticleHits(0, [], index_exists=False)
    hits = []
    for hit in response["hits"]["hits"]:
        inner = hit.get("inner_hits", {}).get("mentions", {}).get("hits", {}).get("hits", [])
        hits.append(ArticleHit(hit["_id"], hit.get("_score"), hit["_source"], hit.get("highlight", {}),
                               [i["_source"] for i in inner]))
    return ArticleHits(response["hits"]["total"]["value"], hits)


# -- stories, rules, pending work -------------------------------------------------------------------------
def story_versions(client: Elasticsearch, alias: str, story_ids: list[str], doc_ids: list[str] = ()) -> list[dict]:
    """The indexed language versions of the stories ``story_ids`` (and the articles ``doc_ids``), without bodies."""
    if not story_ids and not doc_ids:
        return []
    try:
        response = client.search(index=alias, size=min(20 * len(story_ids) + len(doc_ids), 10_000),
                                 source_excludes=LISTING_EXCLUDES, query={"bool": {"should": [
                                     {"ids": {"values": list(doc_ids)}}, {"terms": {"story_id": list(story_ids)}}]}})
    except NotFoundError:
        return []
    return [{"_id": hit["_id"], **hit["_source"]} for hit in response["hits"]["hits"]]


def articles_by_ids(client: Elasticsearch, alias: str, ids: list[str]) -> list[dict]:
    """The articles ``ids`` (those still indexed), in that order, without bodies."""
    if not ids:
        return []
    try:
        found = client.search(index=alias, size=len(ids), source_excludes=LISTING_EXCLUDES,
                              query={"ids": {"values": list(ids)}})
    except NotFoundError:
        return []
    by_id = {hit["_id"]: {"_id": hit["_id"], **hit["_source"]} for hit in found["hits"]["hits"]}
    return [by_id[i] for i in ids if i in by_id]


def copies_of(client: Elasticsearch, alias: str, ids: list[str]) -> list[dict]:
    """The near-duplicates indexed of the articles ``ids`` (``duplicate_of`` one of them), without bodies."""
    if not ids:
        return []
    try:
        found = client.search(index=alias, size=1000, source_excludes=LISTING_EXCLUDES,
                              query={"terms": {"duplicate_of": list(ids)}}, sort=[{"indexed_at": "asc"}])
    except NotFoundError:
        return []
    return [{"_id": hit["_id"], **hit["_source"]} for hit in found["hits"]["hits"]]


def event_articles(client: Elasticsearch, alias: str, event_ids: list[str], size: int = 1000) -> list[dict]:
    """The articles of the events ``event_ids``, oldest first, without bodies."""
    if not event_ids:
        return []
    try:
        found = client.search(index=alias, size=size, source_excludes=LISTING_EXCLUDES,
                              query={"terms": {"event_id": list(event_ids)}},
                              sort=[{"published": {"order": "asc", "missing": "_last"}}, {"indexed_at": "asc"}])
    except NotFoundError:
        return []
    return [{"_id": hit["_id"], **hit["_source"]} for hit in found["hits"]["hits"]]


def articles_matching(client: Elasticsearch, alias: str, query: dict, fields: list[str]) -> Iterator[dict]:
    """Every article ``query`` selects (a scan), with ``fields`` only."""
    for hit in helpers.scan(client, index=alias, query={"query": query}, source=fields, size=500):
        yield {"_id": hit["_id"], **hit["_source"]}


def articles_indexed_since(client: Elasticsearch, alias: str, since: str | None, batch: int = 500) -> list[dict]:
    """Articles indexed at or after ``since`` (every article if ``None``), oldest first, without their bodies'
    analysed copies — the documents alerting percolates."""
    query = {"range": {"indexed_at": {"gte": since}}} if since else {"match_all": {}}
    found, search_after = [], None
    while True:
        response = client.search(index=alias, query=query, size=batch, search_after=search_after,
                                 sort=[{"indexed_at": "asc"}, {"canonical_url": "asc"}],
                                 source_excludes=["text_*", "title_*"])
        hits = response["hits"]["hits"]
        found += [{"_id": h["_id"], **h["_source"]} for h in hits]
        if len(hits) < batch:
            return found
        search_after = hits[-1]["sort"]


# -- counts -----------------------------------------------------------------------------------------------
def index_summary(client: Elasticsearch, alias: str) -> dict:
    """Articles in total, per source and language, the most frequent actors and themes, events and copies."""
    response = client.search(index=alias, size=0, aggs={
        "sources": {"terms": {"field": "source", "size": 100},
                    "aggs": {"langs": {"terms": {"field": "lang", "size": 20}}}},
        "actors": {"terms": {"field": "actors", "size": 10}},
        "themes": {"terms": {"field": "themes", "size": 12}},
        "events": {"cardinality": {"field": "event_id"}},
        "duplicates": {"filter": {"exists": {"field": "duplicate_of"}}}})
    aggs = response["aggregations"]
    return {"total": response["hits"]["total"]["value"],
            "by_source": {b["key"]: _buckets(b["langs"]) for b in aggs["sources"]["buckets"]},
            "actors": _buckets(aggs["actors"]), "themes": _buckets(aggs["themes"]),
            "events": aggs["events"]["value"], "duplicates": aggs["duplicates"]["doc_count"]}


def source_article_stats(client: Elasticsearch, alias: str, now: datetime, baseline_days: int) -> dict[str, dict]:
    """Source → articles in 24 h / 7 days by language (by ``indexed_at``), by language overall, total, the newest
    publication day, and its publication days over the ``baseline_days`` before that (``publication_days``).

    Raises ``NotFoundError`` when the index does not exist.
    """
    langs = {"terms": {"field": "lang", "size": 20}}
    response = client.search(index=alias, size=0, aggs={"sources": {
        "terms": {"field": "source", "size": 10000},
        "aggs": {"day": {"filter": {"range": {"indexed_at": {"gte": _iso(now - timedelta(hours=24))}}},
                         "aggs": {"langs": langs}},
                 "week": {"filter": {"range": {"indexed_at": {"gte": _iso(now - timedelta(days=7))}}},
                          "aggs": {"langs": langs}},
                 "all": langs,
                 "past": {"filter": {"range": {"published": {"lte": _iso(now)}}},
                          "aggs": {"newest": {"max": {"field": "published"}}}}}}})
    stats: dict[str, dict] = {}
    for bucket in response["aggregations"]["sources"]["buckets"]:
        stats[bucket["key"]] = {"articles_24h": _buckets(bucket["day"]["langs"]),
                                "articles_7d": _buckets(bucket["week"]["langs"]),
                                "articles_by_lang": _buckets(bucket["all"]), "articles_total": bucket["doc_count"],
                                "newest_published": bucket["past"]["newest"].get("value_as_string"),
                                "publication_days": []}
    with_newest = [name for name, s in stats.items() if s["newest_published"]]
    searches: list[dict] = []
    for name in with_newest:
        newest = datetime.fromisoformat(stats[name]["newest_published"].replace("Z", "+00:00"))
        searches += [{"index": alias}, {"size": 0, "query": {"bool": {"filter": [
            {"term": {"source": name}},
            {"range": {"published": {"gte": _iso(newest - timedelta(days=baseline_days)), "lte": _iso(newest)}}}]}},
            "aggs": {"days": {"date_histogram": {"field": "published", "calendar_interval": "day",
                                                  "min_doc_count": 1}}}}]
    answers = client.msearch(searches=searches)["responses"] if searches else []
    for name, answer in zip(with_newest, answers):
        stats[name]["publication_days"] = [
            datetime.fromtimestamp(b["key"] / 1000, UTC).date()
            for b in answer.get("aggregations", {}).get("days", {}).get("buckets", [])]
    return stats


def daily_counts(client: Elasticsearch, alias: str, days: int = 14, now: datetime | None = None) -> list[dict]:
    """Articles that came in (``indexed_at``) per UTC day and language over the last ``days`` days, newest
    first: ``[{"day": "YYYY-MM-DD", "total": n, "counts": {"en": n, ...}}]`` (days without articles left out).
    An index that does not exist yet has none."""
    now = now or datetime.now(UTC)
    start = datetime.combine(now.date() - timedelta(days=days - 1), datetime.min.time(), UTC)
    try:
        response = client.search(index=alias, size=0, query={"range": {"indexed_at": {"gte": _iso(start)}}},
                                 aggs={"days": {"date_histogram": {"field": "indexed_at", "calendar_interval": "day",
                                                                   "min_doc_count": 1, "order": {"_key": "desc"}},
                                                "aggs": {"langs": {"terms": {"field": "lang", "size": 20}}}}})
    except NotFoundError:
        return []
    return [{"day": datetime.fromtimestamp(b["key"] / 1000, UTC).date().isoformat(), "total": b["doc_count"],
             "counts": _buckets(b["langs"])} for b in response["aggregations"]["days"]["buckets"]]
