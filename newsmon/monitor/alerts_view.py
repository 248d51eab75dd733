"""What alerting sent and holds, for the monitor page: the immediate mails and the digest and history entries.

``mails`` — the immediate mails of the alert threads (:mod:`newsmon.index.thread_store`): one per recipient and
event, then its updates. Each with its update number (0: the first mail of the thread), the rules of the
recipient it named, its subject, when it was claimed and sent, and ``state``: ``sent``, ``failed`` (its last
attempt failed; it is sent again, with the same Message-ID, on the next run) or ``pending`` (claimed, not sent
yet). ``articles`` are the event's articles: those of this mail (``alerted``) first, then the event's others.

``alerts`` — the entries of the alert ledger (:mod:`newsmon.index.ledger_store`) that are not immediate mails:
one per (rule, article) (before events, per (rule, story)) waiting for its rule's digest, in a digest being
sent or sent, or history a new rule matched. ``state`` says it in one word: ``sent``, ``failed`` (an old
per-story mail whose last attempt failed), ``pending``, ``digest-pending``, ``sending`` (in a digest being
sent), ``skipped-backfill``. ``articles`` are the entry's article and its story's other language versions.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch

from newsmon.alerts.dispatch import LEDGER_INDEX_SUFFIX, THREADS_INDEX_SUFFIX
from newsmon.configfile import ConfigError
from newsmon.index.event_queries import events_by_ids, thread_mails
from newsmon.index.ledger_store import DIGEST_CLAIMED, IMMEDIATE, PENDING, SKIPPED_BACKFILL, AlertLedger
from newsmon.index.queries import articles_by_ids, event_articles, story_versions
from newsmon.index.thread_store import SENT, AlertThreads
from newsmon.languages import language_order
from newsmon.settings import Settings

__all__ = ["ARTICLE_FIELDS", "alert_state", "article_row", "mail_state", "recent_alerts", "rule_names"]

ARTICLE_FIELDS = ["title", "lang", "source", "canonical_url", "url", "published", "story_id", "event_id",
                  "duplicate_of"]


def alert_state(entry: dict) -> str:
    """One word for a ledger entry's state (see the module docstring)."""
    status = entry.get("status")
    if status == PENDING and entry.get("last_error"):
        return "failed"
    return "sending" if status == DIGEST_CLAIMED else str(status)


def mail_state(mail: dict) -> str:
    """``sent``, ``failed`` (claimed, its last attempt failed) or ``pending`` (claimed, not sent yet)."""
    if mail.get("status") == SENT:
        return "sent"
    return "failed" if mail.get("attempts") or mail.get("last_error") else "pending"


def rule_names(settings: Settings) -> dict[str, str]:
    """Rule id → name, from the rules file (nothing if it cannot be read: the page shows rule ids)."""
    from newsmon.alerts.rules import load_rules

    try:
        return {rule.id: rule.name for rule in load_rules(settings.alert_rules_file)}
    except (ConfigError, OSError):
        return {}


def article_row(article: dict) -> dict:
    """The fields the page shows of an article (``url``: its canonical URL, else the fetched one)."""
    row = {"id": article["_id"], **{k: article.get(k) for k in ARTICLE_FIELDS if k in article}}
    row["url"] = row.get("canonical_url") or row.get("url")
    return row


def _by_language(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda a: (language_order(a.get("lang")), a.get("source") or "", a.get("published") or "",
                                       a["id"]))


# -- immediate mails ----------------------------------------------------------------------------------------
def _mail_articles(mail: dict, event: list[dict], found: dict[str, dict]) -> list[dict]:
    """The mail's articles (``alerted``) first, then the event's other articles, each in language order."""
    mailed = list(mail.get("article_ids") or [])
    rows = [{**found[a], "alerted": True, "missing": False} if a in found else
            {"id": a, "alerted": True, "missing": True} for a in mailed]
    rows = _by_language([r for r in rows if not r["missing"]]) + [r for r in rows if r["missing"]]
    others = [a for a in event if a["id"] not in mailed]
    return rows + [{**a, "alerted": False, "missing": False} for a in _by_language(others)]


def _mail_rows(client: Elasticsearch, alias: str, mails: list[dict], names: dict[str, str]) -> list[dict]:
    event_ids = sorted({m["event_id"] for m in mails})
    events = events_by_ids(client, alias, event_ids)
    articles = {a["_id"]: article_row(a) for a in event_articles(client, alias, event_ids, size=5000)}
    missing = sorted({a for m in mails for a in m.get("article_ids") or []} - set(articles))
    articles.update({a["_id"]: article_row(a) for a in articles_by_ids(client, alias, missing)})
    by_event: dict[str, list[dict]] = {}
    for article in articles.values():
        by_event.setdefault(article.get("event_id") or "", []).append(article)
    rows = []
    for mail in mails:
        event = events.get(mail["event_id"]) or {}
        rows.append({
            "key": mail["key"], "recipient": mail.get("recipient"), "event_id": mail["event_id"],
            "event_title": event.get("title"), "update": mail.get("seq", 0), "status": mail.get("status"),
            "state": mail_state(mail), "rules": mail.get("rules") or [],
            "rule_names": {r: names.get(r) for r in mail.get("rules") or []}, "subject": mail.get("subject"),
            "claimed_at": mail.get("claimed_at"), "sent_at": mail.get("sent_at"), "attempts": mail.get("attempts", 0),
            "error": mail.get("last_error"), "message_id": mail.get("message_id"),
            "articles": _mail_articles(mail, by_event.get(mail["event_id"], []), articles)})
    return rows


# -- digest and history entries -------------------------------------------------------------------------------
def _story_articles(client: Elasticsearch, alias: str, entries: list[dict]) -> dict[str, dict]:
    """Article id → the fields shown, for the entries' articles and every other version of their stories."""
    doc_ids = sorted({d for e in entries for d in e.get("doc_ids") or []})
    story_ids = sorted({e["story_id"] for e in entries if e.get("story_id")})
    return {a["_id"]: article_row(a) for a in story_versions(client, alias, story_ids, doc_ids)}


def _versions(entry: dict, articles: dict[str, dict]) -> list[dict]:
    """The entry's articles (``alerted``) first, then the other language versions of its story."""
    alerted = list(entry.get("doc_ids") or [])
    versions = [{**articles[d], "alerted": True, "missing": False} if d in articles else
                {"id": d, "alerted": True, "missing": True} for d in alerted]
    others = [a for a in articles.values() if a.get("story_id") == entry.get("story_id") and a["id"] not in alerted]
    return versions + [{**a, "alerted": False, "missing": False} for a in _by_language(others)]


def _ledger_rows(client: Elasticsearch, alias: str, entries: list[dict], names: dict[str, str]) -> list[dict]:
    articles = _story_articles(client, alias, entries)
    return [{"key": entry["key"], "rule_id": entry.get("rule_id"), "rule_name": names.get(entry.get("rule_id")),
             "story_id": entry.get("story_id"), "article_id": entry.get("article_id"),
             "event_id": entry.get("event_id"), "status": entry.get("status"), "state": alert_state(entry),
             "recipients": entry.get("recipients") or [], "subject": entry.get("subject"),
             "claimed_at": entry.get("claimed_at"), "sent_at": entry.get("sent_at"),
             "attempts": entry.get("attempts", 0), "error": entry.get("last_error"),
             "digest_id": entry.get("digest_id"), "articles": _versions(entry, articles)} for entry in entries]


def recent_alerts(client: Elasticsearch, settings: Settings, *, status: str | None = None,
                  rule_id: str | None = None, size: int = 50) -> dict:
    """The latest ``size`` immediate mails and ``size`` ledger entries (newest claim first), naming ``rule_id`` if
    given, with counts.

    ``status`` selects one ledger status; without it every entry except ``immediate`` (those are the mails) and
    ``skipped-backfill`` (history a new rule matched, never mailed) is listed. Returns ``{"threads": index,
    "threads_exist": bool, "mail_counts": {kind: {status: n}}, "mails": [...], "ledger": index, "ledger_exists":
    bool, "counts": {rule: {status: n}}, "alerts": [...]}``.
    """
    alias = settings.index_alias
    names = rule_names(settings)
    threads = AlertThreads(client, alias + THREADS_INDEX_SUFFIX)
    ledger = AlertLedger(client, alias + LEDGER_INDEX_SUFFIX)
    answer: dict = {"threads": threads.index, "threads_exist": threads.exists(), "mail_counts": {}, "mails": [],
                    "ledger": ledger.index, "ledger_exists": ledger.exists(), "counts": {}, "alerts": []}
    if answer["threads_exist"]:
        mails = thread_mails(client, threads.index, rule_id=rule_id, size=size)
        answer.update(mail_counts=threads.counts(), mails=_mail_rows(client, alias, mails, names))
    if answer["ledger_exists"]:
        entries = ledger.recent(status, rule_id, size, exclude=(SKIPPED_BACKFILL, IMMEDIATE))
        answer.update(counts=ledger.counts(), alerts=_ledger_rows(client, alias, entries, names))
    return answer
