"""The health of each source: its latest crawls and feeds (crawl state) and its articles (Elasticsearch).

For every source of the sources file (plus any source that only Elasticsearch knows, ``configured: false``):

* the last run and the last successful run (``CrawlState.runs``, newest last), the feeds it checked and their
  last status (``ok``, ``ok-with-problems``, ``unchanged``, ``failed``) with the last error;
* the articles that came in (``indexed_at``) in the last 24 hours and 7 days, by language, and in all;
* whether it has gone *quiet*: see :func:`~newsmon.alerts.operator.checks.quiet_verdict` (the rule of the
  operator alert, with the settings ``quiet_factor`` and ``quiet_min_days``);
* its operator alerts (:mod:`newsmon.alerts.operator`): those open now and the latest started/cleared notices.

The article counts are read through :mod:`newsmon.index.queries`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from elasticsearch import Elasticsearch, NotFoundError

from newsmon.alerts.operator.checks import BASELINE_DAYS, BASELINE_WINDOW_DAYS, Quiet, quiet_verdict
from newsmon.crawl.shared_state import read_crawl_state
from newsmon.index.operator_store import OperatorAlertStore, operator_index
from newsmon.index.queries import source_article_stats
from newsmon.settings import Settings
from newsmon.sources import Source, load_registry

__all__ = ["BASELINE_DAYS", "Quiet", "quiet_verdict", "source_health"]

#: Operator alert notices shown per source (newest first).
OPERATOR_HISTORY = 10


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


def _article_stats(client: Elasticsearch, settings: Settings, now: datetime) -> dict[str, dict]:
    """Source → articles in 24 h / 7 days by language (by ``indexed_at``), total, and the quiet verdict."""
    stats = source_article_stats(client, settings.index_alias, now, BASELINE_WINDOW_DAYS)
    for row in stats.values():
        days = row.pop("publication_days")
        if row["newest_published"]:
            row.update(asdict(quiet_verdict(days, _parse(row["newest_published"]), now, settings.quiet_factor,
                                            settings.quiet_min_days)))
    return stats


def _operator_alerts(client: Elasticsearch, settings: Settings) -> dict[str, dict]:
    """Source → ``{"open": [...], "history": [...]}``, its open operator alerts and latest notices."""
    store = OperatorAlertStore(client, operator_index(settings.index_alias))
    found: dict[str, dict] = {}
    for state in store.open_alerts():
        found.setdefault(state["source"], {"open": [], "history": []})["open"].append(state)
    for notice in store.notices(per_source=OPERATOR_HISTORY):
        found.setdefault(notice["source"], {"open": [], "history": []})["history"].append(notice)
    return found


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
    operator: dict[str, dict] = {}
    if client is not None:
        try:
            stats = _article_stats(client, settings, now)
            index_exists = True
        except NotFoundError:
            index_exists = False
        operator = _operator_alerts(client, settings)
    for name in stats:
        rows.setdefault(name, {"name": name, "title": name, "configured": False, "last_run": None,
                               "last_success": None, "last_checked": None, "feeds": [], "feeds_checked": 0,
                               "feeds_unchanged": 0, "feeds_failed": 0, "feeds_with_problems": 0})
    for name, row in rows.items():
        empty = {"articles_24h": {}, "articles_7d": {}, "articles_by_lang": {}, "articles_total": 0}
        row.update({**article_fields, **(empty if index_exists is not None else {}), **stats.get(name, {})})
        row["operator_alerts"] = operator.get(name, {"open": [], "history": []})
        row["warnings"] = _warnings(row)
        kinds = {w["kind"] for w in row["warnings"]}
        alerting = bool(row["operator_alerts"]["open"])
        row["status"] = "failed" if "run-failed" in kinds else "warning" if kinds or alerting else "ok"
    return {"index": settings.index_alias, "index_exists": index_exists, "generated_at": _iso(now),
            "sources": list(rows.values())}
