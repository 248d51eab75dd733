"""Digests and backfills: one mail per rule listing the events of its matches, each (rule, article) sent once.

A digest rule's matches wait in the ledger as ``digest-pending``. :func:`send_digests` (the hourly
``news_digest`` DAG) sends, for each digest rule whose schedule ticked, the matches recorded before that tick
in one mail, grouped by event. :func:`backfill_rule` (``newsmon alerts backfill``) sends a rule's matches published
since a date that were never mailed, also in one mail. Both claim the articles in the ledger first (``digest-claimed``,
under a digest id that becomes the Message-ID), send, then mark them ``sent``; a refused mail returns them to
where they were, and a batch left claimed by a crash is resent as the same mail by the next digest run.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from newsmon.alerts.dispatch import copies_by_original, event_summary, rule_matches
from newsmon.alerts.mail import build_digest_mail
from newsmon.alerts.rules import AlertRule
from newsmon.alerts.smtp import send_mail
from newsmon.errors import ServiceUnavailable
from newsmon.index import queries
from newsmon.index.events_store import EventStore
from newsmon.index.ledger_store import DIGEST_PENDING, SKIPPED_BACKFILL, AlertLedger
from newsmon.index.store import ArticleStore
from newsmon.settings import Settings

__all__ = ["STALE_CLAIM", "DigestReport", "backfill_rule", "send_digests"]

log = logging.getLogger(__name__)

#: A batch still claimed this long after its claim was left by a crash between send and record: resend it.
STALE_CLAIM = timedelta(minutes=15)


@dataclass
class DigestReport:
    digests: list[dict] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: Articles matched but not in this mail: already sent, or waiting for their usual mail.
    not_included: int = 0

    def to_dict(self) -> dict:
        return {"digests": len(self.digests), "events": sum(d["events"] for d in self.digests),
                "articles": sum(d["articles"] for d in self.digests), "failed": len(self.failed),
                "not_included": self.not_included, "mails": self.digests}


def digest_id(rule_id: str, entry_keys: list[str]) -> str:
    return hashlib.sha1("|".join([rule_id, *sorted(entry_keys)]).encode()).hexdigest()[:32]


def _entry_articles(entry: dict) -> list[str]:
    """The article ids of a ledger entry: its article, or (an entry from before events) its story's articles."""
    return [entry["article_id"]] if entry.get("article_id") else list(entry.get("doc_ids") or [])


def send_digests(store: ArticleStore, rules: list[AlertRule], settings: Settings, ledger: AlertLedger,
                 at: datetime, events: EventStore | None = None) -> DigestReport:
    """Send the digests due at ``at`` (the DAG run's data interval end); raise if one could not be sent."""
    report = DigestReport()
    ledger.ensure_index()
    rules_by_id = {r.id: r for r in rules}
    for batch_id, entries in ledger.stale_batches(datetime.now(UTC) - STALE_CLAIM).items():
        rule = rules_by_id.get(entries[0]["rule_id"])
        if rule is None:
            log.warning("digest %s of the removed rule %s stays unsent", batch_id, entries[0]["rule_id"])
            continue
        log.warning("digest %s of %s was claimed but never marked sent (a crash?): sending it again with the "
                    "same Message-ID", batch_id, rule.id)
        _send_batch(store, events, rule, batch_id, entries, settings, ledger, "(resent)", report)
    waiting_rules = {rule_id for rule_id, counts in ledger.counts().items() if counts.get(DIGEST_PENDING)}
    for rule in (r for r in rules if r.id in waiting_rules):
        # A digest rule (or updates: digest): what was recorded before its last tick. Else what is left.
        before = rule.digest_cutoff(at) if rule.mode == "digest" or rule.updates == "digest" else datetime.now(UTC)
        waiting = [e for e in ledger.entries(DIGEST_PENDING, size=10_000, rule_id=rule.id)
                   if datetime.fromisoformat(e["claimed_at"]) < before]
        if not waiting:
            continue
        batch_id = digest_id(rule.id, [e["key"] for e in waiting])
        entries = ledger.claim_batch(rule.id, [DIGEST_PENDING], batch_id, before=before,
                                     article_ids=[e.get("article_id") or e["story_id"] for e in waiting])
        _send_batch(store, events, rule, batch_id, entries, settings, ledger,
                    f"until {before:%Y-%m-%d %H:%M} UTC", report)
    if report.failed:
        raise ServiceUnavailable(f"{len(report.failed)} digest(s) could not be sent; their articles stay pending "
                                 f"for the next run: {report.failed[0]}")
    return report


def backfill_rule(store: ArticleStore, rule: AlertRule, settings: Settings, ledger: AlertLedger,
                  since: date, events: EventStore | None = None) -> DigestReport:
    """Mail ``rule``'s matches published since ``since`` that were never mailed, as one digest; mark them sent.

    Articles already sent, or waiting for their rule's usual mail or digest, are left out (``not_included``).
    """
    report = DigestReport()
    ledger.ensure_index()
    matches = rule_matches(store, rule, since.isoformat())
    ledger.record(rule.id, matches, SKIPPED_BACKFILL, rule.recipients)
    statuses = ledger.statuses(rule.id, [a["_id"] for a in matches])
    wanted = sorted(a["_id"] for a in matches if statuses.get(a["_id"]) == SKIPPED_BACKFILL)
    report.not_included = len(matches) - len(wanted)
    if wanted:
        batch_id = digest_id(rule.id, [ledger.key(rule.id, a) for a in wanted])
        entries = ledger.claim_batch(rule.id, [SKIPPED_BACKFILL], batch_id, article_ids=wanted)
        _send_batch(store, events, rule, batch_id, entries, settings, ledger, f"since {since.isoformat()}", report)
    if report.failed:
        raise ServiceUnavailable(f"the backfill digest could not be sent; run the backfill again: {report.failed[0]}")
    return report


def _send_batch(store: ArticleStore, events: EventStore | None, rule: AlertRule, batch_id: str, entries: list[dict],
                settings: Settings, ledger: AlertLedger, period: str, report: DigestReport) -> None:
    if not entries:
        return  # another run claimed them first
    ids = list(dict.fromkeys(i for e in entries for i in _entry_articles(e)))
    articles = queries.articles_by_ids(store.client, store.alias, ids)
    by_event: dict[str, list[dict]] = {}
    for article in articles:
        by_event.setdefault(article.get("event_id") or f"story-{article.get('story_id') or article['_id']}",
                            []).append(article)
    grouped = [(event_summary(events, event_id) if events is not None and not event_id.startswith("story-")
                else {"id": event_id}, arts) for event_id, arts in by_event.items()]
    grouped.sort(key=lambda pair: max(a.get("published") or "" for a in pair[1]), reverse=True)
    message_id = f"<digest-{batch_id}@newsmon>"
    if not grouped:
        ledger.mark_batch_sent(batch_id, message_id, "(not sent: its articles are no longer indexed)")
        return
    message = build_digest_mail(rule, grouped, settings, message_id, period, copies_by_original(store, ids))
    try:
        send_mail(message, settings)
    except ServiceUnavailable as exc:
        ledger.release_batch(batch_id, str(exc))
        report.failed.append(f"{rule.id} digest of {len(grouped)} events: {exc}")
        return
    ledger.mark_batch_sent(batch_id, message_id, message["Subject"])
    report.digests.append({"rule": rule.id, "digest_id": batch_id, "events": len(grouped), "articles": len(articles),
                           "subject": message["Subject"], "to": rule.recipients})
    log.info("digest sent: %s to %s", message["Subject"], ", ".join(rule.recipients))
