"""Daily mentions per actor and per theme over the last weeks, with the days one rose far above its own baseline.

The counts (:func:`newsmon.index.queries.daily_mentions`) are articles per UTC publication day tagged with the
actor or theme, near-duplicate copies left out, for the :data:`TOP` actors and themes most articles were tagged
with over the last :data:`DAYS` days (ending on the day of the newest article).

**The spike rule** (:func:`spike_days`): a day is a spike of a series when its count is at least
:data:`MIN_COUNT` and above the mean plus :data:`SD_FACTOR` standard deviations of the same series over the
:data:`HISTORY_DAYS` days before it (population standard deviation; days without articles count as 0). A series
that was silent for the whole baseline spikes on any day with :data:`MIN_COUNT` articles or more. The rule
compares a series with itself only, so a much-reported actor (the Taliban) needs many more articles to spike
than a rarely reported one.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean, pstdev

from newsmon.monitor.svg_chart import ChartSeries, render_line_chart

__all__ = ["DAYS", "HISTORY_DAYS", "MIN_COUNT", "SD_FACTOR", "TOP", "Spike", "mentions_chart", "spike_days",
           "spike_rule_text"]

DAYS = 28
HISTORY_DAYS = 14
SD_FACTOR = 3.0
MIN_COUNT = 3
TOP = 6


@dataclass(frozen=True)
class Spike:
    """A day (its index in the series) a series rose far above its baseline, and that baseline."""

    day: int
    count: int
    mean: float
    sd: float


def spike_rule_text(history_days: int = HISTORY_DAYS, sd_factor: float = SD_FACTOR, min_count: int = MIN_COUNT) -> str:
    """The rule in a sentence, as the page states it."""
    return (f"a day is marked when its count is at least {min_count} and above the mean plus {sd_factor:g} "
            f"standard deviations of the same line over the {history_days} days before it")


def spike_days(counts: list[int], history_days: int = HISTORY_DAYS, sd_factor: float = SD_FACTOR,
               min_count: int = MIN_COUNT) -> list[Spike]:
    """The spikes of a daily series (see the module docstring): each day with at least ``history_days`` days
    before it whose count is at least ``min_count`` and greater than mean + ``sd_factor`` · sd of those days."""
    spikes = []
    for day in range(history_days, len(counts)):
        history = counts[day - history_days: day]
        mean, sd = fmean(history), pstdev(history)
        if counts[day] >= min_count and counts[day] > mean + sd_factor * sd:
            spikes.append(Spike(day, counts[day], round(mean, 2), round(sd, 2)))
    return spikes


def _series(kind: str, counts_by_id: dict[str, list[int]], days: list[str], labels: dict[str, str],
            history_days: int) -> list[dict]:
    shown = []
    for entry_id, counts in counts_by_id.items():
        spikes = spike_days(counts, history_days)
        window = counts[history_days:]
        shown.append({"id": entry_id, "kind": kind, "label": labels.get(entry_id, entry_id), "counts": window,
                      "total": sum(window),
                      "spikes": [{"day": days[s.day], "count": s.count, "baseline_mean": s.mean,
                                  "baseline_sd": s.sd} for s in spikes]})
    return shown


def mentions_chart(daily: dict, labels: dict[str, str], history_days: int = HISTORY_DAYS) -> dict:
    """The chart data of :func:`~newsmon.index.queries.daily_mentions`'s answer, with spikes, and its SVGs.

    Returns ``{"days": [the shown days], "history_days": n, "rule": sentence, "actors": [series], "themes": [series], "svg":
    {"actors": svg, "themes": svg}}``; each series ``{"id", "kind", "label", "counts", "total", "spikes":
    [{"day", "count", "baseline_mean", "baseline_sd"}]}``. ``labels`` maps ids to the watchlist's labels.
    """
    days = daily.get("days") or []
    shown_days = days[history_days:]
    chart: dict = {"days": shown_days, "history_days": history_days, "rule": spike_rule_text(history_days), "svg": {}}
    for kind, title in (("actors", "Articles per day mentioning each actor"),
                        ("themes", "Articles per day on each theme")):
        chart[kind] = _series(kind, daily.get(kind) or {}, days, labels, history_days)
        lines = [ChartSeries(s["label"], s["counts"], {
            shown_days.index(p["day"]): f"{s['label']}: {p['count']} articles on {p['day']} (the {history_days} "
                                        f"days before: mean {p['baseline_mean']:g}, sd {p['baseline_sd']:g})"
            for p in s["spikes"]}) for s in chart[kind]]
        chart["svg"][kind] = render_line_chart(title, shown_days, lines, element_id=f"mentions-{kind}") \
            if lines else ""
    return chart
