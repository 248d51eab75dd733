"""The recent entries of the alert ledger, each with its story's language versions, for the monitor page.

An entry is one (rule, story): its status (see :mod:`newsmon.alerts.ledger`), recipients, subject, when it
was claimed and sent, and the last error of a failed send. ``state`` says it in one word for people:
``sent``, ``failed`` (a pending mail whose last attempt failed; it is retried on the next run), ``pending``,
``digest-pending``, ``sending`` (in a digest being sent), ``skipped-backfill``.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch

from newsmon.alerts.dispatch import LEDGER_INDEX_SUFFIX
from newsmon.configfile import ConfigError
from newsmon.index.ledger_store import DIGEST_CLAIMED, PENDING, SKIPPED_BACKFILL, AlertLedger
from newsmon.index.queries import story_versions
from newsmon.languages import language_order
from newsmon.settings import Settings

__all__ = ["alert_state", "recent_alerts"]

_ARTICLE_FIELDS = ["title", "lang", "source", "canonical_url", "url", "published", "story_id"]


def alert_state(entry: dict) -> str:
    """One word for an entry's state (see the module docstring)."""
    status = entry.get("status")
    if status == PENDING and entry.get("last_error"):
        return "failed"
    return "sending" if status == DIGEST_CLAIMED else str(status)


def _rule_names(settings: Settings) -> dict[str, str]:
    from newsmon.alerts.rules import load_rules

    try:
        return {rule.id: rule.name for rule in load_rules(settings.alert_rules_file)}
    except (ConfigError, OSError):
        return {}  # the page still lists the entries, by rule id


def _story_articles(client: Elasticsearch, alias: str, entries: list[dict]) -> dict[str, dict]:
    """Article id → the fields shown, for the entries' articles and every other version of their stories."""
    doc_ids = sorted({d for e in entries for d in e.get("doc_ids") or []})
    story_ids = sorted({e["story_id"] for e in entries if e.get("story_id")})
    found = story_versions(client, alias, story_ids, doc_ids)
    return {a["_id"]: {"id": a["_id"], **{k: a.get(k) for k in _ARTICLE_FIELDS if k in a}} for a in found}


def _versions(entry: dict, articles: dict[str, dict]) -> list[dict]:
    """The story's articles: those the alert was about (``alerted``) first, then its other translations."""
    alerted = list(entry.get("doc_ids") or [])
    versions = []
    for doc_id in alerted:
        found = articles.get(doc_id)
        versions.append({**found, "alerted": True, "missing": False} if found else
                        {"id": doc_id, "alerted": True, "missing": True})
    others = [a for a in articles.values() if a.get("story_id") == entry.get("story_id") and a["id"] not in alerted]
    versions += [{**a, "alerted": False, "missing": False}
                 for a in sorted(others, key=lambda a: (language_order(a.get("lang")), a["id"]))]
    for version in versions:
        version["url"] = version.get("canonical_url") or version.get("url")
    return versions


def recent_alerts(client: Elasticsearch, settings: Settings, *, status: str | None = None,
                  rule_id: str | None = None, size: int = 50) -> dict:
    """The latest ``size`` ledger entries (newest claim first), with per-rule status counts.

    ``status`` selects one ledger status; without it every entry except ``skipped-backfill`` (history a new
    rule matched, never mailed) is listed. Returns ``{"ledger": index, "ledger_exists": bool,
    "counts": {rule: {status: n}}, "alerts": [...]}``.
    """
    ledger = AlertLedger(client, settings.index_alias + LEDGER_INDEX_SUFFIX)
    if not ledger.exists():
        return {"ledger": ledger.index, "ledger_exists": False, "counts": {}, "alerts": []}
    entries = ledger.recent(status, rule_id, size, exclude=(SKIPPED_BACKFILL,))
    names = _rule_names(settings)
    articles = _story_articles(client, settings.index_alias, entries)
    alerts = []
    for entry in entries:
        alerts.append({
            "key": entry["key"], "rule_id": entry.get("rule_id"), "rule_name": names.get(entry.get("rule_id")),
            "story_id": entry.get("story_id"), "status": entry.get("status"), "state": alert_state(entry),
            "recipients": entry.get("recipients") or [], "subject": entry.get("subject"),
            "claimed_at": entry.get("claimed_at"), "sent_at": entry.get("sent_at"),
            "attempts": entry.get("attempts", 0), "error": entry.get("last_error"),
            "digest_id": entry.get("digest_id"), "articles": _versions(entry, articles)})
    return {"ledger": ledger.index, "ledger_exists": True, "counts": ledger.counts(), "alerts": alerts}
