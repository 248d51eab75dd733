"""Operator alerts: per source, "feeds failing", "quiet beyond its usual gap" and "extraction degraded", each sent
once when it starts and once when it clears to the operator channel of the settings (``operator_channel``).

:mod:`.checks` holds the checks (one class each, one hook: ``evaluate``) and their registry ``CHECKS``;
:mod:`.history` reads what they judge; :mod:`.notify` records the changes
(:mod:`newsmon.index.operator_store`) and delivers them through the alert channels.
"""

from newsmon.alerts.operator.checks import CHECKS, Finding, SourceHistory
from newsmon.alerts.operator.notify import OperatorReport, check_sources, evaluate_sources

__all__ = ["CHECKS", "Finding", "OperatorReport", "SourceHistory", "check_sources", "evaluate_sources"]
