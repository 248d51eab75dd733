"""Run the operator checks, record what started or cleared, and deliver it once to the operator channel.

For each source of the sources file and each check of :data:`~newsmon.alerts.operator.checks.CHECKS`: a finding
where the (source, check) was clear opens a new episode (a "started" notice); no finding where it was open closes
it (a "cleared" notice). Notices are created once, keyed by (source, check, episode, transition)
(:mod:`newsmon.index.operator_store`), so a rerun sends nothing twice. Then every pending notice is claimed and
handed to the channel of ``operator_channel`` as a :class:`~newsmon.alerts.channels.Delivery` whose key stays the
same on a resend (the mail's Message-ID, the webhook's Idempotency-Key). A refused delivery stays pending for the
next run and fails the task (Airflow retries it); with no operator channel set, notices are logged and recorded as
``logged``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsmon.alerts.channels import Delivery, channel_for, check_destination
from newsmon.alerts.mail import notice_plain_text, notice_subject
from newsmon.alerts.operator.checks import CHECKS, OperatorCheck, SourceHistory
from newsmon.configfile import ConfigError
from newsmon.errors import ServiceUnavailable
from newsmon.index.operator_store import (
    LOGGED,
    OPEN,
    SENT,
    STARTED,
    OperatorAlertStore,
    notice_id,
    operator_index,
)
from newsmon.settings import Settings

__all__ = ["OperatorReport", "check_sources", "deliver_pending", "evaluate_sources", "notice_message_id"]

log = logging.getLogger(__name__)


@dataclass
class OperatorReport:
    sources: int = 0
    started: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    sent: int = 0
    logged: int = 0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"sources": self.sources, "started": self.started, "cleared": self.cleared, "open": self.open,
                "sent": self.sent, "logged": self.logged, "failed": self.failed}


def notice_message_id(key: str) -> str:
    """The delivery key of a notice: a Message-ID, the same on every resend."""
    return f"<operator-{hashlib.sha1(key.encode()).hexdigest()[:32]}@newsmon>"


def evaluate_sources(store: OperatorAlertStore, histories: list[SourceHistory], settings: Settings, at: datetime,
                     report: OperatorReport, checks: tuple[OperatorCheck, ...] = CHECKS) -> None:
    """Open or clear each (source, check) whose condition changed since the last run."""
    states = store.states()
    for history in histories:
        report.sources += 1
        for check in checks:
            finding = check.evaluate(history, settings)
            state = states.get((history.source, check.name))
            is_open = state is not None and state.get("status") == OPEN
            label = f"{history.source}/{check.name}"
            if finding is not None and not is_open:
                episode = int(state["episode"]) + 1 if state else 1
                store.open(history.source, check.name, check.title, episode, finding.message, finding.detail, at)
                report.started.append(label)
            elif finding is None and is_open:
                store.clear(state, f"{check.title}: the condition no longer holds (it started "
                                   f"{state.get('opened_at')}: {state.get('message')})", at)
                report.cleared.append(label)
            elif finding is not None and (finding.message, finding.detail) != (state.get("message"),
                                                                                state.get("detail")):
                store.update_finding(state, finding.message, finding.detail)
            if finding is not None:
                report.open.append(label)


def deliver_pending(store: OperatorAlertStore, settings: Settings, report: OperatorReport) -> None:
    """Hand every pending notice to the operator channel (or log it when none is set), oldest first."""
    destination = settings.operator_channel.strip()
    for notice in store.pending():
        key = notice["key"]
        if not store.claim(key, settings.lease_seconds):
            continue
        if not destination:
            log.warning("operator alert (no operator_channel set: logged only): %s\n%s", notice_subject(notice),
                        notice_plain_text(notice))
            store.mark(key, LOGGED, None)
            report.logged += 1
            continue
        started = notice_id(notice["source"], notice["check"], notice["episode"], STARTED)
        delivery = Delivery(destination, notice_message_id(key), [], {}, [], seq=0,
                            thread_key=notice_message_id(started) if started != key else "", notice=notice)
        try:
            receipt = channel_for(destination).deliver(delivery, settings)
        except ServiceUnavailable as exc:
            store.mark_failed(key, destination, str(exc))
            report.failed.append(f"{key}: {exc}")
            log.error("operator alert %s could not go to %s (%s); it stays pending for the next run", key,
                      destination, exc)
            continue
        store.mark(key, SENT, destination, receipt)
        report.sent += 1


def check_sources(settings: Settings, at: datetime | None = None) -> OperatorReport:
    """Run every check on every source at ``at`` (default now) and deliver what started or cleared.

    Raises :class:`ServiceUnavailable` when Elasticsearch or the crawl state store is down, and after the run
    when a notice could not be delivered (it stays pending for the next run)."""
    from newsmon.alerts.operator.history import source_histories
    from newsmon.index import connect

    if settings.operator_channel.strip():
        try:
            check_destination(settings.operator_channel.strip())
        except ValueError as exc:
            raise ConfigError(f"operator_channel (NEWSMON_OPERATOR_CHANNEL): {exc}") from None
    at = at or datetime.now(UTC)
    client = connect(settings)
    store = OperatorAlertStore(client, operator_index(settings.index_alias))
    store.ensure_index()
    report = OperatorReport()
    evaluate_sources(store, source_histories(settings, client, at), settings, at, report)
    deliver_pending(store, settings, report)
    log.info("operator checks: %s", report.to_dict())
    if report.failed:
        raise ServiceUnavailable(f"{len(report.failed)} operator alert(s) could not be sent and stay pending for "
                                 f"the next run: {report.failed[0]}")
    return report
