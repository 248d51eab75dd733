"""Alert rules, the once-only ledger, the mail they send, digests and backfills (storage: :mod:`newsmon.index`)."""

from newsmon.alerts.dispatch import AlertReport, AlertStores, dispatch_alerts
from newsmon.alerts.rules import AlertRule, load_rules
from newsmon.index.ledger_store import AlertChecks, AlertLedger
from newsmon.index.percolator import RuleIndex

__all__ = ["AlertChecks", "AlertLedger", "AlertReport", "AlertRule", "AlertStores", "RuleIndex", "dispatch_alerts",
           "load_rules"]
