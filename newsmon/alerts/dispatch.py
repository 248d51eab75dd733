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

from elasticsearch import Elasticsearch, helpers

from newsmon.alerts.ledger import DIGEST_PENDING, SKIPPED_BACKFILL, AlertLedger
from newsmon.alerts.mail import build_alert_mail
from newsmon.alerts.rules import AlertRule
from newsmon.alerts.smtp import send_mail
from newsmon.errors import ServiceUnavailable
from newsmon.index.mapping import article_mapping
from newsmon.index.store import ArticleStore
from newsmon.languages import language_order
from newsmon.settings import Settings

__all__ = ["AlertReport", "RuleIndex", "dispatch_alerts", "rule_matches"]

log = logging.getLogger(__name__)

_PERCOLATE_BATCH = 100
_RULES_PAGE = 1000


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


class RuleIndex:
    """The percolator index holding one query per alert rule (same field mappings as the articles)."""

    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def new_rules(self, rules: list[AlertRule]) -> list[str]:
        """Ids of ``rules`` missing from an existing rule index; none if there is no rule index yet (first run)."""
        if not rules or not self.client.indices.exists(index=self.index):
            return []
        found = self.client.mget(index=self.index, ids=[r.id for r in rules], source=False)
        return [d["_id"] for d in found["docs"] if not d.get("found")]

    def sync(self, rules: list[AlertRule]) -> None:
        """Make the stored queries exactly the rules of the file (changed rules are replaced)."""
        if not self.client.indices.exists(index=self.index):
            mapping = article_mapping()
            mapping["properties"].update({"query": {"type": "percolator"}, "rule_id": {"type": "keyword"},
                                          "rule_version": {"type": "keyword"}})
            self.client.indices.create(index=self.index, mappings=mapping,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})
        helpers.bulk(self.client, ({"_index": self.index, "_id": rule.id, "_source": {
            "query": rule.to_query(), "rule_id": rule.id, "rule_version": rule.version}} for rule in rules),
            chunk_size=500)
        self.client.delete_by_query(index=self.index, conflicts="proceed",
                                    query={"bool": {"must_not": {"ids": {"values": [r.id for r in rules]}}}})
        self.client.indices.refresh(index=self.index)

    def percolate(self, documents: list[dict]) -> dict[str, list[int]]:
        """Rule id → positions in ``documents`` that the rule matches (every rule, however many: paged)."""
        matches: dict[str, list[int]] = {}
        search_after = None
        while True:
            response = self.client.search(index=self.index, size=_RULES_PAGE, source=["rule_id"],
                                          sort=[{"rule_id": "asc"}], search_after=search_after,
                                          query={"percolate": {"field": "query", "documents": documents}})
            hits = response["hits"]["hits"]
            for hit in hits:
                matches[hit["_source"]["rule_id"]] = hit["fields"]["_percolator_document_slot"]
            if len(hits) < _RULES_PAGE:
                return matches
            search_after = hits[-1]["sort"]


def _percolatable(article: dict) -> dict:
    return {k: v for k, v in article.items() if k != "_id"}


def dispatch_alerts(client: Elasticsearch, store: ArticleStore, rules: list[AlertRule], settings: Settings,
                    rule_index: RuleIndex, ledger: AlertLedger) -> AlertReport:
    """Alert on every article still pending; raise :class:`ServiceUnavailable` if some mail could not go."""
    report = AlertReport()
    rules_by_id = {r.id: r for r in rules}
    ledger.ensure_index()
    report.new_rules = rule_index.new_rules(rules)
    for rule_id in report.new_rules:  # before the rule is stored: a crash here repeats this, never mails
        rule = rules_by_id[rule_id]
        matches, published = rule_matches(store, rule)
        report.skipped_backfill += ledger.record(rule_id, matches, SKIPPED_BACKFILL, rule.recipients, published)
        log.info("new rule %s: %d indexed stories it matches recorded as skipped-backfill (mail them with "
                 "`newsmon alerts backfill %s --since YYYY-MM-DD`)", rule_id, len(matches), rule_id)
    rule_index.sync(rules)
    pending = store.pending_alerts()
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
    store.mark_alerted([a["_id"] for a in pending])
    return report


def _story_versions(store: ArticleStore, story_id: str, matched: list[dict]) -> list[dict]:
    """All indexed language versions of a story, the matched ones first."""
    response = store.client.search(index=store.alias, query={"term": {"story_id": story_id}}, size=20,
                                   source_excludes=["text", "text_*", "title_*"])
    matched_ids = [a["_id"] for a in matched]
    others = [{"_id": h["_id"], **h["_source"]} for h in response["hits"]["hits"] if h["_id"] not in matched_ids]
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
    for hit in helpers.scan(store.client, index=store.alias, query={"query": query},
                            source=["story_id", "published"], size=500):
        story_id = hit["_source"].get("story_id") or hit["_id"]
        matches[story_id].append(hit["_id"])
        published.setdefault(story_id, hit["_source"].get("published"))
    return dict(matches), published
