"""``newsmon search``: the articles of a search (:func:`newsmon.index.queries.find_articles`) as :class:`SearchHit`s
whose highlights mark the matches with «guillemets»."""

from __future__ import annotations

from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from newsmon.index.queries import TEXT_FIELDS, find_articles

__all__ = ["SearchHit", "search_articles"]


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


def search_articles(client: Elasticsearch, alias: str, query: str = "", lang: str | None = None,
                    source: str | None = None, actor: str | None = None, theme: str | None = None,
                    since: str | None = None, size: int = 10) -> tuple[int, list[SearchHit]]:
    """Full-text search in every language's analysed fields plus filters; returns (total, hits)."""
    found = find_articles(client, alias, query, lang=lang, source=source, actor=actor, theme=theme, since=since,
                          size=size)
    hits = []
    for hit in found.hits:
        src = hit.source
        highlights = [fragment for name in TEXT_FIELDS for fragment in hit.highlight.get(name, [])]
        for mention in hit.mentions:
            highlights.append(mention["snippet"].replace(mention["surface"], f"«{mention['surface']}»", 1))
        hits.append(SearchHit(id=hit.id, score=hit.score, title=src.get("title", ""),
                              url=src.get("canonical_url", ""), source=src.get("source", ""),
                              lang=src.get("lang", ""), published=src.get("published"),
                              actors=src.get("actors", []), themes=src.get("themes", []), highlights=highlights[:3]))
    return found.total, hits
