"""The recent events, for the monitor page: what happened, who reported it in which language, which rules it
matched and which mails went out about it.

An event (:mod:`newsmon.index.events_store`) is the articles of one real-world happening across sources and
languages. Each event here has its titles per language, first and last sighting (the publication times of its
first and newest article), languages, sources and article count; its articles grouped per language and then
per source (a near-duplicate copy names its original in ``duplicate_of``); the rules its articles matched, from
the alert ledger (with how many of its articles each matched); and its immediate mails from the alert threads
(recipient, update number, state, subject, sent time). Reads go through :mod:`newsmon.index.event_queries`.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch

from newsmon.alerts.dispatch import LEDGER_INDEX_SUFFIX, THREADS_INDEX_SUFFIX
from newsmon.index.event_queries import event_rule_matches, recent_events, thread_mails
from newsmon.index.events_store import EVENTS_SUFFIX
from newsmon.index.queries import event_articles
from newsmon.languages import language_order
from newsmon.monitor.alerts_view import article_row, mail_state, rule_names
from newsmon.settings import Settings

__all__ = ["group_articles", "recent_event_views"]

#: The most articles read for the events of one page (an event with more shows the first ones).
_MAX_ARTICLES = 5000


def group_articles(articles: list[dict]) -> list[dict]:
    """``[{"lang", "sources": [{"source", "articles": [...]}]}]``: languages in the table's order, sources by
    name, articles oldest first."""
    grouped: dict[str, dict[str, list[dict]]] = {}
    for article in sorted(articles, key=lambda a: (a.get("published") or "", a["id"])):
        grouped.setdefault(article.get("lang") or "", {}).setdefault(article.get("source") or "", []).append(article)
    return [{"lang": lang, "sources": [{"source": source, "articles": rows} for source, rows in sorted(by_source.items())]}
            for lang, by_source in sorted(grouped.items(), key=lambda item: (language_order(item[0]), item[0]))]


def _mail(mail: dict) -> dict:
    return {"key": mail["key"], "recipient": mail.get("recipient"), "update": mail.get("seq", 0),
            "status": mail.get("status"), "state": mail_state(mail), "subject": mail.get("subject"),
            "rules": mail.get("rules") or [], "articles": len(mail.get("article_ids") or []),
            "claimed_at": mail.get("claimed_at"), "sent_at": mail.get("sent_at"), "error": mail.get("last_error")}


def recent_event_views(client: Elasticsearch, settings: Settings, *, since: str | None = None,
                       size: int = 20) -> dict:
    """The ``size`` events seen last (on or after ``since``), newest first: ``{"index", "since", "events":
    [{"id", "title", "titles", "first_seen", "last_seen", "languages", "sources", "article_count",
    "duplicate_count", "themes", "actors", "articles": [per language, per source], "rules": [{"id", "name",
    "articles"}], "mails": [{"recipient", "update", "state", "subject", "sent_at", ...}]}]}``."""
    alias = settings.index_alias
    events = recent_events(client, alias, since, size)
    ids = [event["id"] for event in events]
    articles: dict[str, list[dict]] = {}
    for article in event_articles(client, alias, ids, size=_MAX_ARTICLES):
        articles.setdefault(article.get("event_id"), []).append(article_row(article))
    matches = event_rule_matches(client, alias + LEDGER_INDEX_SUFFIX, ids)
    mails: dict[str, list[dict]] = {}
    for mail in thread_mails(client, alias + THREADS_INDEX_SUFFIX, event_ids=ids, size=_MAX_ARTICLES):
        mails.setdefault(mail["event_id"], []).append(_mail(mail))
    names = rule_names(settings) if matches else {}
    views = []
    for event in events:
        titles = dict(sorted((event.get("titles") or {}).items(), key=lambda item: language_order(item[0])))
        rules = [{"id": rule_id, "name": names.get(rule_id), "articles": len(article_ids)}
                 for rule_id, article_ids in sorted(matches.get(event["id"], {}).items())]
        views.append({**event, "titles": titles,
                      "languages": sorted(event.get("languages") or [], key=language_order),
                      "articles": group_articles(articles.get(event["id"], [])), "rules": rules,
                      "mails": sorted(mails.get(event["id"], []), key=lambda m: (m["recipient"] or "", m["update"]))})
    return {"index": alias + EVENTS_SUFFIX, "since": since, "events": views}
