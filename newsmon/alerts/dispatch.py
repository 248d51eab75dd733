"""Percolate newly indexed articles against the alert rules and mail each (rule, story) once."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from newsmon.alerts.ledger import AlertLedger
from newsmon.alerts.mail import build_alert_mail, send_mail
from newsmon.alerts.rules import AlertRule
from newsmon.errors import ServiceUnavailable
from newsmon.index.mapping import article_mapping
from newsmon.index.store import ArticleStore
from newsmon.settings import Settings

__all__ = ["AlertReport", "RuleIndex", "dispatch_alerts"]

log = logging.getLogger(__name__)

_PERCOLATE_BATCH = 100


@dataclass
class AlertReport:
    articles_checked: int = 0
    matches: int = 0
    sent: list[dict] = field(default_factory=list)
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"articles_checked": self.articles_checked, "matches": self.matches, "sent": len(self.sent),
                "already_sent": self.already_sent, "failed": len(self.failed)}


class RuleIndex:
    """The percolator index holding one query per alert rule (same field mappings as the articles)."""

    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def sync(self, rules: list[AlertRule]) -> None:
        """Make the stored queries exactly the rules of the file (changed rules are replaced)."""
        if not self.client.indices.exists(index=self.index):
            mapping = article_mapping()
            mapping["properties"].update({"query": {"type": "percolator"}, "rule_id": {"type": "keyword"},
                                          "rule_version": {"type": "keyword"}})
            self.client.indices.create(index=self.index, mappings=mapping,
                                       settings={"number_of_shards": 1, "number_of_replicas": 0})
        for rule in rules:
            self.client.index(index=self.index, id=rule.id,
                              document={"query": rule.to_query(), "rule_id": rule.id, "rule_version": rule.version})
        self.client.delete_by_query(index=self.index, conflicts="proceed",
                                    query={"bool": {"must_not": {"ids": {"values": [r.id for r in rules]}}}})
        self.client.indices.refresh(index=self.index)

    def percolate(self, documents: list[dict]) -> dict[str, list[int]]:
        """Rule id → positions in ``documents`` that the rule matches."""
        response = self.client.search(index=self.index, size=1000, source=["rule_id"],
                                      query={"percolate": {"field": "query", "documents": documents}})
        return {hit["_source"]["rule_id"]: hit["fields"]["_percolator_document_slot"]
                for hit in response["hits"]["hits"]}


def _percolatable(article: dict) -> dict:
    return {k: v for k, v in article.items() if k != "_id"}


def dispatch_alerts(client: Elasticsearch, store: ArticleStore, rules: list[AlertRule], settings: Settings,
                    rule_index: RuleIndex, ledger: AlertLedger) -> AlertReport:
    """Alert on every article still pending; raise :class:`ServiceUnavailable` if some mail could not go."""
    report = AlertReport()
    rules_by_id = {r.id: r for r in rules}
    rule_index.sync(rules)
    ledger.ensure_index()
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
    for (rule_id, story_id), articles in sorted(groups.items()):
        rule = rules_by_id[rule_id]
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
    order = {"en": 0, "ru": 1, "tr": 2, "fa": 3}
    return sorted(matched, key=lambda a: order.get(a.get("lang"), 9)) + others
