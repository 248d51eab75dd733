"""Alert rules, the once-only ledger, the mail they send, digests and backfills."""

from newsmon.alerts.dispatch import AlertReport, RuleIndex, dispatch_alerts
from newsmon.alerts.ledger import AlertLedger
from newsmon.alerts.rules import AlertRule, load_rules

__all__ = ["AlertLedger", "AlertReport", "AlertRule", "RuleIndex", "dispatch_alerts", "load_rules"]
