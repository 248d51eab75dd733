"""Search the article index across languages, with filters and highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from newsmon.index.mapping import ANALYZERS

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
    fields = ["title^3", "text"] + [f"title_{lang_}^3" for lang_ in ANALYZERS] + [f"text_{lang_}" for lang_ in ANALYZERS]
    must = [{"multi_match": {"query": query, "fields": fields, "type": "best_fields"}}] if query else []
    filters = []
    for name, value in (("lang", lang), ("source", source), ("actors", actor), ("themes", theme)):
        if value:
            filters.append({"term": {name: value}})
    if since:
        filters.append({"range": {"published": {"gte": since}}})
    highlight_fields = {f: {} for f in ["text"] + [f"text_{lang_}" for lang_ in ANALYZERS]}
    if not query and (actor or theme):
        # No words to highlight: show the matched mentions' snippets instead.
        mention_filter = {"term": {"mentions.id": actor or theme}}
        must.append({"nested": {"path": "mentions", "query": mention_filter,
                                "inner_hits": {"size": 3, "_source": ["mentions.snippet", "mentions.surface"]}}})
    response = client.search(
        index=alias, query={"bool": {"must": must or [{"match_all": {}}], "filter": filters}}, size=size,
        sort=["_score", {"published": {"order": "desc", "missing": "_last"}}],
        highlight={"fields": highlight_fields, "fragment_size": 160, "number_of_fragments": 2,
                   "pre_tags": ["«"], "post_tags": ["»"]},
        source_excludes=["text", "text_*", "title_*", "footnotes"])
    hits = []
    for hit in response["hits"]["hits"]:
        src = hit["_source"]
        highlights = [frag for frags in hit.get("highlight", {}).values() for frag in frags]
        for inner in hit.get("inner_hits", {}).get("mentions", {}).get("hits", {}).get("hits", []):
            mention = inner["_source"]
            highlights.append(mention["snippet"].replace(mention["surface"], f"«{mention['surface']}»", 1))
        hits.append(SearchHit(id=hit["_id"], score=hit.get("_score"), title=src.get("title", ""),
                              url=src.get("canonical_url", ""), source=src.get("source", ""),
                              lang=src.get("lang", ""), published=src.get("published"),
                              actors=src.get("actors", []), themes=src.get("themes", []),
                              highlights=highlights[:3]))
    return response["hits"]["total"]["value"], hits
