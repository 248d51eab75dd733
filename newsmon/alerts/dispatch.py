"""Percolate newly indexed articles against the alert rules and mail each recipient once per event.

The articles of a run are first placed into events (:mod:`newsmon.index.events_store`). Then, for each article
alerting has not looked at (a near-duplicate never mails on its own; it is listed under its original):

- **immediate rules**: each recipient gets an *item* per article that matched any of their rules; the items of one
  (recipient, event) go out in one mail naming every rule of theirs they matched. Articles that join an event
  already mailed to that recipient go out as an update in the same thread (In-Reply-To/References), at most once
  per ``alert_update_interval_minutes`` per (recipient, event) — or, for a rule with ``updates: digest``, into
  that rule's digest;
- **digest rules**: each matched article is recorded as ``digest-pending`` for the rule's next digest, which lists
  the events (:mod:`newsmon.alerts.digest`).

A rule that appears after the rule index exists is *new*: the articles already indexed that it matches are
recorded as ``skipped-backfill`` before it is stored, so adding a rule never mails the history (``newsmon alerts
backfill`` does, on request). The exactly-once keys and the crash guarantee are those of
:mod:`newsmon.index.thread_store` and :mod:`newsmon.index.ledger_store`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsmon.alerts.channels import Delivery, channel_for
from newsmon.alerts.rules import AlertRule
from newsmon.errors import ServiceUnavailable
from newsmon.index import queries
from newsmon.index.events_store import EventStore
from newsmon.index.ledger_store import DIGEST_PENDING, IMMEDIATE, SKIPPED_BACKFILL, AlertChecks, AlertLedger
from newsmon.index.percolator import RuleIndex
from newsmon.index.store import ArticleStore
from newsmon.index.thread_store import LEGACY, MAILED, WAITING, AlertThreads, ThreadMail
from newsmon.settings import Settings

__all__ = ["CHECKS_INDEX_SUFFIX", "LEDGER_INDEX_SUFFIX", "RULES_INDEX_SUFFIX", "STALE_CLAIM", "THREADS_INDEX_SUFFIX",
           "AlertReport", "AlertStores", "articles_to_check", "copies_by_original", "dispatch_alerts", "event_summary",
           "open_stores", "rule_matches"]

log = logging.getLogger(__name__)

_PERCOLATE_BATCH = 100
#: The alerts' indices are named after the article alias: ``<alias>-alert-rules`` and so on.
RULES_INDEX_SUFFIX = "-alert-rules"
LEDGER_INDEX_SUFFIX = "-alert-ledger"
CHECKS_INDEX_SUFFIX = "-alert-checked"
THREADS_INDEX_SUFFIX = "-alert-threads"
#: A mail still claimed this long after its claim was left by a crash between send and record: send it again.
STALE_CLAIM = timedelta(minutes=15)


@dataclass
class AlertStores:
    """Where alerting reads and writes: articles, events, the rules' percolator, the ledger, threads, checks."""

    articles: ArticleStore
    rules: RuleIndex
    ledger: AlertLedger
    checks: AlertChecks
    threads: AlertThreads
    events: EventStore


def open_stores(settings: Settings, client=None) -> AlertStores:
    """The alert stores of ``settings`` (on ``client``, else a new connection), the article index ensured."""
    from newsmon.index import connect

    client = client or connect(settings)
    articles = ArticleStore(client, settings.index_alias)
    articles.ensure_index()
    alias = settings.index_alias
    return AlertStores(articles, RuleIndex(client, alias + RULES_INDEX_SUFFIX),
                       AlertLedger(client, alias + LEDGER_INDEX_SUFFIX), AlertChecks(client, alias + CHECKS_INDEX_SUFFIX),
                       AlertThreads(client, alias + THREADS_INDEX_SUFFIX), EventStore(client, alias))


@dataclass
class AlertReport:
    articles_checked: int = 0
    matches: int = 0
    sent: list[dict] = field(default_factory=list)
    #: Items recorded for a recipient's next mail about their event (a first mail or an update).
    items: int = 0
    #: Items waiting for the update interval of their event to pass.
    waiting: int = 0
    #: Near-duplicates, listed under their originals instead of mailed.
    duplicates: int = 0
    #: Matches of (rule, article) already mailed or recorded before (an article indexed again, history).
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)
    #: New (rule, article) entries waiting for their rule's digest.
    digest_pending: int = 0
    #: Rules seen for the first time, and the articles they match in the history (recorded, never mailed).
    new_rules: list[str] = field(default_factory=list)
    skipped_backfill: int = 0

    def to_dict(self) -> dict:
        return {"articles_checked": self.articles_checked, "matches": self.matches, "sent": len(self.sent),
                "items": self.items, "waiting": self.waiting, "duplicates": self.duplicates,
                "already_sent": self.already_sent,
                "failed": len(self.failed), "digest_pending": self.digest_pending, "new_rules": self.new_rules,
                "skipped_backfill": self.skipped_backfill}


#: What rules cannot ask about, left out of the percolated documents (a rule index made before events lacks them).
_NOT_PERCOLATED = {"_id", "event_id", "duplicate_of"}


def _percolatable(article: dict) -> dict:
    return {k: v for k, v in article.items() if k not in _NOT_PERCOLATED}


def dispatch_alerts(stores: AlertStores, rules: list[AlertRule], settings: Settings,
                    now: datetime | None = None) -> AlertReport:
    """Alert on every article not checked yet; raise :class:`ServiceUnavailable` if some mail could not go."""
    now = now or datetime.now(UTC)
    report = AlertReport()
    rules_by_id = {r.id: r for r in rules}
    stores.ledger.ensure_index()
    stores.checks.ensure_index()
    stores.threads.ensure_index()
    report.new_rules = stores.rules.new_rules(rules)
    for rule_id in report.new_rules:  # before the rule is stored: a crash here repeats this, never mails
        rule = rules_by_id[rule_id]
        history = rule_matches(stores.articles, rule)
        report.skipped_backfill += stores.ledger.record(rule_id, history, SKIPPED_BACKFILL, rule.recipients)
        log.info("new rule %s: %d indexed articles it matches recorded as skipped-backfill (mail them with "
                 "`newsmon alerts backfill %s --since YYYY-MM-DD`)", rule_id, len(history), rule_id)
    stores.rules.sync(rules)
    pending = articles_to_check(stores)
    placed = [a for a in pending if a.get("event_id")]  # the rest wait for the events of the next run
    report.duplicates = sum(1 for a in placed if a.get("duplicate_of"))
    originals = [a for a in placed if not a.get("duplicate_of")]
    report.articles_checked = len(placed)
    matched = _percolate(stores.rules, originals, report)
    _record(stores, matched, rules_by_id, report)
    _deliver(stores, rules_by_id, settings, now, report)
    stores.checks.mark(placed)
    if report.failed:
        raise ServiceUnavailable(f"{len(report.failed)} alert(s) could not be sent and stay pending for the next "
                                 f"run: {report.failed[0]}")
    return report


def _percolate(rule_index: RuleIndex, articles: list[dict], report: AlertReport) -> dict[str, list[dict]]:
    """Rule id → the articles it matches."""
    matched: dict[str, list[dict]] = defaultdict(list)
    for start in range(0, len(articles), _PERCOLATE_BATCH):
        batch = articles[start: start + _PERCOLATE_BATCH]
        for rule_id, slots in rule_index.percolate([_percolatable(a) for a in batch]).items():
            for slot in slots:
                matched[rule_id].append(batch[slot])
                report.matches += 1
    return matched


def _record(stores: AlertStores, matched: dict[str, list[dict]], rules_by_id: dict[str, AlertRule],
            report: AlertReport) -> None:
    """Digest entries for digest rules; items per recipient for immediate rules (or digest entries for updates of
    rules that want them there). A (rule, article) the ledger already holds — history a new rule matched, a story
    sent before events — is not mailed again."""
    items: dict[tuple[str, str], dict] = {}
    for rule_id, articles in matched.items():
        rule = rules_by_id[rule_id]
        known = stores.ledger.statuses(rule_id, [a["_id"] for a in articles])
        fresh = [a for a in articles if a["_id"] not in known]
        report.already_sent += len(articles) - len(fresh)
        legacy = stores.ledger.legacy_sent(rule_id, [a.get("story_id") or a["_id"] for a in fresh])
        if rule.mode == "digest":
            report.digest_pending += stores.ledger.record(rule_id, fresh, DIGEST_PENDING, rule.recipients)
            continue
        stores.ledger.record(rule_id, fresh, IMMEDIATE, rule.recipients)  # mailed in threads, never digested
        for article in fresh:
            for recipient in rule.recipients:
                item = items.setdefault((recipient, article["_id"]), {
                    "recipient": recipient, "event_id": article["event_id"], "article_id": article["_id"],
                    "rules": [], "status": WAITING, "published": article.get("published")})
                item["rules"].append(rule_id)
                if (article.get("story_id") or article["_id"]) in legacy:
                    item["status"] = LEGACY  # its story was mailed for this rule before events existed
    updates_to_digest: dict[str, list[dict]] = defaultdict(list)
    threads_open: dict[tuple[str, str], bool] = {}
    for (recipient, _), item in list(items.items()):
        item_rules = [rules_by_id[r] for r in item["rules"]]
        if item["status"] == WAITING and all(r.updates == "digest" for r in item_rules):
            key = (recipient, item["event_id"])
            if key not in threads_open:
                threads_open[key] = stores.threads.last_mail(recipient, item["event_id"]) is not None
            if threads_open[key]:  # an update of a mailed event, for rules that send updates in their digest
                for rule in item_rules:
                    updates_to_digest[rule.id].append({"_id": item["article_id"], "event_id": item["event_id"],
                                                       "published": item["published"]})
                item["status"] = MAILED  # its mail is the digest
    for rule_id, articles in updates_to_digest.items():
        report.digest_pending += stores.ledger.record(rule_id, articles, DIGEST_PENDING, rules_by_id[rule_id].recipients)
    report.items = stores.threads.add_items(list(items.values()))


def _deliver(stores: AlertStores, rules_by_id: dict[str, AlertRule], settings: Settings, now: datetime,
             report: AlertReport) -> None:
    """Send what is due: mails left claimed (again, same Message-ID), then each (recipient, event)'s waiting items."""
    threads = stores.threads
    for mail in threads.pending_mails():
        claimed = threads.get(mail.key) or {}
        claimed_at = datetime.fromisoformat(claimed.get("claimed_at", now.isoformat()))
        if claimed.get("attempts") or now - claimed_at >= STALE_CLAIM:
            log.warning("mail %s (update %d of event %s to %s) was claimed but not sent: sending it again",
                        mail.message_id, mail.seq, mail.event_id, mail.recipient)
            _send(stores, mail, rules_by_id, settings, report)
    interval = timedelta(minutes=settings.alert_update_interval_minutes)
    for (recipient, event_id), waiting in sorted(threads.waiting().items()):
        last = threads.last_mail(recipient, event_id)
        if last is not None and (last.status != "sent" or now - _time(last.sent_at) < interval):
            report.waiting += len(waiting)  # an update waits for the interval (or for its pending mail)
            continue
        seq = 0 if last is None else last.seq + 1
        rule_ids = sorted({r for item in waiting for r in item["rules"]})
        mail = threads.claim(recipient, event_id, seq, [i["article_id"] for i in waiting], rule_ids)
        if mail is None:
            continue  # another run claimed this mail
        _send(stores, mail, rules_by_id, settings, report)


def _send(stores: AlertStores, mail: ThreadMail, rules_by_id: dict[str, AlertRule], settings: Settings,
          report: AlertReport) -> None:
    """Send a claimed mail (first time or again); its articles are this mail's, whatever happens to it."""
    stores.threads.mark_items(mail.recipient, mail.article_ids, MAILED, mail.seq)
    articles = queries.articles_by_ids(stores.articles.client, stores.articles.alias, mail.article_ids)
    rules = [rules_by_id[r] for r in mail.rules if r in rules_by_id]
    if not articles or not rules:
        stores.threads.mark_sent(mail, "(not sent: its articles are no longer indexed or its rules were removed)")
        return
    delivery = Delivery(mail.recipient, mail.message_id, rules, event_summary(stores.events, mail.event_id), articles,
                        mail.seq, ThreadMail.thread_message_id(mail.recipient, mail.event_id),
                        copies_by_original(stores.articles, [a["_id"] for a in articles]))
    try:
        receipt = channel_for(mail.recipient).deliver(delivery, settings)
    except ServiceUnavailable as exc:
        stores.threads.mark_failed(mail, str(exc))
        report.failed.append(f"{mail.recipient}/{mail.event_id}#{mail.seq}: {exc}")
        return
    stores.threads.mark_sent(mail, receipt)
    report.sent.append({"recipient": mail.recipient, "event_id": mail.event_id, "update": mail.seq,
                        "rules": [r.id for r in rules], "subject": receipt,
                        "articles": len(articles), "languages": sorted({a.get("lang") for a in articles})})
    log.info("alert delivered to %s: %s (%d article(s))", mail.recipient, receipt, len(articles))


def _time(value: str | None) -> datetime:
    if not value:
        return datetime.min.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def event_summary(events: EventStore, event_id: str) -> dict:
    """What a mail says about an event (``id``, ``titles``, ``first_seen``, ``article_count``…)."""
    event = events.event(event_id)
    if event is None:
        return {"id": event_id}
    return {"id": event.id, "titles": event.titles, "first_seen": event.first_seen.isoformat(),
            "last_seen": event.last_seen.isoformat(), "article_count": event.article_count,
            "languages": sorted(event.languages), "sources": sorted(event.sources)}


def copies_by_original(store: ArticleStore, ids: list[str]) -> dict[str, list[dict]]:
    """Original article id → its near-duplicates, for listing under it."""
    copies: dict[str, list[dict]] = defaultdict(list)
    for copy in queries.copies_of(store.client, store.alias, ids):
        copies[copy["duplicate_of"]].append(copy)
    return dict(copies)


def articles_to_check(stores: AlertStores) -> list[dict]:
    """The indexed articles (new, or updated since) that alerting has not looked at yet, oldest first."""
    since = stores.checks.since()
    return stores.checks.unchecked(queries.articles_indexed_since(stores.articles.client, stores.articles.alias, since))


def rule_matches(store: ArticleStore, rule: AlertRule, since: str | None = None) -> list[dict]:
    """The indexed articles ``rule`` selects (published on or after ``since``, if given), near-duplicates left out:
    each ``_id``, ``story_id``, ``event_id``, ``published``."""
    query = rule.to_query()
    filters = [query, {"bool": {"must_not": [{"exists": {"field": "duplicate_of"}}]}}]
    if since:
        filters.append({"range": {"published": {"gte": since}}})
    return list(queries.articles_matching(store.client, store.alias, {"bool": {"filter": filters}},
                                          ["story_id", "event_id", "published"]))
