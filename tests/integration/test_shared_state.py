"""The crawl state, the processing queue and the crawl locks in a real Elasticsearch: what workers that share no
disk hand to each other (``newsmon.index.crawl_state_store``, ``queue_store``, ``leases``)."""

from __future__ import annotations

import json
import threading
import time
import uuid
from datetime import UTC, datetime

import pytest

from newsmon.crawl.lock import CrawlBusy
from newsmon.crawl.shared_state import crawl_lock, crawl_state_store, process_queue, shared_client
from newsmon.index.crawl_state_store import StateConflict
from newsmon.settings import load_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def settings(tmp_path, elasticsearch_url):
    return load_settings({}, elasticsearch_url=elasticsearch_url, index_alias=f"test-{uuid.uuid4().hex[:10]}",
                         data_dir=tmp_path / "data", lease_seconds=2)


def test_a_state_round_trips_and_a_stale_copy_cannot_overwrite_a_newer_one(settings):
    store = crawl_state_store(settings)
    state = store.load("ankasam")
    assert state.feeds == {} and state.version is None
    state.feed("https://x/feed").etag = '"1"'
    state.record_run(datetime(2026, 1, 1, tzinfo=UTC), {"fetched": 3, "skipped": {}}, None)
    state.save()
    again = crawl_state_store(settings).load("ankasam")
    assert again.feeds["https://x/feed"].etag == '"1"' and again.runs[-1]["fetched"] == 3
    stale = crawl_state_store(settings).load("ankasam")
    again.articles["https://x/1"] = {"canonical_url": "https://x/1", "updated": None}
    again.save()
    stale.articles["https://x/2"] = {"canonical_url": "https://x/2", "updated": None}
    with pytest.raises(StateConflict, match="written by another crawl"):
        stale.save()
    assert list(crawl_state_store(settings).load("ankasam").articles) == ["https://x/1"]


def test_a_state_file_of_an_older_newsmon_is_moved_in_once(settings):
    old = settings.state_dir / "crawl" / "thebell.json"
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"feeds": {"https://t/feed": {"etag": '"e"'}}, "articles": {"https://t/a": {}},
                               "failures": {}, "runs": []}))
    state = crawl_state_store(settings).load("thebell")
    assert state.feeds["https://t/feed"].etag == '"e"' and "https://t/a" in state.articles
    assert not old.exists() and old.with_name("thebell.json.migrated").exists()
    assert crawl_state_store(settings).load("thebell").articles == state.articles


def test_a_corrupt_state_document_is_copied_aside_and_the_source_starts_afresh(settings):
    client = shared_client(settings)
    crawl_state_store(settings).load("x")  # creates the index
    client.index(index=f"{settings.index_alias}-crawl-state", id="x",
                 document={"source": "x", "state": {"feeds": {"https://x/feed": {"items": "not a list"}}}},
                 refresh=True)
    state = crawl_state_store(settings).load("x")
    assert state.feeds == {}
    state.save()  # the fresh state replaces the corrupt one
    client.indices.refresh(index=f"{settings.index_alias}-crawl-state")
    found = client.search(index=f"{settings.index_alias}-crawl-state", query={"prefix": {"source": "x"}})
    assert any(hit["_id"].startswith("x.corrupt-") for hit in found["hits"]["hits"])


def test_the_crawl_lock_is_exclusive_renewed_while_held_and_taken_over_after_its_holder_died(settings):
    with crawl_lock(settings, "ankasam", wait_seconds=0):
        time.sleep(3)  # longer than the 2-second lease: renewal keeps it
        with pytest.raises(CrawlBusy, match="another crawl holds the lock"):
            with crawl_lock(settings, "ankasam", wait_seconds=0.5):
                pass
        with crawl_lock(settings, "other", wait_seconds=0):  # other sources are not blocked
            pass
    with crawl_lock(settings, "ankasam", wait_seconds=0):  # released on exit
        pass

    dead = crawl_lock(settings, "ankasam", wait_seconds=0)
    dead._lease.try_acquire()  # a holder that never renews nor releases: a killed worker
    started = time.monotonic()
    with crawl_lock(settings, "ankasam", wait_seconds=30):
        waited = time.monotonic() - started
    assert 1.0 < waited < 10, waited


def test_a_crawl_that_lost_its_lock_cannot_write_the_state(settings):
    store = crawl_state_store(settings)
    stalled = store.load("afintl")
    stalled.save()
    winner = crawl_state_store(settings).load("afintl")
    winner.runs.append({"ok": True})
    winner.save()
    stalled.runs.append({"ok": False})
    with pytest.raises(StateConflict):
        stalled.save()


def test_the_waiting_daily_crawl_gets_the_lock_when_the_holder_releases_it(settings):
    order = []

    def hold():
        with crawl_lock(settings, "ankasam", wait_seconds=0):
            order.append("held")
            time.sleep(1.0)
        order.append("released")

    holder = threading.Thread(target=hold)
    holder.start()
    while not order:
        time.sleep(0.01)
    with crawl_lock(settings, "ankasam", wait_seconds=20):
        order.append("second")
    holder.join()
    assert order == ["held", "released", "second"]


def test_queue_claims_keep_two_tasks_apart_and_a_retry_takes_over_its_own(settings):
    queue = process_queue(settings)
    for n in range(4):
        queue.put(f"p{n}", {"n": n})
    queue.put("p0", {"n": 10})  # queued again: replaced
    assert queue.ids() == ["p0", "p1", "p2", "p3"] and queue.get("p0") == {"n": 10} and len(queue) == 4
    assert queue.items()[0] == ("p0", {"n": 10})

    first = queue.claim(["p0", "p1"], "dag/run/process_batch/0", ttl_seconds=60)
    assert dict(first) == {"p0": {"n": 10}, "p1": {"n": 1}} and first.busy == []
    other = queue.claim(["p0", "p1", "p2"], "dag/run2/process_batch/0", ttl_seconds=60)
    assert dict(other) == {"p2": {"n": 2}} and sorted(other.busy) == ["p0", "p1"]
    retry = queue.claim(["p0", "p1"], "dag/run/process_batch/0", ttl_seconds=60)  # the same task, next try
    assert sorted(retry) == ["p0", "p1"]

    queue.put("p1", {"n": 11})  # the crawl fetched a newer copy while it was processed
    assert queue.done_claimed(retry, ["p0", "p1"]) == 1
    assert queue.ids() == ["p1", "p2", "p3"] and queue.get("p1") == {"n": 11}


def test_an_expired_claim_is_taken_over(settings):
    queue = process_queue(settings)
    queue.put("a", {"n": 1})
    queue.claim(["a"], "dead-task", ttl_seconds=0.5)
    assert queue.claim(["a"], "live-task", ttl_seconds=60).busy == ["a"]
    time.sleep(0.7)
    taken = queue.claim(["a"], "live-task", ttl_seconds=60)
    assert dict(taken) == {"a": {"n": 1}} and taken.busy == []


def test_an_older_on_disk_queue_is_moved_in(settings):
    from newsmon.pipeline import pending_batches
    from newsmon.queue import WorkQueue

    old = WorkQueue(settings.data_dir / "queue" / "process")
    old.put("b", {"archive": "x", "offset": 0})
    old.put("a", {"archive": "y", "offset": 5})
    assert pending_batches(settings, batch_size=1) == [["a"], ["b"]]
    assert old.ids() == [] and process_queue(settings).get("a") == {"archive": "y", "offset": 5}
