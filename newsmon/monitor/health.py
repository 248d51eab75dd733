"""The health of each source: its latest crawls and feeds (crawl state) and its articles (Elasticsearch).

For every source of the sources file (plus any source that only Elasticsearch knows, ``configured: false``):

* the last run and the last successful run (``CrawlState.runs``, newest last), the feeds it checked and their
  last status (``ok``, ``ok-with-problems``, ``unchanged``, ``failed``) with the last error;
* the articles that came in (``indexed_at``) in the last 24 hours and 7 days, by language, and in all;
* whether it has gone *quiet*: see :func:`quiet_verdict`.

The article counts are read through :mod:`newsmon.index.queries`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from itertools import pairwise
from statistics import median

from elasticsearch import Elasticsearch, NotFoundError

from newsmon.crawl.shared_state import read_crawl_state
from newsmon.index.queries import source_article_stats
from newsmon.settings import Settings
from newsmon.sources import Source, load_registry

__all__ = ["BASELINE_DAYS", "MIN_QUIET_DAYS", "QUIET_FACTOR", "Quiet", "quiet_verdict", "source_health"]

#: A source is quiet when its silence exceeds this many times its usual gap between publication days …
QUIET_FACTOR = 3
#: … and at least this many days (so a daily source is quiet after three silent days, not after one).
MIN_QUIET_DAYS = 2
#: The usual gap is the median over the gaps between its latest this-many-plus-one publication days …
BASELINE_DAYS = 30
#: … looked for in this window before its newest article; fewer than 4 publication days: no verdict.
BASELINE_WINDOW_DAYS = 180
_MIN_BASELINE = 4


@dataclass(frozen=True)
class Quiet:
    """The verdict on a source's silence; ``quiet`` is ``None`` when its history is too short to judge."""

    days_since_newest: float | None
    usual_gap_days: float | None
    threshold_days: float | None
    quiet: bool | None


def quiet_verdict(publication_days: list[date], newest: datetime | None, now: datetime) -> Quiet:
    """Whether a source whose newest article was published at ``newest`` has gone quiet by ``now``.

    The usual gap is the median number of days between consecutive days on which the source published, over
    its latest :data:`BASELINE_DAYS` publication days (``publication_days``, taken from the
    :data:`BASELINE_WINDOW_DAYS` before its newest article, so a long silence does not empty the baseline).
    The median ignores bursts (ten articles on one day count as one day) and one-off long breaks. The source
    is quiet when the time since its newest article exceeds :data:`QUIET_FACTOR` times that gap and at least
    :data:`MIN_QUIET_DAYS` days: a daily source after 3 silent days, a weekly one after 3 weeks.
    """
    if newest is None:
        return Quiet(None, None, None, None)
    since = round(max((now - newest).total_seconds(), 0) / 86400, 1)
    days = sorted(set(publication_days))[-(BASELINE_DAYS + 1):]
    if len(days) < _MIN_BASELINE:
        return Quiet(since, None, None, None)
    usual = float(median((b - a).days for a, b in pairwise(days)))
    threshold = max(QUIET_FACTOR * usual, float(MIN_QUIET_DAYS))
    return Quiet(since, usual, threshold, since > threshold)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _crawl_health(settings: Settings, source: Source) -> dict:
    """What the crawl state of ``source`` says: its runs and the last status of each feed and listing."""
    state = read_crawl_state(settings, source.name)
    runs = [r for r in getattr(state, "runs", None) or [] if isinstance(r, dict)]
    configured = [str(f.url) for f in source.feeds] + [str(listing.url) for listing in source.listings]
    feeds = []
    for url in configured + sorted(u for u in state.feeds if u not in configured):
        feed = state.feeds.get(url)
        feeds.append({"url": url, "configured": url in configured,
                      "status": feed.last_status if feed else None,
                      "last_checked": feed.last_checked if feed else None,
                      "error": feed.last_error if feed else None})
    last_run = runs[-1] if runs else None
    by_status = {s: sum(1 for f in feeds if f["status"] == s) for s in ("unchanged", "failed", "ok-with-problems")}
    return {
        "last_run": last_run,
        "last_success": next((r.get("finished") for r in reversed(runs) if r.get("ok")), None),
        "last_checked": max((f["last_checked"] for f in feeds if f["last_checked"]), default=None),
        "feeds": feeds,
        # The last run's own counts when it recorded them, else the feeds' last statuses.
        "feeds_checked": (last_run or {}).get("feeds_checked", sum(1 for f in feeds if f["status"])),
        "feeds_unchanged": (last_run or {}).get("feeds_unchanged", by_status["unchanged"]),
        "feeds_failed": (last_run or {}).get("feeds_failed", by_status["failed"]),
        "feeds_with_problems": by_status["ok-with-problems"],
    }


def _article_stats(client: Elasticsearch, alias: str, now: datetime) -> dict[str, dict]:
    """Source → articles in 24 h / 7 days by language (by ``indexed_at``), total, and the quiet verdict."""
    stats = source_article_stats(client, alias, now, BASELINE_WINDOW_DAYS)
    for row in stats.values():
        days = row.pop("publication_days")
        if row["newest_published"]:
            row.update(asdict(quiet_verdict(days, _parse(row["newest_published"]), now)))
    return stats


def _warnings(row: dict) -> list[dict]:
    found = []
    run = row.get("last_run")
    if row["configured"] and run is None and not row["last_checked"]:
        found.append({"kind": "never-crawled", "message": "no crawl recorded yet"})
    if run is not None and not run.get("ok"):
        found.append({"kind": "run-failed", "message": f"last crawl failed: {run.get('error') or 'unknown error'}"})
    for feed in row["feeds"]:
        if feed["status"] == "failed":
            found.append({"kind": "feed-failed", "message": f"{feed['url']}: {feed['error'] or 'failed'}"})
    if row.get("quiet"):
        found.append({"kind": "quiet", "message": (
            f"quiet for {int(row['days_since_newest'])} days (usually a new article every "
            f"{row['usual_gap_days']:g} day(s); warned after {row['threshold_days']:g})")})
    if row.get("articles_total") == 0 and row["configured"]:
        found.append({"kind": "no-articles", "message": "no article indexed from this source"})
    return found


def source_health(settings: Settings, client: Elasticsearch | None, now: datetime | None = None) -> dict:
    """Every source's health, and whether the article index exists.

    ``client`` may be ``None`` (Elasticsearch unreachable): the crawl state is still reported, the article
    fields are ``None``. Returns ``{"index": alias, "index_exists": bool | None, "sources": [...]}``.
    """
    now = now or datetime.now(UTC)
    registry = load_registry(settings)
    rows = {s.name: {"name": s.name, "title": s.title, "configured": True, **_crawl_health(settings, s)}
            for s in registry.sources}
    article_fields = dict.fromkeys(("articles_24h", "articles_7d", "articles_by_lang", "articles_total",
                                    "newest_published", *Quiet.__dataclass_fields__))
    index_exists: bool | None = None
    stats: dict[str, dict] = {}
    if client is not None:
        try:
            stats = _article_stats(client, settings.index_alias, now)
            index_exists = True
        except NotFoundError:
            index_exists = False
    for name in stats:
        rows.setdefault(name, {"name": name, "title": name, "configured": False, "last_run": None,
                               "last_success": None, "last_checked": None, "feeds": [], "feeds_checked": 0,
                               "feeds_unchanged": 0, "feeds_failed": 0, "feeds_with_problems": 0})
    for name, row in rows.items():
        empty = {"articles_24h": {}, "articles_7d": {}, "articles_by_lang": {}, "articles_total": 0}
        row.update({**article_fields, **(empty if index_exists is not None else {}), **stats.get(name, {})})
        row["warnings"] = _warnings(row)
        kinds = {w["kind"] for w in row["warnings"]}
        row["status"] = "failed" if "run-failed" in kinds else "warning" if kinds else "ok"
    return {"index": settings.index_alias, "index_exists": index_exists, "generated_at": _iso(now),
            "sources": list(rows.values())}
