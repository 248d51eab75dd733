"""Each configured source's :class:`~newsmon.alerts.operator.checks.SourceHistory`, read from the crawl state (its
runs and feeds), the article index (publication days) and the page outcomes (what processing made of its pages)."""

from __future__ import annotations

from datetime import datetime, timedelta

from elasticsearch import Elasticsearch, NotFoundError

from newsmon.alerts.operator.checks import BASELINE_WINDOW_DAYS, SourceHistory
from newsmon.crawl.shared_state import crawl_state_store
from newsmon.index.page_outcomes import PageOutcomes
from newsmon.index.queries import source_article_stats
from newsmon.settings import Settings
from newsmon.sources import load_registry

__all__ = ["source_histories"]


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def source_histories(settings: Settings, client: Elasticsearch, now: datetime) -> list[SourceHistory]:
    """The history of every source of the sources file at ``now``. A crawl state store that cannot be read
    raises (:class:`~newsmon.errors.ServiceUnavailable`): checks on a partial picture would clear alerts."""
    try:
        articles = source_article_stats(client, settings.index_alias, now, BASELINE_WINDOW_DAYS)
    except NotFoundError:  # nothing indexed yet
        articles = {}
    since = now.date() - timedelta(days=settings.degraded_recent_days + settings.degraded_baseline_days)
    pages = PageOutcomes(client, settings.index_alias).daily_counts(since)
    store = crawl_state_store(settings)
    histories = []
    for source in load_registry(settings).sources:
        state = store.load(source.name)
        stats = articles.get(source.name, {})
        histories.append(SourceHistory(
            source=source.name, now=now, runs=[r for r in state.runs if isinstance(r, dict)],
            feeds={url: {"status": feed.last_status, "error": feed.last_error} for url, feed in state.feeds.items()},
            publication_days=stats.get("publication_days", []),
            newest_published=_parse(stats.get("newest_published")), daily_pages=pages.get(source.name, {})))
    return histories
