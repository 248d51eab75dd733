"""Archive, crawl state and the work queue survive crashes and bad files."""

from __future__ import annotations

import errno
import os
import threading
import time
from datetime import UTC, datetime

import pytest

from newsmon.crawl.archive import ArchiveWriteError, RunArchive, iter_pages, read_page
from newsmon.crawl.lock import CrawlBusy, CrawlLock
from newsmon.crawl.state import CrawlState
from newsmon.models import FetchedPage
from newsmon.queue import WorkQueue


def _page(n: int = 1, body: bytes = "<p>طالبان‌ها</p>".encode()) -> FetchedPage:
    return FetchedPage(source="afintl", url=f"http://127.0.0.1:1/www.afintl.com/{n}",
                       canonical_url=f"https://www.afintl.com/{n}", status=200,
                       content_type="text/html; charset=utf-8", body=body,
                       fetched_at=datetime(2026, 1, 2, tzinfo=UTC),
                       headers={"content-type": "text/html; charset=utf-8"}, hints={"title": "t"})


def test_one_warc_set_per_run_with_feeds_and_pages_read_back_by_offset(tmp_path):
    with RunArchive(tmp_path, "afintl") as archive:
        archive.write_discovery("https://www.afintl.com/sitemap.xml", 200, {"etag": '"x"'}, b"<urlset/>")
        first = archive.write_page(_page(1))
        archive.write_discovery("https://www.afintl.com/feed", 304, {}, b"")
        second = archive.write_page(_page(2))
    assert len(archive.paths) == 1 and first[0] == second[0] == archive.paths[0]
    assert archive.paths[0].parent.parent == tmp_path / "afintl" and archive.paths[0].name.endswith("-000.warc.gz")
    back = read_page(*second)
    assert (back.body, back.canonical_url, back.hints, back.fetched_at) == (
        _page(2).body, "https://www.afintl.com/2", {"title": "t"}, _page(2).fetched_at)
    assert [(offset, page.id) for offset, page in iter_pages(archive.paths[0])] == [
        (first[1], _page(1).id), (second[1], _page(2).id)]  # the feed answers are kept but are not pages
    with pytest.raises(ValueError, match="not a page"):
        read_page(archive.paths[0], 0)


def test_a_run_starts_a_new_file_past_the_size_limit_and_a_new_run_a_new_set(tmp_path):
    with RunArchive(tmp_path, "afintl", max_file_bytes=1) as archive:
        refs = [archive.write_page(_page(n)) for n in range(3)]
    assert len(archive.paths) == 3 and all(offset == 0 for _, offset in refs)
    with RunArchive(tmp_path, "afintl") as later:
        later.write_page(_page(9))
    assert later.paths[0] not in archive.paths and later.run_id != archive.run_id


def test_a_failed_write_leaves_the_file_readable_and_says_what_to_do(tmp_path):
    """A real short write: /dev/full answers ENOSPC like a full disk."""
    archive = RunArchive(tmp_path, "afintl")
    good = archive.write_page(_page(1))
    archive.close()
    archive._fd = os.open("/dev/full", os.O_WRONLY)  # the next append hits "no space left on device"
    with pytest.raises(ArchiveWriteError, match="No space left on device.*next run fetches it") as failure:
        archive.write_page(_page(2))
    assert failure.value.errno == errno.ENOSPC
    archive.close()
    assert [page.id for _, page in iter_pages(good[0])] == [_page(1).id]


def test_a_truncated_tail_is_reported_and_the_pages_before_it_are_read(tmp_path):
    with RunArchive(tmp_path, "afintl") as archive:
        archive.write_page(_page(1))
        _, offset = archive.write_page(_page(2, body=os.urandom(4000)))
    path = archive.paths[0]
    with open(path, "r+b") as handle:
        handle.truncate(offset + 100)
    assert [page.id for _, page in iter_pages(path)] == [_page(1).id]
    with pytest.raises(ValueError, match="no complete newsmon page record|unreadable archive record"):
        read_page(path, offset)


def test_crawl_lock_is_exclusive_across_handles_and_gives_up_with_a_clear_error(tmp_path):
    with CrawlLock(tmp_path, "ankasam"):
        with pytest.raises(CrawlBusy, match=r"another crawl holds .*ankasam.lock \(pid \d+"):
            with CrawlLock(tmp_path, "ankasam", wait_seconds=0.2, poll_seconds=0.05):
                pass
        with CrawlLock(tmp_path, "other", wait_seconds=0):  # other sources are not blocked
            pass
    with CrawlLock(tmp_path, "ankasam", wait_seconds=0):  # released on exit
        pass


def test_crawl_lock_waits_for_the_holder(tmp_path):
    order = []

    def hold():
        with CrawlLock(tmp_path, "ankasam"):
            order.append("held")
            time.sleep(0.4)
        order.append("released")

    holder = threading.Thread(target=hold)
    holder.start()
    while not order:
        time.sleep(0.01)
    with CrawlLock(tmp_path, "ankasam", wait_seconds=10, poll_seconds=0.05):
        order.append("second")
    holder.join()
    assert order == ["held", "released", "second"]


def test_state_keeps_the_latest_runs(tmp_path):
    from newsmon.crawl.state import RUNS_KEPT

    state = CrawlState.load(tmp_path, "x")
    for n in range(RUNS_KEPT + 5):
        state.record_run(datetime(2026, 1, 1, tzinfo=UTC), {"fetched": n, "skipped": {"a": 2}},
                         None if n % 2 else "boom")
    state.save()
    runs = CrawlState.load(tmp_path, "x").runs
    assert len(runs) == RUNS_KEPT and runs[-1]["fetched"] == RUNS_KEPT + 4 and runs[-1]["skipped"] == 2
    assert runs[-1]["ok"] is False and runs[-1]["error"] == "boom" and runs[-2]["ok"] is True


def test_corrupt_state_is_moved_aside(tmp_path):
    state = CrawlState.load(tmp_path, "x")
    state.feed("https://x/feed").etag = '"1"'
    state.save()
    assert CrawlState.load(tmp_path, "x").feeds["https://x/feed"].etag == '"1"'
    (tmp_path / "crawl" / "x.json").write_text("{not json")
    assert CrawlState.load(tmp_path, "x").feeds == {}
    assert list((tmp_path / "crawl").glob("x.json.corrupt-*"))


def test_queue_keeps_items_until_done(tmp_path):
    queue = WorkQueue(tmp_path / "q")
    queue.put("b", {"n": 2})
    queue.put("a", {"n": 1})
    queue.put("a", {"n": 3})
    assert queue.items() == [("a", {"n": 3}), ("b", {"n": 2})]
    assert queue.ids() == ["a", "b"] and queue.get("a") == {"n": 3} and queue.get("zz") is None
    queue.done("a")
    assert queue.ids() == ["b"] and queue.get("a") is None
    queue.done("a")
    assert len(queue) == 1
