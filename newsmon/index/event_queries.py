"""Every read of the events for people: events by id (``newsmon search --events``).

The events store (:mod:`.events_store`) writes ``<alias>-events``; this module reads it. Callers get plain dicts;
an index that does not exist yet reads as empty.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch, NotFoundError

from newsmon.index.events_store import EVENTS_SUFFIX

__all__ = ["EVENT_FIELDS", "events_by_ids"]

#: What an event shows (its signal centroid and story ids are the assigner's business).
EVENT_FIELDS = ["title", "titles", "first_seen", "last_seen", "languages", "sources", "article_count",
                "duplicate_count", "themes", "actors"]


def _event(hit: dict) -> dict:
    return {"id": hit["_id"], **{name: hit["_source"].get(name) for name in EVENT_FIELDS}}


def events_by_ids(client: Elasticsearch, alias: str, ids: list[str]) -> dict[str, dict]:
    """Event id → the event (``{"id", "title", "titles": {lang: title}, "first_seen", ...}``), for the ``ids``
    that exist."""
    if not ids:
        return {}
    try:
        found = client.mget(index=alias + EVENTS_SUFFIX, ids=list(dict.fromkeys(ids)), source=EVENT_FIELDS)
    except NotFoundError:
        return {}
    return {doc["_id"]: _event(doc) for doc in found["docs"] if doc.get("found")}

