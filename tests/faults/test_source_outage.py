"""A source down for a whole run: one times out on every request, another answers 503 to everything.

The other sources are crawled, indexed and alerted on as usual; each failing crawl task fails with the reason,
and its feeds are recorded as failed, with the error, in its crawl state. Nothing is lost: once the sites are
back, the next run fetches their articles, each once, and everything ends indexed and mailed exactly once.
"""

from __future__ import annotations

import pytest
from faultkit import (
    article_requests,
    assert_indexed_exactly_once,
    assert_mailed_exactly_once,
    crawl_all,
    crawl_state,
    mailed_pairs,
    process_all,
)

from newsmon import pipeline
from newsmon.devstack.replay import REPLAY_OVERRIDES
from newsmon.errors import ServiceUnavailable

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]

#: source → (replayed host, how it fails). newarab's client gives up after 1 s; its server would answer after 3.
DOWN = {"newarab": ("www.newarab.com", "timeout"), "opsour": ("opsour.com", "HTTP 503")}
CLIENT_TIMEOUT, SERVER_HANG = 1.0, 3.0


def _short_timeout(source: str) -> dict:
    """The replay overrides plus a 1 s timeout for ``source`` (the default 20 s would make a slow test)."""
    return {**REPLAY_OVERRIDES, source: {"politeness": {"timeout_seconds": CLIENT_TIMEOUT}}}


def test_a_source_down_for_a_whole_run_is_fetched_once_when_it_is_back(tmp_path, settings_for, site, sink,
                                                                       mailbox_dir, baseline):
    settings = settings_for(sink.port, source_overrides=_short_timeout("newarab"))
    healthy = set(pipeline.source_names(settings)) - set(DOWN)
    site.start_outage("www.newarab.com", status=503, hang_seconds=SERVER_HANG)
    site.start_outage("opsour.com", status=503)

    first = crawl_all(settings)
    outage_log = site.requests
    for name, (_, why) in DOWN.items():
        failure = first[name]
        assert isinstance(failure, ServiceUnavailable), failure
        assert f"{name}: every feed/listing failed" in str(failure) and why in str(failure), failure
        state = crawl_state(settings, name)
        assert state["feeds"] and state["articles"] == {}
        for url, feed in state["feeds"].items():
            assert feed["last_status"] == "failed" and why in feed["last_error"], (url, feed)
        assert article_requests(outage_log, settings, name) == {}, "no article of a source that is down"
    for name in healthy:
        assert not isinstance(first[name], Exception), first[name]
        assert first[name]["fetched"] == baseline.fetched[name], first[name]

    process_all(settings)
    pipeline.alert(settings)
    assert_indexed_exactly_once(settings, baseline.docs_of(healthy))
    mailed = mailed_pairs(mailbox_dir)
    assert set(mailed.values()) == {1}, mailed
    untouched = {pair for pair in baseline.pairs if baseline.story_sources(pair[1]) <= healthy}
    assert untouched <= set(mailed) <= baseline.pairs

    # The sites are back: the next run fetches what it could not, each page once, and nothing else again.
    site.end_outage()
    site.reset_requests()
    second = crawl_all(settings)
    recovery_log = site.requests
    for name in DOWN:
        assert second[name]["fetched"] == baseline.fetched[name], second[name]
        assert all(feed["last_status"] == "ok" for feed in crawl_state(settings, name)["feeds"].values())
        pages = article_requests(recovery_log, settings, name)
        assert len(pages) == baseline.fetched[name] and set(pages.values()) == {1}, pages
    for name in healthy:
        assert second[name]["fetched"] == 0, second[name]

    process_all(settings)
    pipeline.alert(settings)
    assert_indexed_exactly_once(settings, baseline.docs)
    assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
