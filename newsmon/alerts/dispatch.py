"""Percolate newly indexed articles against the alert rules and mail each (rule, story) once.

Immediate rules mail each new story at once; digest rules record it as ``digest-pending`` for the next digest
(:mod:`newsmon.alerts.digest`). A rule that appears after the rule index exists is *new*: the articles already
indexed that it matches are recorded as ``skipped-backfill`` before it is stored, so adding a rule never mails
the history (``newsmon alerts backfill`` does, on request).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from newsmon.alerts.mail import build_alert_mail
from newsmon.alerts.rules import AlertRule
from newsmon.alerts.smtp import send_mail
from newsmon.errors import ServiceUnavailable
from newsmon.index import queries
from newsmon.index.ledger_store import DIGEST_PENDING, SKIPPED_BACKFILL, AlertChecks, AlertLedger
from newsmon.index.percolator import RuleIndex
from newsmon.index.store import ArticleStore
from newsmon.languages import language_order
from newsmon.settings import Settings

__all__ = ["CHECKS_INDEX_SUFFIX", "LEDGER_INDEX_SUFFIX", "RULES_INDEX_SUFFIX", "AlertReport", "AlertStores",
           "articles_to_check", "dispatch_alerts", "open_stores", "rule_matches"]

log = logging.getLogger(__name__)

_PERCOLATE_BATCH = 100
#: The alerts' indices are named after the article alias: ``<alias>-alert-rules`` and so on.
RULES_INDEX_SUFFIX = "-alert-rules"
LEDGER_INDEX_SUFFIX = "-alert-ledger"
CHECKS_INDEX_SUFFIX = "-alert-checked"


@dataclass
class AlertStores:
    """Where alerting reads and writes: the articles, the rules' percolator, the ledger and the checked marks."""

    articles: ArticleStore
    rules: RuleIndex
    ledger: AlertLedger
    checks: AlertChecks


def open_stores(settings: Settings, client=None) -> AlertStores:
    """The alert stores of ``settings`` (on ``client``, else a new connection), the article index ensured."""
    from newsmon.index import connect

    client = client or connect(settings)
    articles = ArticleStore(client, settings.index_alias)
    articles.ensure_index()
    alias = settings.index_alias
    return AlertStores(articles, RuleIndex(client, alias + RULES_INDEX_SUFFIX),
                       AlertLedger(client, alias + LEDGER_INDEX_SUFFIX), AlertChecks(client, alias + CHECKS_INDEX_SUFFIX))


@dataclass
class AlertReport:
    articles_checked: int = 0
    matches: int = 0
    sent: list[dict] = field(default_factory=list)
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)
    #: New (rule, story) entries waiting for their rule's digest.
    digest_pending: int = 0
    #: Rules seen for the first time, and the stories they match in the history (recorded, never mailed).
    new_rules: list[str] = field(default_factory=list)
    skipped_backfill: int = 0

    def to_dict(self) -> dict:
        return {"articles_checked": self.articles_checked, "matches": self.matches, "sent": len(self.sent),
                "already_sent": self.already_sent, "failed": len(self.failed),
                "digest_pending": self.digest_pending, "new_rules": self.new_rules,
                "skipped_backfill": self.skipped_backfill}


def _percolatable(article: dict) -> dict:
    return {k: v for k, v in article.items() if k != "_id"}


def dispatch_alerts(stores: AlertStores, rules: list[AlertRule], settings: Settings) -> AlertReport:
    """Alert on every article not checked yet; raise :class:`ServiceUnavailable` if some mail could not go."""
    report = AlertReport()
    rules_by_id = {r.id: r for r in rules}
    store, rule_index, ledger = stores.articles, stores.rules, stores.ledger
    ledger.ensure_index()
    stores.checks.ensure_index()
    report.new_rules = rule_index.new_rules(rules)
    for rule_id in report.new_rules:  # before the rule is stored: a crash here repeats this, never mails
        rule = rules_by_id[rule_id]
        matches, published = rule_matches(store, rule)
        report.skipped_backfill += ledger.record(rule_id, matches, SKIPPED_BACKFILL, rule.recipients, published)
        log.info("new rule %s: %d indexed stories it matches recorded as skipped-backfill (mail them with "
                 "`newsmon alerts backfill %s --since YYYY-MM-DD`)", rule_id, len(matches), rule_id)
    rule_index.sync(rules)
    pending = articles_to_check(stores)
    report.articles_checked = len(pending)
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for start in range(0, len(pending), _PERCOLATE_BATCH):
        batch = pending[start: start + _PERCOLATE_BATCH]
        for rule_id, slots in rule_index.percolate([_percolatable(a) for a in batch]).items():
            for slot in slots:
                article = batch[slot]
                groups[(rule_id, article["story_id"])].append(article)
                report.matches += 1
    for rule in rules:  # digest rules: one pending entry per new story, mailed by the next digest
        if rule.mode == "digest":
            stories = {story_id: articles for (rule_id, story_id), articles in groups.items() if rule_id == rule.id}
            report.digest_pending += ledger.record(
                rule.id, {s: [a["_id"] for a in arts] for s, arts in stories.items()}, DIGEST_PENDING,
                rule.recipients, {s: arts[0].get("published") for s, arts in stories.items()})
    for (rule_id, story_id), articles in sorted(groups.items()):
        rule = rules_by_id[rule_id]
        if rule.mode == "digest":
            continue
        story = _story_versions(store, story_id, articles)
        entry = ledger.claim(rule_id, story_id, [a["_id"] for a in story], rule.recipients)
        if entry is None:
            report.already_sent += 1
            continue
        message = build_alert_mail(rule, story, settings, entry.message_id)
        try:
            send_mail(message, settings)
        except ServiceUnavailable as exc:
            ledger.mark_failed(entry, str(exc))
            report.failed.append(f"{rule_id}/{story_id}: {exc}")
            continue
        ledger.mark_sent(entry, message["Subject"])
        report.sent.append({"rule": rule_id, "story_id": story_id, "subject": message["Subject"],
                            "to": rule.recipients, "languages": [a.get("lang") for a in story]})
        log.info("alert sent: %s to %s", message["Subject"], ", ".join(rule.recipients))
    if report.failed:
        raise ServiceUnavailable(f"{len(report.failed)} alert(s) could not be sent and stay pending for the next "
                                 f"run: {report.failed[0]}")
    stores.checks.mark(pending)
    return report


def articles_to_check(stores: AlertStores) -> list[dict]:
    """The indexed articles (new, or updated since) that alerting has not looked at yet, oldest first."""
    since = stores.checks.since()
    return stores.checks.unchecked(queries.articles_indexed_since(stores.articles.client, stores.articles.alias, since))


def _story_versions(store: ArticleStore, story_id: str, matched: list[dict]) -> list[dict]:
    """All indexed language versions of a story, the matched ones first."""
    matched_ids = [a["_id"] for a in matched]
    others = [a for a in queries.story_versions(store.client, store.alias, [story_id]) if a["_id"] not in matched_ids]
    return sorted(matched, key=lambda a: language_order(a.get("lang"))) + others


def rule_matches(store: ArticleStore, rule: AlertRule, since: str | None = None) -> tuple[dict, dict]:
    """The indexed articles ``rule`` selects (published on or after ``since``, if given), grouped by story.

    Returns story id → article ids, and story id → the lead article's publication date.
    """
    query = rule.to_query()
    if since:
        query = {"bool": {"filter": [query, {"range": {"published": {"gte": since}}}]}}
    matches: dict[str, list[str]] = defaultdict(list)
    published: dict[str, str | None] = {}
    for article in queries.articles_matching(store.client, store.alias, query, ["story_id", "published"]):
        story_id = article.get("story_id") or article["_id"]
        matches[story_id].append(article["_id"])
        published.setdefault(story_id, article.get("published"))
    return dict(matches), published
