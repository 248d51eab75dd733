"""The Elasticsearch mapping of articles: per-language analysed text, keyword facets, nested mentions."""

from __future__ import annotations

from newsmon.languages import PROFILES

__all__ = ["ANALYZERS", "MAPPING_VERSION", "article_mapping", "index_settings"]

#: Bump when the mapping changes, then run ``newsmon index migrate``.
MAPPING_VERSION = 3  # 2: no alert_status (alert state lives in the alerts' own indices); 3: event_id, duplicate_of

#: Elasticsearch's built-in analyzer for each language the monitor reads (from the language table).
ANALYZERS = {p.code: p.analyzer for p in PROFILES}


def article_mapping() -> dict:
    """Field mappings shared by the article index and the alert-rule (percolator) index."""
    keyword = {"type": "keyword"}
    properties: dict[str, dict] = {
        "url": keyword, "canonical_url": keyword, "source": keyword, "lang": keyword,
        "lang_confidence": {"type": "float"}, "declared_lang": keyword, "extractor": keyword,
        "title": {"type": "text", "analyzer": "standard", "fields": {"raw": {"type": "keyword", "ignore_above": 512}}},
        "text": {"type": "text", "analyzer": "standard"},
        "published": {"type": "date"}, "modified": {"type": "date"}, "fetched_at": {"type": "date"},
        "indexed_at": {"type": "date"},
        "authors": keyword, "section": keyword, "story_id": keyword, "paywalled": {"type": "boolean"},
        "translations": {"type": "object", "enabled": False}, "translation_urls": keyword,
        "footnotes": {"type": "text", "index": False},
        "actors": keyword, "themes": keyword,
        # the event the article reports and, for a copy, the article it copies (newsmon.index.events_store)
        "event_id": keyword, "duplicate_of": keyword,
        "mentions": {"type": "nested", "properties": {
            "id": keyword, "kind": keyword, "surface": keyword, "start": {"type": "integer"},
            "end": {"type": "integer"}, "snippet": {"type": "text", "analyzer": "standard"}}},
    }
    for lang, analyzer in ANALYZERS.items():
        properties[f"title_{lang}"] = {"type": "text", "analyzer": analyzer}
        properties[f"text_{lang}"] = {"type": "text", "analyzer": analyzer}
    return {"dynamic": "strict", "_meta": {"mapping_version": MAPPING_VERSION}, "properties": properties}


def index_settings(shards: int = 1, replicas: int = 0) -> dict:
    return {"number_of_shards": shards, "number_of_replicas": replicas, "refresh_interval": "1s"}
