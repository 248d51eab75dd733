"""``newsmon search``: the articles of a search (:func:`newsmon.index.queries.find_articles`) as :class:`SearchHit`s
whose highlights mark the matches with «guillemets», or its events (:func:`newsmon.index.queries.find_events`) as
:class:`EventResult`s, each with its matching articles.

``named_actors`` and ``named_themes`` are the watchlist ids the query's words name in any language
(:mod:`newsmon.search_names`): the articles tagged with them are found too, in every language, and a hit that has
no highlighted words shows the snippet of its mention of them instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from newsmon.index.event_queries import events_by_ids
from newsmon.index.queries import TEXT_FIELDS, ArticleHit, find_articles, find_events

__all__ = ["EventResult", "SearchHit", "search_articles", "search_events"]

_MAX_HIGHLIGHTS = 3


@dataclass
class SearchHit:
    id: str
    score: float | None
    title: str
    url: str
    source: str
    lang: str
    published: str | None
    actors: list[str]
    themes: list[str]
    highlights: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class EventResult:
    """An event with articles that match a search: what the event is, and those articles, best first."""

    id: str
    title: str
    titles: dict[str, str]
    first_seen: str | None
    last_seen: str | None
    languages: list[str]
    sources: list[str]
    article_count: int
    matches: list[SearchHit] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k != "matches"},
                "matches": [hit.to_dict() for hit in self.matches]}


def _marked(mention: dict) -> str:
    return mention["snippet"].replace(mention["surface"], f"«{mention['surface']}»", 1)


def _search_hit(hit: ArticleHit, named: set[str]) -> SearchHit:
    src = hit.source
    highlights = [fragment for name in TEXT_FIELDS for fragment in hit.highlight.get(name, [])]
    highlights += [_marked(mention) for mention in hit.mentions]
    if not highlights and named:  # found by its tags: the evidence for them
        shown: set[str] = set()
        for mention in src.get("mentions") or []:
            if mention.get("id") in named and mention["id"] not in shown and mention.get("snippet"):
                shown.add(mention["id"])
                highlights.append(_marked(mention))
    return SearchHit(id=hit.id, score=hit.score, title=src.get("title", ""), url=src.get("canonical_url", ""),
                     source=src.get("source", ""), lang=src.get("lang", ""), published=src.get("published"),
                     actors=src.get("actors", []), themes=src.get("themes", []),
                     highlights=highlights[:_MAX_HIGHLIGHTS])


def search_articles(client: Elasticsearch, alias: str, query: str = "", lang: str | None = None,
                    source: str | None = None, actor: str | None = None, theme: str | None = None,
                    since: str | None = None, size: int = 10, *, named_actors: Sequence[str] = (),
                    named_themes: Sequence[str] = ()) -> tuple[int, list[SearchHit]]:
    """Full-text search in every language's analysed fields, plus the articles tagged with the named ids, and
    filters; returns (total, hits)."""
    found = find_articles(client, alias, query, lang=lang, source=source, actor=actor, theme=theme, since=since,
                          size=size, named_actors=named_actors, named_themes=named_themes)
    named = {*named_actors, *named_themes}
    return found.total, [_search_hit(hit, named) for hit in found.hits]


def search_events(client: Elasticsearch, alias: str, query: str = "", lang: str | None = None,
                  source: str | None = None, actor: str | None = None, theme: str | None = None,
                  since: str | None = None, size: int = 10, *, per_event: int = 5, named_actors: Sequence[str] = (),
                  named_themes: Sequence[str] = ()) -> tuple[int, list[EventResult]]:
    """The events whose articles the search finds, ranked by their best article; returns (events in all, the
    first ``size`` events with up to ``per_event`` matching articles each)."""
    found = find_events(client, alias, query, size=size, per_event=per_event, lang=lang, source=source, actor=actor,
                        theme=theme, since=since, named_actors=named_actors, named_themes=named_themes)
    events = events_by_ids(client, alias, [event_id for event_id, _ in found.events])
    named = {*named_actors, *named_themes}
    results = []
    for event_id, hits in found.events:
        event = events.get(event_id) or {}  # an event document not written yet: what its articles say
        results.append(EventResult(
            id=event_id, title=event.get("title") or (hits[0].source.get("title", "") if hits else ""),
            titles=event.get("titles") or {}, first_seen=event.get("first_seen"), last_seen=event.get("last_seen"),
            languages=event.get("languages") or [], sources=event.get("sources") or [],
            article_count=event.get("article_count") or 0, matches=[_search_hit(hit, named) for hit in hits]))
    return found.total, results
