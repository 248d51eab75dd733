"""Every read the product makes of the article index: search, story versions, the articles a rule selects, the
articles indexed since a moment, and the counts the monitor page, the demo and ``newsmon index stats`` show.

Callers get plain dicts (``{"_id": ..., **source}``) or small result objects, never Elasticsearch responses. A
missing index is not an error here: it reads as nothing indexed yet (``index_exists`` says which).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from elasticsearch import Elasticsearch, NotFoundError, helpers

from newsmon.index.mapping import ANALYZERS

__all__ = ["TAG_BOOST", "ArticleHit", "ArticleHits", "EventHits", "article_query", "articles_by_ids",
           "articles_indexed_since", "articles_matching", "copies_of", "daily_counts", "daily_mentions",
           "event_articles", "find_articles", "find_events", "index_summary", "source_article_stats",
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


#: What an article tagged with an actor or theme the query names scores for each such id, on top of its full-text
#: score: about what a strong match of a short query in title and text scores (BM25 gave 9 to a report with
#: "Moscow Format" in its title and text on the test corpus, 5.5 to "a new format for the Moscow metro"). So the
#: tagged reports in every language rank with, and mostly above, articles that merely share words with the query,
#: and the articles both tagged and matching the words come first.
TAG_BOOST = 10.0


def article_query(query: str = "", *, lang: str | None = None, source: str | None = None, actor: str | None = None,
                  theme: str | None = None, since: str | None = None, named_actors: Sequence[str] = (),
                  named_themes: Sequence[str] = ()) -> dict:
    """The query of a search: its words in every language's analysed title and text, or (``should``) an article
    tagged with one of ``named_actors``/``named_themes`` (the watchlist ids the words name, in any language:
    :mod:`newsmon.search_names`), each tag worth :data:`TAG_BOOST`; the other arguments filter."""
    should: list[dict] = [{"multi_match": {"query": query, "type": "best_fields",
                                           "fields": [f"{f}^3" for f in TITLE_FIELDS] + TEXT_FIELDS}}] \
        if query.strip() else []
    should += [{"constant_score": {"filter": {"term": {field: value}}, "boost": TAG_BOOST}}
               for field, values in (("actors", named_actors), ("themes", named_themes)) for value in values]
    filters: list[dict] = [{"term": {name: value}} for name, value in
                           (("lang", lang), ("source", source), ("actors", actor), ("themes", theme)) if value]
    if since:
        filters.append({"range": {"published": {"gte": since}}})
    if should:
        return {"bool": {"should": should, "minimum_should_match": 1, "filter": filters}}
    if actor or theme:  # no words to highlight: the matched mentions' snippets instead
        return {"bool": {"must": [{"nested": {"path": "mentions", "query": {"term": {"mentions.id": actor or theme}},
                                              "inner_hits": {"size": 3, "_source": ["mentions.snippet",
                                                                                    "mentions.surface"]}}}],
                         "filter": filters}}
    return {"bool": {"must": [{"match_all": {}}], "filter": filters}}


def _highlight(tags: tuple[str, str], highlight_titles: bool) -> dict:
    fields = {f: {} for f in TEXT_FIELDS}
    if highlight_titles:
        fields = {**{f: {"number_of_fragments": 0} for f in TITLE_FIELDS}, **fields}
    # max_analyzed_offset: highlight within the first 999,999 characters of a long text instead of failing the
    # whole search (Elasticsearch refuses to highlight past index.highlight.max_analyzed_offset, 1,000,000).
    return {"fields": fields, "fragment_size": 160, "number_of_fragments": 2, "pre_tags": [tags[0]],
            "post_tags": [tags[1]], "max_analyzed_offset": 999_999}


def _article_hit(hit: dict) -> ArticleHit:
    inner = hit.get("inner_hits", {}).get("mentions", {}).get("hits", {}).get("hits", [])
    return ArticleHit(hit["_id"], hit.get("_score"), hit["_source"], hit.get("highlight", {}),
                      [i["_source"] for i in inner])


def find_articles(client: Elasticsearch, alias: str, query: str = "", *, lang: str | None = None,
                  source: str | None = None, actor: str | None = None, theme: str | None = None,
                  since: str | None = None, size: int = 10, tags: tuple[str, str] = ("«", "»"),
                  highlight_titles: bool = False, named_actors: Sequence[str] = (),
                  named_themes: Sequence[str] = ()) -> ArticleHits:
    """The articles of :func:`article_query`, best first (newest first without words); each hit with its
    highlighted fragments (``tags`` around the matches)."""
    scored = bool(query.strip() or named_actors or named_themes)
    sort = (["_score"] if scored else []) + [{"published": {"order": "desc", "missing": "_last"}}]
    try:
        response = client.search(index=alias, size=size, sort=sort, track_total_hits=True,
                                 query=article_query(query, lang=lang, source=source, actor=actor, theme=theme,
                                                     since=since, named_actors=named_actors,
                                                     named_themes=named_themes),
                                 highlight=_highlight(tags, highlight_titles), source_excludes=LISTING_EXCLUDES)
    except NotFoundError:
        return ArticleHits(0, [], index_exists=False)
    return ArticleHits(response["hits"]["total"]["value"], [_article_hit(h) for h in response["hits"]["hits"]])


@dataclass
class EventHits:
    """The events whose articles match a search, best first, each with its best matching articles."""

    #: Events with at least one matching article.
    total: int
    #: Matching articles (in those events).
    articles: int
    #: (event id, its matching articles best first), best event first.
    events: list[tuple[str, list[ArticleHit]]]
    index_exists: bool = True


def find_events(client: Elasticsearch, alias: str, query: str = "", *, size: int = 10, per_event: int = 5,
                tags: tuple[str, str] = ("«", "»"), **filters) -> EventHits:
    """The events of a search (:func:`article_query` with ``filters``): its placed articles collapsed on
    ``event_id``, events ranked by their best article, each with up to ``per_event`` matching articles."""
    scored = bool(query.strip() or filters.get("named_actors") or filters.get("named_themes"))
    sort = (["_score"] if scored else []) + [{"published": {"order": "desc", "missing": "_last"}}]
    placed = {"bool": {"must": [article_query(query, **filters)], "filter": [{"exists": {"field": "event_id"}}]}}
    try:
        response = client.search(
            index=alias, size=size, query=placed, sort=sort, track_total_hits=True, source=False,
            collapse={"field": "event_id", "inner_hits": {
                "name": "matches", "size": per_event, "sort": sort, "highlight": _highlight(tags, False),
                "_source": {"excludes": LISTING_EXCLUDES}}},
            aggs={"events": {"cardinality": {"field": "event_id"}}})
    except NotFoundError:
        return EventHits(0, 0, [], index_exists=False)
    events = [(hit["fields"]["event_id"][0], [_article_hit(h) for h in hit["inner_hits"]["matches"]["hits"]["hits"]])
              for hit in response["hits"]["hits"]]
    return EventHits(response["aggregations"]["events"]["value"], response["hits"]["total"]["value"], events)


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


def daily_mentions(client: Elasticsearch, alias: str, *, days: int = 28, history_days: int = 14, top: int = 6,
                   now: datetime | None = None) -> dict:
    """Articles per UTC publication day tagged with each of the ``top`` actors and the ``top`` themes most
    articles were tagged with over the last ``days`` days, over those days and the ``history_days`` before
    them (near-duplicate copies left out: a copy is not another report).

    The last day is that of the newest article published by ``now`` (so a monitor whose sources went quiet, or
    a replayed archive, still shows its last weeks). Returns ``{"days": [ISO day, history first], "actors":
    {id: [count per day]}, "themes": {...}}``; no days when nothing is indexed.
    """
    now = now or datetime.now(UTC)
    originals = {"bool": {"must_not": [{"exists": {"field": "duplicate_of"}}]}}
    try:
        newest = client.search(index=alias, size=0, query={"bool": {"filter": [
            originals, {"range": {"published": {"lte": _iso(now)}}}]}},
            aggs={"newest": {"max": {"field": "published"}}})["aggregations"]["newest"].get("value_as_string")
    except NotFoundError:
        newest = None
    if not newest:
        return {"days": [], "actors": {}, "themes": {}}
    end = datetime.fromisoformat(newest.replace("Z", "+00:00")).astimezone(UTC).date()
    first, start = end - timedelta(days=days + history_days - 1), end - timedelta(days=days - 1)
    shown = [(first + timedelta(days=n)).isoformat() for n in range(days + history_days)]

    def published(since, until) -> dict:
        return {"range": {"published": {"gte": since.isoformat(), "lt": (until + timedelta(days=1)).isoformat(),
                                        "time_zone": "UTC"}}}

    kinds = ("actors", "themes")
    response = client.search(index=alias, size=0, query={"bool": {"filter": [originals, published(start, end)]}},
                             aggs={kind: {"terms": {"field": kind, "size": top}} for kind in kinds})
    ids = {kind: [b["key"] for b in response["aggregations"][kind]["buckets"]] for kind in kinds}
    per_day = {"date_histogram": {"field": "published", "calendar_interval": "day", "time_zone": "UTC",
                                  "min_doc_count": 0, "format": "yyyy-MM-dd",
                                  "extended_bounds": {"min": shown[0], "max": shown[-1]}}}
    aggs = {kind: {"terms": {"field": kind, "include": ids[kind], "size": len(ids[kind])}, "aggs": {"days": per_day}}
            for kind in kinds if ids[kind]}
    buckets = client.search(index=alias, size=0, query={"bool": {"filter": [originals, published(first, end)]}},
                            aggs=aggs)["aggregations"] if aggs else {}
    series: dict = {"days": shown}
    for kind in kinds:
        counts = {b["key"]: {d["key_as_string"]: d["doc_count"] for d in b["days"]["buckets"]}
                  for b in buckets.get(kind, {}).get("buckets", [])}
        series[kind] = {entry: [counts.get(entry, {}).get(day, 0) for day in shown] for entry in ids[kind]}
    return series
