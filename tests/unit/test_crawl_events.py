"""Per-URL crawl events, backfill date ranges, remembered feed items, and the crawl/reprocess commands.

The crawler runs against httpx's mock transport here; tests/integration/test_crawl_cli.py runs ``newsmon
crawl`` as a real command against the replay site.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsmon import pipeline
from newsmon.cli import cli
from newsmon.crawl import crawler
from newsmon.crawl.archive import RunArchive, read_page
from newsmon.crawl.crawler import CrawlReport, crawl_source, process_queue
from newsmon.crawl.discovery import DateRange, DiscoveredItem
from newsmon.crawl.fetch import FetchError, PoliteFetcher
from newsmon.crawl.fetch.retry import RetryWithBackoff
from newsmon.errors import ServiceUnavailable
from newsmon.models import FetchedPage
from newsmon.settings import load_settings
from newsmon.sources import Source

EVENT_KEYS = {"url", "canonical_url", "source", "status", "reason", "http_status", "attempts"}
SITE = "https://t.example"
ARTICLE = b"""<html><head><title>A</title><link rel="canonical" href="https://t.example/a/?utm_source=x"></head>
<body><p>text</p></body></html>"""


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# -- date ranges ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("published", "updated", "expected"), [
    ("2024-05-01T12:00:00+00:00", None, True),
    ("2023-05-01T12:00:00+00:00", None, False),
    ("2023-05-01T12:00:00+00:00", "2024-02-01T00:00:00+00:00", True),  # updated inside: backfill it
    (None, "2025-01-01T00:00:00+00:00", False),
    (None, None, True),  # undated items are kept
    ("2024-01-01T00:00:00+00:00", None, True),  # both ends are included
    ("2024-12-31T23:59:59+00:00", None, True),
    ("2024-12-31T23:30:00-02:00", None, False),  # 2025-01-01 in UTC
    ("2024-01-01T01:30:00+03:00", None, False),  # 2023-12-31 in UTC
])
def test_date_range_compares_feed_dates_in_utc_and_keeps_undated_items(published, updated, expected):
    item = DiscoveredItem(url=f"{SITE}/x", published=published and _utc(published),
                          updated=updated and _utc(updated))
    assert DateRange(date(2024, 1, 1), date(2024, 12, 31)).includes(item) is expected


def test_open_ended_date_ranges():
    old = DiscoveredItem(url=f"{SITE}/x", published=datetime(2020, 1, 1, tzinfo=UTC))
    assert DateRange(until=date(2020, 1, 1)).includes(old) and not DateRange(since=date(2020, 1, 2)).includes(old)
    assert DateRange().includes(old)


def test_discovered_items_round_trip_through_the_state():
    item = DiscoveredItem(url=f"{SITE}/x", title="T", published=datetime(2024, 1, 2, 3, tzinfo=UTC),
                          language="ru")
    record = item.to_record()
    assert "updated" not in record and json.loads(json.dumps(record)) == record
    assert DiscoveredItem.from_record(record) == item


# -- events from a crawl --------------------------------------------------------------------------------
class FakeSite:
    """A small site behind httpx.MockTransport: a feed with an ETag and articles that misbehave in set ways."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.unavailable = True

    def feed(self) -> bytes:
        items = [("a/", "2024-03-01"), ("old/", "2019-06-01"), ("moved/", "2024-03-02"), ("gone/", "2024-03-03"),
                 ("busy/", "2024-03-04"), ("file.bin", "2024-03-05"), ("nodate/", None),
                 ("a/?utm_medium=rss", "2024-03-01")]
        body = "".join(f"<item><title>{path}</title><link>{SITE}/{path}</link>"
                       + (f"<pubDate>{datetime.fromisoformat(day):%a, %d %b %Y} 10:00:00 GMT</pubDate>" if day else "")
                       + "</item>" for path, day in items)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path == "/robots.txt":
            return httpx.Response(404)
        if path == "/feed":
            if request.headers.get("if-none-match") == '"f1"':
                return httpx.Response(304, headers={"ETag": '"f1"'})
            return httpx.Response(200, headers={"ETag": '"f1"', "Content-Type": "application/rss+xml"},
                                  content=self.feed())
        if path == "/moved/":
            return httpx.Response(301, headers={"Location": "/moved-here/"})
        if path == "/gone/":
            return httpx.Response(404)
        if path == "/busy/" and self.unavailable:
            return httpx.Response(503)
        if path == "/file.bin":
            return httpx.Response(200, headers={"Content-Type": "application/octet-stream"}, content=b"\0" * 10)
        return httpx.Response(200, headers=html, content=ARTICLE if path == "/a/" else b"<p>page</p>")

    def article_requests(self) -> list[str]:
        return [r.url.path for r in self.requests if r.url.path not in ("/robots.txt", "/feed")]


@pytest.fixture
def fake_site(monkeypatch) -> FakeSite:
    monkeypatch.setattr(RetryWithBackoff, "_back_off", staticmethod(lambda *args: None))  # no sleeping between retries
    return FakeSite()


def _crawl(site: FakeSite, settings, dates: DateRange | None = None, **politeness) -> tuple[CrawlReport, list]:
    source = Source(name="t", title="T", homepage=f"{SITE}/", domains=["t.example"], languages=["en"],
                    feeds=[{"url": f"{SITE}/feed"}], allow_private_network=True,
                    politeness={"min_delay_seconds": 0, **politeness})
    seen: list[dict] = []
    fetcher = PoliteFetcher(source, settings, transport=httpx.MockTransport(site))
    report = crawl_source(source, settings, fetcher, dates=dates, on_event=seen.append)
    return report, seen


def test_one_event_per_article_url_with_status_reason_and_attempts(fake_site, tmp_path):
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    report, seen = _crawl(fake_site, settings)
    assert seen == report.events and all(set(e) == EVENT_KEYS and e["source"] == "t" for e in seen)
    by_path = {e["url"].removeprefix(SITE): e for e in seen}
    assert len(by_path) == len(seen) == 7  # the ?utm_medium copy of a/ is the same URL once canonical
    assert by_path["/a/"] == {"url": f"{SITE}/a/", "canonical_url": f"{SITE}/a/", "source": "t",
                              "status": "fetched", "reason": None, "http_status": 200, "attempts": 1}
    moved = by_path["/moved/"]
    assert (moved["status"], moved["attempts"], moved["canonical_url"]) == ("fetched", 2, f"{SITE}/moved-here/")
    assert by_path["/gone/"] | {"url": None} == {"url": None, "canonical_url": f"{SITE}/gone/", "source": "t",
                                                 "status": "skipped", "reason": "http-404", "http_status": 404,
                                                 "attempts": 1}
    busy = by_path["/busy/"]
    assert (busy["status"], busy["reason"], busy["http_status"], busy["attempts"]) == ("skipped", "http-503", 503, 3)
    binary = by_path["/file.bin"]
    assert (binary["reason"], binary["http_status"], binary["attempts"]) == ("unsupported-content-type", 200, 1)
    assert by_path["/old/"]["status"] == by_path["/nodate/"]["status"] == "fetched"
    assert report.fetched == 4 and Counter(e["status"] for e in seen) == {"fetched": 4, "skipped": 3}


def test_report_dict_stays_small_and_carries_counts_only(fake_site, tmp_path):
    report, seen = _crawl(fake_site, load_settings({}, state_store="files", data_dir=tmp_path))
    data = report.to_dict()
    assert "events" not in data and json.loads(json.dumps(data)) == data
    assert (data["fetched"], data["unchanged"], data["queued"], data["discovered"]) == (4, 0, 4, 7)
    assert sum(data["skipped"].values()) == len([e for e in seen if e["status"] == "skipped"])


def test_second_run_reports_unchanged_from_the_state_and_retries_only_transient_failures(fake_site, tmp_path):
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    _crawl(fake_site, settings)
    fake_site.requests.clear()
    fake_site.unavailable = False
    report, seen = _crawl(fake_site, settings)
    # The feed answered 304: its items come from the state; only the 503 article is asked for again.
    assert [r.headers.get("if-none-match") for r in fake_site.requests if r.url.path == "/feed"] == ['"f1"']
    assert fake_site.article_requests() == ["/busy/"]
    by_path = {e["url"].removeprefix(SITE): e for e in seen}
    assert {p for p, e in by_path.items() if e["status"] == "unchanged"} == {"/a/", "/old/", "/moved/", "/nodate/"}
    assert all(e["attempts"] == 0 and e["http_status"] is None for e in seen if e["status"] == "unchanged")
    assert by_path["/busy/"]["status"] == "fetched"
    assert by_path["/gone/"]["reason"] == "failed-before:http-404" and by_path["/gone/"]["attempts"] == 0
    assert (report.feeds_unchanged, report.discovered, report.remembered, report.unchanged) == (1, 0, 7, 4)
    # A third run asks for nothing but the feed.
    fake_site.requests.clear()
    _, seen = _crawl(fake_site, settings)
    assert fake_site.article_requests() == [] and len(seen) == 7


def test_backfill_fetches_only_dated_items_in_range_and_leaves_the_rest_for_later(fake_site, tmp_path):
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    _, seen = _crawl(fake_site, settings, DateRange(date(2019, 1, 1), date(2019, 12, 31)))
    status = {e["url"].removeprefix(SITE): (e["status"], e["reason"]) for e in seen}
    assert status["/old/"] == ("fetched", None) and status["/nodate/"] == ("fetched", None)
    assert status["/a/"] == ("skipped", "outside-date-range")
    assert sorted(fake_site.article_requests()) == ["/nodate/", "/old/"]
    # A normal run afterwards (the feed unchanged: 304) fetches what the backfill left out.
    fake_site.requests.clear()
    _, seen = _crawl(fake_site, settings)
    fetched = {e["url"].removeprefix(SITE) for e in seen if e["status"] == "fetched"}
    assert fetched == {"/a/", "/moved/"}  # gone/, busy/ and file.bin are asked for too, and fail
    assert {"/a/", "/moved/", "/gone/", "/busy/", "/file.bin"} <= set(fake_site.article_requests())
    assert not {"/old/", "/nodate/"} & set(fake_site.article_requests())


def test_run_budget_leaves_items_for_the_next_run(fake_site, tmp_path):
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    report, _ = _crawl(fake_site, settings, max_pages_per_run=1)
    assert report.fetched == 1 and report.skipped["run-budget-exhausted"] >= 1
    report, _ = _crawl(fake_site, settings, max_pages_per_run=1)
    assert report.fetched == 1 and report.unchanged == 1  # the feed is unchanged, its items are remembered


def test_fetch_errors_carry_the_requests_they_took():
    source = Source(name="t", title="T", homepage=f"{SITE}/", domains=["t.example"], languages=["en"],
                    feeds=[{"url": f"{SITE}/feed"}], allow_private_network=True,
                    politeness={"min_delay_seconds": 0})

    def handler(request):
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return httpx.Response(302, headers={"Location": {"/a": "/b", "/b": "/a", "/c": "/private/x"}[request.url.path]})

    with PoliteFetcher(source, load_settings({}), transport=httpx.MockTransport(handler)) as fetcher:
        with pytest.raises(FetchError) as loop:
            fetcher.fetch(f"{SITE}/a")
        with pytest.raises(FetchError) as disallowed:
            fetcher.fetch(f"{SITE}/c")
    assert (loop.value.reason, loop.value.attempts) == ("redirect-loop", 2)  # robots.txt is not counted
    assert (disallowed.value.reason, disallowed.value.attempts) == ("robots-disallowed", 1)


# -- the commands ---------------------------------------------------------------------------------------
def test_crawl_command_prints_events_as_json_lines_and_exits_2_when_a_source_failed(monkeypatch, tmp_path):
    calls = {}

    def fake_crawl_sources(sources, settings, dates, on_event):
        calls.update(names=[s.name for s in sources], data_dir=settings.data_dir, dates=dates)
        on_event({"url": "u", "canonical_url": "c", "source": sources[0].name, "status": "fetched",
                  "reason": None, "http_status": 200, "attempts": 1})
        return {sources[0].name: CrawlReport(sources[0].name), sources[1].name: ServiceUnavailable("down")}

    monkeypatch.setattr(crawler, "crawl_sources", fake_crawl_sources)
    result = CliRunner().invoke(cli, ["crawl", "--source", "thebell", "--source", "ankasam", "--state",
                                      str(tmp_path), "--since", "2024-01-01"])
    assert result.exit_code == 2, result.output
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == ["thebell"]
    assert calls == {"names": ["thebell", "ankasam"], "data_dir": tmp_path,
                     "dates": DateRange(date(2024, 1, 1), None)}


@pytest.mark.parametrize("args", [["--since", "2024-02-01", "--until", "2024-01-01"], ["--source", "nope"],
                                  ["--since", "01/02/2024"]])
def test_crawl_command_refuses_bad_options(args):
    result = CliRunner().invoke(cli, ["crawl", *args])
    assert result.exit_code == 2 and "Error" in result.output


def test_crawl_help_says_undated_items_are_kept():
    assert "Items without any date are kept" in CliRunner().invoke(cli, ["crawl", "--help"]).output


def test_reprocess_needs_from_archive():
    result = CliRunner().invoke(cli, ["reprocess"])
    assert result.exit_code == 2 and "--from-archive" in result.output


def test_reprocess_queues_every_archived_page_under_its_document_id(monkeypatch, tmp_path):
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    pages = [FetchedPage(source=source, url=f"https://{source}.example/{n}",
                         canonical_url=f"https://{source}.example/{n}", status=200,
                         content_type="text/html; charset=utf-8", body=b"<p>x</p>",
                         fetched_at=datetime.now(UTC) - timedelta(days=1))
             for source in ("one", "two") for n in range(3)]
    for page in pages:  # each page in its own run, and an older copy of one of them in an earlier run
        with RunArchive(tmp_path / "archive", page.source) as archive:
            archive.write_page(page)
    batches = []

    def fake_process_batch(ids, settings):
        batches.append(ids)
        queued = dict(process_queue(settings).items())
        assert all(read_page(Path(queued[i]["archive"]), queued[i]["offset"]).id == i for i in ids)
        return {"processed": len(ids), "created": 0, "updated": len(ids), "dropped": {}, "languages": {"en": 1},
                "seconds": 0.0}

    monkeypatch.setattr(pipeline, "process_batch", fake_process_batch)
    summary = pipeline.reprocess_archive(settings, ["two"], batch_size=2)
    assert sorted(i for batch in batches for i in batch) == sorted(p.id for p in pages if p.source == "two")
    assert [len(b) for b in batches] == [2, 1]
    assert (summary["sources"], summary["archived"], summary["updated"]) == (["two"], 3, 3)
    batches.clear()
    assert pipeline.reprocess_archive(settings)["archived"] == 6


def test_language_parameter_and_folder_spellings_are_one_article(tmp_path):
    """WPML serves /en/slug/ and /slug/?lang=en: with ``language_urls`` they are fetched and stored once."""
    requests: list[str] = []

    def site(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if request.url.path == "/feed":
            links = [f"{SITE}/en/story/", f"{SITE}/story/?lang=en", f"{SITE}/story/"]
            body = "".join(f"<item><title>s</title><link>{link}</link></item>" for link in links)
            return httpx.Response(200, headers={"Content-Type": "application/rss+xml"},
                                  content=f'<rss version="2.0"><channel>{body}</channel></rss>'.encode())
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=b"<p>page</p>")

    source = Source(name="t", title="T", homepage=f"{SITE}/", domains=["t.example"], languages=["tr", "en"],
                    feeds=[{"url": f"{SITE}/feed"}], allow_private_network=True,
                    language_urls={"default": "tr"}, politeness={"min_delay_seconds": 0})
    settings = load_settings({}, state_store="files", data_dir=tmp_path)
    report = crawl_source(source, settings, PoliteFetcher(source, settings, transport=httpx.MockTransport(site)))
    assert sorted(e["canonical_url"] for e in report.events) == [f"{SITE}/en/story/", f"{SITE}/story/"]
    assert report.fetched == 2
    assert [u for u in requests if "story" in u] == [f"{SITE}/en/story/", f"{SITE}/story/"]


def test_fast_poll_skips_a_source_whose_crawl_is_running_and_the_daily_crawl_waits(tmp_path):
    """The lock is held by another process (as the daily crawl's worker would): the fast poll steps aside."""
    import subprocess
    import sys
    import time as _time

    from newsmon.crawl.lock import CrawlBusy

    settings = load_settings({}, state_store="files", data_dir=tmp_path, sources_file="config/sources.yaml")
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from newsmon.crawl.lock import CrawlLock\n"
        f"with CrawlLock(Path({str(settings.state_dir)!r}), 'ankasam'):\n"
        "    print('held', flush=True); time.sleep(30)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = _time.monotonic()
        report = pipeline.crawl("ankasam", settings, skip_if_busy=True)
        assert report["busy"] is True and report["queued"] == 0 and _time.monotonic() - started < 5
        with pytest.raises(CrawlBusy, match="another crawl holds"):
            crawler.crawl_source(pipeline._registry(settings).get("ankasam"), settings, lock_wait_seconds=0.5)
    finally:
        holder.kill()
        holder.wait()
