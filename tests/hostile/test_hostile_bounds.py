"""Work and time bounds of a crawl run against the hostile site: the page budget counts every attempt, a long
Retry-After defers the URL to a later run (recorded in the state) instead of sleeping, and a run past its
deadline leaves the rest for the next run. Real crawler, real server, real sockets."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import hostile_pages as pages
import pytest
from conftest import hostile_settings

from newsmon.crawl.crawler import crawl_source
from newsmon.crawl.shared_state import crawl_state_store
from newsmon.sources import load_registry

pytestmark = pytest.mark.integration

#: The furthest a Retry-After can push a URL back (the README's promise).
MAX_DEFERRAL = timedelta(days=7)


def _crawl(settings, name: str):
    started = time.monotonic()
    report = crawl_source(load_registry(settings).get(name), settings)
    return report, time.monotonic() - started


def _reasons(report) -> Counter:
    return Counter(e["reason"] or e["status"] for e in report.events)


def test_503_with_a_huge_retry_after_defers_and_failed_attempts_use_up_the_page_budget(hostile_site, tmp_path,
                                                                                     elasticsearch_url):
    settings = hostile_settings(tmp_path / "data", hostile_site, elasticsearch_url)
    hostile_site.reset()
    first, seconds = _crawl(settings, "hostile_flood")
    items = [r for r in hostile_site.requests(pages.FLOOD_HOST) if r.path.startswith("/item/")]
    assert [(r.path, r.status) for r in items] == [(f"/item/{n}/", 503) for n in range(5)]  # 5 of 10,000, once each
    assert seconds < 10  # no Retry-After was slept on
    assert _reasons(first) == {"deferred": 5, "run-budget-exhausted": pages.FLOOD_LINKS - 5}
    assert [e["attempts"] for e in first.events if e["reason"] == "deferred"] == [1] * 5
    state = crawl_state_store(settings).load("hostile_flood")
    deferred = {url: record for url, record in state.failures.items() if record["reason"] == "deferred"}
    assert sorted(deferred) == sorted(f"https://{pages.FLOOD_HOST}/item/{n}/" for n in range(5))
    later = datetime.now(UTC) + MAX_DEFERRAL  # Retry-After: 999999 (11.6 days), capped at 7 days
    for record in deferred.values():
        retry_at = datetime.fromisoformat(record["retry_at"])
        assert later - timedelta(minutes=5) < retry_at <= later and record["http_status"] is None
    assert state.runs[-1]["skipped_by_reason"] == {"deferred": 5, "run-budget-exhausted": pages.FLOOD_LINKS - 5}

    hostile_site.reset()
    second, _ = _crawl(settings, "hostile_flood")
    items = [r.path for r in hostile_site.requests(pages.FLOOD_HOST) if r.path.startswith("/item/")]
    assert items == [f"/item/{n}/" for n in range(5, 10)]  # the deferred ones are not asked again yet
    assert _reasons(second) == {"deferred": 10, "run-budget-exhausted": pages.FLOOD_LINKS - 10}
    assert [e["attempts"] for e in second.events if e["reason"] == "deferred"] == [0] * 5 + [1] * 5


def test_a_run_past_its_deadline_leaves_the_rest_for_the_next_run(hostile_site, tmp_path, elasticsearch_url):
    settings = hostile_settings(tmp_path / "data", hostile_site, elasticsearch_url)
    first, seconds = _crawl(settings, "hostile_slow")  # 12 pages of a second each, a 4-second run deadline
    assert seconds < 5.5
    assert _reasons(first) == {"fetched": 3, "deadline": 1, "run-deadline": 8}
    assert crawl_state_store(settings).load("hostile_slow").runs[-1]["skipped_by_reason"] == {
        "deadline": 1, "run-deadline": 8}
    fetched_first = {e["url"] for e in first.events if e["status"] == "fetched"}

    second, _ = _crawl(settings, "hostile_slow")
    assert _reasons(second) == {"unchanged": 3, "fetched": 3, "deadline": 1, "run-deadline": 5}
    fetched_second = {e["url"] for e in second.events if e["status"] == "fetched"}
    assert len(fetched_first | fetched_second) == 6  # the second run went on where the first stopped
