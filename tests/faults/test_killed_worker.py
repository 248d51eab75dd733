"""A worker killed (SIGKILL) in the middle of its task, and the task run again: first a crawl, then processing.

Each task runs as a worker process of its own, as under Airflow, and is killed once it has visibly done part
of its work (pages on the process queue; a batch indexed and dequeued). The re-run does the rest: at most the
one page in hand is fetched twice, and the index and the mailbox end with everything exactly once.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from faultkit import (
    article_requests,
    assert_indexed_exactly_once,
    assert_mailed_exactly_once,
    crawl_all,
    crawl_state,
    kill_when,
    make_settings,
    process_all,
    queued,
    start_task,
    stop_worker,
)

from newsmon import pipeline
from newsmon.devstack.replay import ReplayServer
from newsmon.index import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]

#: Seconds the replay site waits before each answer, so a crawl of ANKASAM (10 requests) takes over 3 s.
LATENCY = 0.35


def test_killed_crawl_and_processing_workers_rerun_to_exactly_once(tmp_path, elasticsearch_url, sink, mailbox_dir,
                                                                    baseline):
    with ReplayServer("127.0.0.1", 0, latency=LATENCY) as site:
        settings = make_settings(tmp_path, elasticsearch_url, site, sink.port, lease_seconds=5)
        total_ankasam = baseline.fetched["ankasam"]

        # -- the crawl of ANKASAM, killed once two of its pages are queued --------------------------------
        log_path = tmp_path / "crawl-worker.log"
        worker = start_task("print(json.dumps(pipeline.crawl('ankasam', settings)))", settings, log_path)
        try:
            kill_when(worker, lambda: len(queued(settings)) >= 2, log_path)
        finally:
            stop_worker(worker)
        before = {item["canonical_url"] for item in queued(settings).values()}
        assert 2 <= len(before) < total_ankasam, before
        remembered = {a["canonical_url"] for a in crawl_state(settings, "ankasam")["articles"].values()}
        assert remembered <= before, "a page is remembered as fetched only once it is archived and queued"

        rerun = pipeline.crawl("ankasam", settings)  # the task's retry: takes over the killed worker's lock once
        # its lease (5 s here) expired
        assert rerun["fetched"] == total_ankasam - len(remembered), rerun
        pages = article_requests(site.requests, settings, "ankasam")
        assert len(pages) == total_ankasam, pages
        assert Counter(pages.values()) - Counter({1: total_ankasam}) <= Counter({2: 1}), (
            f"more than the one page in hand was fetched again: {pages}")
        others = crawl_all(settings, [n for n in pipeline.source_names(settings) if n != "ankasam"])
        assert not [r for r in others.values() if isinstance(r, Exception)], others

    # -- processing, killed once its first batch is indexed and dequeued ------------------------------------
    pending = len(queued(settings))
    assert pending == sum(baseline.fetched.values())
    log_path = tmp_path / "process-worker.log"
    worker = start_task("for batch in pipeline.pending_batches(settings, 4):\n"
                        "    print(json.dumps(pipeline.process_batch(batch, settings)))", settings, log_path)
    try:
        kill_when(worker, lambda: len(queued(settings)) < pending, log_path)
    finally:
        stop_worker(worker)
    left = len(queued(settings))
    assert 0 < left < pending
    client = connect(settings)
    client.indices.refresh(index=settings.index_alias)
    assert client.count(index=settings.index_alias)["count"] > 0, "the first batch was indexed before the kill"

    # The task's retry comes after news_process's retry delay (2 minutes), when the dead try's claim on its pages
    # (a lease of lease_seconds + 2 s per page) has expired; outside Airflow the retry is another claimant, so wait
    # that long here.
    time.sleep(settings.lease_seconds + 2.0 * 4 + 1)
    process_all(settings)  # the task's retry
    assert queued(settings) == {}
    assert_indexed_exactly_once(settings, baseline.docs)
    sent = pipeline.alert(settings)
    assert sum(m["articles"] for m in sent["mails"]) == len(baseline.pairs), sent
    assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
