"""The operator checks: what can go wrong with a source, each one small class with one hook.

``evaluate(history, settings) -> Finding | None``: a :class:`Finding` while the condition holds, ``None`` when it
does not (or the history is too short to judge). :mod:`newsmon.alerts.operator.notify` turns the change from
``None`` to a finding into a "started" alert and back into a "cleared" one. Checks read only the
:class:`SourceHistory` they are given (no Elasticsearch, no clock): their rules are unit-tested on plain data.

To add a check: write a class with ``name`` (a stable id, kept in the alert history), ``title`` (what the alert
says) and ``evaluate``, and add it to :data:`CHECKS`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from statistics import median
from typing import Protocol

from newsmon.settings import Settings

__all__ = ["BASELINE_DAYS", "BASELINE_WINDOW_DAYS", "CHECKS", "ExtractionDegradedCheck", "FeedsFailingCheck",
           "Finding", "OperatorCheck", "Quiet", "QuietCheck", "SourceHistory", "binomial_tail", "check_named",
           "quiet_verdict"]

#: The usual gap is the median over the gaps between a source's latest this-many-plus-one publication days …
BASELINE_DAYS = 30
#: … looked for in this window before its newest article; fewer than 4 publication days: no verdict.
BASELINE_WINDOW_DAYS = 180
_MIN_BASELINE = 4


@dataclass(frozen=True)
class SourceHistory:
    """What the checks know about one source at ``now``."""

    source: str
    now: datetime
    #: The crawl runs of its crawl state, oldest first (``ok``, ``error``, ``feeds_failed``, …).
    runs: list[dict] = field(default_factory=list)
    #: Feed URL → its last status and error (``{"status": "failed", "error": "..."}``).
    feeds: dict[str, dict] = field(default_factory=dict)
    #: Its publication days over :data:`BASELINE_WINDOW_DAYS` before its newest article, and that article's time.
    publication_days: list[date] = field(default_factory=list)
    newest_published: datetime | None = None
    #: Fetch day (UTC) → (pages processed, of which dropped or stubs).
    daily_pages: dict[date, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """A check's condition holds: ``message`` says what is wrong, ``detail`` the figures behind it."""

    message: str
    detail: dict = field(default_factory=dict)


class OperatorCheck(Protocol):
    #: A stable id (``feeds-failing``): the alert history is keyed by (source, name).
    name: str
    #: What the alert says it is about (``feeds failing``).
    title: str

    def evaluate(self, history: SourceHistory, settings: Settings) -> Finding | None:
        """A finding while the condition holds, else ``None``."""


# -- feeds failing -------------------------------------------------------------------------------------------
def _run_failed(run: dict) -> bool:
    return not run.get("ok", True) or int(run.get("feeds_failed") or 0) > 0


class FeedsFailingCheck:
    """Every one of the source's latest ``operator_failing_runs`` crawl runs failed or had a failed feed."""

    name = "feeds-failing"
    title = "feeds failing"

    def evaluate(self, history: SourceHistory, settings: Settings) -> Finding | None:
        wanted = settings.operator_failing_runs
        latest = history.runs[-wanted:]
        if len(latest) < wanted or not all(_run_failed(run) for run in latest):
            return None
        streak = 0
        for run in reversed(history.runs):
            if not _run_failed(run):
                break
            streak += 1
        failed = {url: feed.get("error") or "failed" for url, feed in sorted(history.feeds.items())
                  if feed.get("status") == "failed"}
        last = latest[-1]
        what = "; ".join(f"{url}: {error}" for url, error in failed.items()) or last.get("error") or "run failed"
        return Finding(f"feeds failing in each of the last {streak} crawl run(s) since {latest[0].get('started')}: "
                       f"{what}", {"runs": streak, "since": history.runs[-streak].get("started"),
                                   "failed_feeds": failed, "last_error": last.get("error")})


# -- quiet ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quiet:
    """The verdict on a source's silence; ``quiet`` is ``None`` when its history is too short to judge."""

    days_since_newest: float | None
    usual_gap_days: float | None
    threshold_days: float | None
    quiet: bool | None


def quiet_verdict(publication_days: list[date], newest: datetime | None, now: datetime, factor: float = 3.0,
                  min_days: float = 2.0) -> Quiet:
    """Whether a source whose newest article was published at ``newest`` has gone quiet by ``now``.

    The usual gap is the median number of days between consecutive days on which the source published, over
    its latest :data:`BASELINE_DAYS` publication days (``publication_days``, taken from the
    :data:`BASELINE_WINDOW_DAYS` before its newest article, so a long silence does not empty the baseline).
    The median ignores bursts (ten articles on one day count as one day) and one-off long breaks. The source
    is quiet when the time since its newest article exceeds ``factor`` times that gap and at least ``min_days``
    days (settings ``quiet_factor``, 3, and ``quiet_min_days``, 2): a daily source after 3 silent days, a weekly
    one after 3 weeks.
    """
    if newest is None:
        return Quiet(None, None, None, None)
    since = round(max((now - newest).total_seconds(), 0) / 86400, 1)
    days = sorted(set(publication_days))[-(BASELINE_DAYS + 1):]
    if len(days) < _MIN_BASELINE:
        return Quiet(since, None, None, None)
    usual = float(median((b - a).days for a, b in pairwise(days)))
    threshold = max(factor * usual, float(min_days))
    return Quiet(since, usual, threshold, since > threshold)


class QuietCheck:
    """The source has been silent for longer than its usual gap allows (:func:`quiet_verdict`)."""

    name = "quiet"
    title = "quiet beyond its usual gap"

    def evaluate(self, history: SourceHistory, settings: Settings) -> Finding | None:
        verdict = quiet_verdict(history.publication_days, history.newest_published, history.now,
                                settings.quiet_factor, settings.quiet_min_days)
        if not verdict.quiet:
            return None
        return Finding(f"no new article for {verdict.days_since_newest:g} days; it usually publishes every "
                       f"{verdict.usual_gap_days:g} day(s) (alert after {verdict.threshold_days:g})",
                       {"days_since_newest": verdict.days_since_newest, "usual_gap_days": verdict.usual_gap_days,
                        "threshold_days": verdict.threshold_days,
                        "newest_published": history.newest_published.isoformat() if history.newest_published else None})


# -- extraction degraded -----------------------------------------------------------------------------------------
def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X ≥ k) for X ~ Binomial(n, p), summed in log space (no overflow for thousands of pages)."""
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    terms = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p)
             + (n - i) * math.log1p(-p) for i in range(k, n + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def _window(daily: dict[date, tuple[int, int]], first: date, last: date) -> tuple[int, int]:
    pages = bad = 0
    for day, (n, k) in daily.items():
        if first <= day <= last:
            pages, bad = pages + n, bad + k
    return pages, bad


class ExtractionDegradedCheck:
    """The share of the source's pages that were dropped or came out as stubs jumped against its own history.

    Recent window: the latest ``degraded_recent_days`` fetch days (today included); baseline: the
    ``degraded_baseline_days`` before them. Degraded when both windows hold enough pages
    (``degraded_min_pages``, ``degraded_min_baseline_pages``), the recent share exceeds the baseline share by at
    least ``degraded_min_jump``, and seeing that many bad pages would be unlikely if the baseline rate still held:
    P(X ≥ bad) ≤ ``degraded_max_p_value`` for X ~ Binomial(recent pages, (baseline bad + 1) / (baseline pages + 2))
    (the +1/+2 keeps a spotless baseline from making any single stub "impossible").
    """

    name = "extraction-degraded"
    title = "extraction degraded"

    def evaluate(self, history: SourceHistory, settings: Settings) -> Finding | None:
        today = history.now.date()
        recent_first = today - timedelta(days=settings.degraded_recent_days - 1)
        baseline_first = recent_first - timedelta(days=settings.degraded_baseline_days)
        n1, k1 = _window(history.daily_pages, recent_first, today)
        n0, k0 = _window(history.daily_pages, baseline_first, recent_first - timedelta(days=1))
        if n1 < settings.degraded_min_pages or n0 < settings.degraded_min_baseline_pages:
            return None
        recent, baseline = k1 / n1, k0 / n0
        if recent - baseline < settings.degraded_min_jump:
            return None
        p_value = binomial_tail(k1, n1, (k0 + 1) / (n0 + 2))
        if p_value > settings.degraded_max_p_value:
            return None
        return Finding(f"{k1} of {n1} pages fetched since {recent_first} were dropped or stubs ({recent:.0%}), "
                       f"against {k0} of {n0} ({baseline:.0%}) in the {settings.degraded_baseline_days} days before: "
                       "the site may have changed its layout (check its extractor)",
                       {"recent_pages": n1, "recent_bad": k1, "recent_share": round(recent, 4),
                        "baseline_pages": n0, "baseline_bad": k0, "baseline_share": round(baseline, 4),
                        "p_value": p_value, "since": recent_first.isoformat()})


#: Every operator check, in the order their alerts are listed. Adding one is adding it here.
CHECKS: tuple[OperatorCheck, ...] = (FeedsFailingCheck(), QuietCheck(), ExtractionDegradedCheck())


def check_named(name: str) -> OperatorCheck | None:
    return next((check for check in CHECKS if check.name == name), None)
