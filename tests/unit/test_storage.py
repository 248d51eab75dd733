"""Archive, crawl state and the work queue survive crashes and bad files."""

from __future__ import annotations

from datetime import datetime, timezone

from newsmon.crawl.archive import read_page, write_page
from newsmon.crawl.state import CrawlState
from newsmon.models import FetchedPage
from newsmon.queue import WorkQueue


def test_archive_round_trip(tmp_path):
    page = FetchedPage(source="afintl", url="http://127.0.0.1:1/www.afintl.com/1",
                       canonical_url="https://www.afintl.com/1", status=200, content_type="text/html; charset=utf-8",
                       body="<p>طالبان‌ها</p>".encode(), fetched_at=datetime(2026, 1, 2, tzinfo=timezone.utc),
                       headers={"content-type": "text/html; charset=utf-8"}, hints={"title": "t"})
    path = write_page(tmp_path, page)
    assert path.name == f"{page.id}.warc.gz"
    back = read_page(path)
    assert (back.body, back.canonical_url, back.hints, back.fetched_at) == (page.body, page.canonical_url,
                                                                           page.hints, page.fetched_at)


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
    queue.done("a")
    assert len(queue) == 1
