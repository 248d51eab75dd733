"""Every read of the events and of what alerting did with them: recent events, events by id, the rules their
articles matched (the alert ledger) and the mails sent about them (the alert threads).

The stores (:mod:`.events_store`, :mod:`.thread_store`, :mod:`.ledger_store`) write these indices; this module
reads them for people (the monitor page, ``newsmon search --events``). The alert indices are named by the
caller (``<alias>-alert-ledger``, ``<alias>-alert-threads``: :mod:`newsmon.alerts.dispatch`). Callers get plain
dicts; an index that does not exist yet reads as empty.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch, NotFoundError

from newsmon.index.events_store import EVENTS_SUFFIX

__all__ = ["EVENT_FIELDS", "event_rule_matches", "events_by_ids", "recent_events", "thread_mails"]

#: What an event shows (its signal centroid and story ids are the assigner's business).
EVENT_FIELDS = ["title", "titles", "first_seen", "last_seen", "languages", "sources", "article_count",
                "duplicate_count", "themes", "actors"]
_MAX_ROWS = 10_000


def _event(hit: dict) -> dict:
    return {"id": hit["_id"], **{name: hit["_source"].get(name) for name in EVENT_FIELDS}}


def recent_events(client: Elasticsearch, alias: str, since: str | None = None, size: int = 20) -> list[dict]:
    """The ``size`` events seen last (``last_seen``, the newest publication among their articles, on or after
    ``since`` if given), newest first: ``{"id", "title", "titles": {lang: title}, "first_seen", ...}``."""
    query = {"range": {"last_seen": {"gte": since}}} if since else {"match_all": {}}
    try:
        response = client.search(index=alias + EVENTS_SUFFIX, size=size, query=query, source=EVENT_FIELDS,
                                 sort=[{"last_seen": "desc"}, {"first_seen": "desc"}])
    except NotFoundError:
        return []
    return [_event(hit) for hit in response["hits"]["hits"]]


def events_by_ids(client: Elasticsearch, alias: str, ids: list[str]) -> dict[str, dict]:
    """Event id → the event (as :func:`recent_events` gives it), for the ``ids`` that exist."""
    if not ids:
        return {}
    try:
        found = client.mget(index=alias + EVENTS_SUFFIX, ids=list(dict.fromkeys(ids)), source=EVENT_FIELDS)
    except NotFoundError:
        return {}
    return {doc["_id"]: _event(doc) for doc in found["docs"] if doc.get("found")}


def event_rule_matches(client: Elasticsearch, ledger_index: str, event_ids: list[str]) -> dict[str, dict[str, list]]:
    """Event id → rule id → the ids of the event's articles the rule matched (every status: mailed in a thread,
    digested, waiting for a digest, history a new rule found), from the alert ledger's (rule, article) entries."""
    if not event_ids:
        return {}
    try:
        response = client.search(index=ledger_index, size=_MAX_ROWS, query={"terms": {"event_id": event_ids}},
                                 source=["event_id", "rule_id", "article_id"], sort=[{"claimed_at": "asc"}])
    except NotFoundError:
        return {}
    matches: dict[str, dict[str, list]] = {}
    for hit in response["hits"]["hits"]:
        entry = hit["_source"]
        articles = matches.setdefault(entry["event_id"], {}).setdefault(entry["rule_id"], [])
        if entry.get("article_id") and entry["article_id"] not in articles:
            articles.append(entry["article_id"])
    return matches


def thread_mails(client: Elasticsearch, threads_index: str, *, event_ids: list[str] | None = None,
                 rule_id: str | None = None, size: int = 200) -> list[dict]:
    """The latest ``size`` immediate mails (newest claim first), of the events ``event_ids`` and naming
    ``rule_id`` if given: each ``{"key", "recipient", "event_id", "seq", "status", "rules", "article_ids",
    "subject", "claimed_at", "sent_at", "attempts", "last_error", "message_id"}``."""
    from newsmon.index.thread_store import AlertThreads

    return AlertThreads(client, threads_index).mails(event_ids, rule_id, size)
