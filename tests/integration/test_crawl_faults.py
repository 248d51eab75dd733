"""The crawler against a misbehaving site: the replay server's fault routes, over real HTTP on loopback.

One module-wide pair of crawls (``crawl_source`` on ``tests/fixtures/sources.faults.yaml``) feeds every test; each
outcome is read from the server's own request log and from the crawl report. See
:mod:`newsmon.devstack.replay.faults` for the routes. About 6 s: one 500 and one 429 are retried after a real back-off.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from warcio.archiveiterator import ArchiveIterator

from newsmon.crawl.archive import read_page
from newsmon.crawl.crawler import CrawlReport, crawl_source, process_queue
from newsmon.crawl.fetch import PoliteFetcher
from newsmon.crawl.mirror import MirrorTransport
from newsmon.devstack.replay import ReplayServer
from newsmon.devstack.replay.faults import (
    BINARY_BYTES,
    FAULT_HOST,
    FEED_PATH,
    MALFORMED_FEED_PATH,
    METADATA_URL,
)
from newsmon.devstack.replay.server import LoggedRequest
from newsmon.processing import ArticleProcessor
from newsmon.settings import PROJECT_ROOT, Settings, load_settings
from newsmon.sources import SourceRegistry, load_registry

pytestmark = pytest.mark.integration

P = f"/{FAULT_HOST}/"
DISCOVERY_PATHS = {f"{P}robots.txt", FEED_PATH, MALFORMED_FEED_PATH}


class RecordingTransport(httpx.BaseTransport):
    """The real HTTP transport, noting every URL the crawler's client actually sends a request to."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.urls: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.urls.append(str(request.url))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Crawls:
    settings: Settings
    registry: SourceRegistry
    first: CrawlReport
    first_log: list[LoggedRequest]
    second: CrawlReport
    second_log: list[LoggedRequest]
    #: Every URL either crawl's HTTP client sent a request to, whatever the host.
    client_urls: list[str]

    def queued(self) -> dict[str, dict]:
        """The process queue by canonical URL."""
        return {item["canonical_url"]: item for _, item in process_queue(self.settings).items()}

    def first_hits(self, route: str) -> list[LoggedRequest]:
        return [r for r in self.first_log if r.path == P + route]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory, elasticsearch_url) -> Crawls:
    with ReplayServer("127.0.0.1", 0, faults=True) as server:
        settings = load_settings({}, data_dir=tmp_path_factory.mktemp("faults-data"),
                                 mirror_url=server.base_url, elasticsearch_url=elasticsearch_url,
                                 index_alias=f"faults-{uuid.uuid4().hex[:10]}",
                                 sources_file=PROJECT_ROOT / "tests" / "fixtures" / "sources.faults.yaml")
        registry = load_registry(settings)
        source = registry.get("faults")
        transport = RecordingTransport()
        first = crawl_source(source, settings, PoliteFetcher(source, settings, transport=transport))
        first_log = server.requests
        server.reset_requests()
        transport2 = RecordingTransport()
        second = crawl_source(source, settings, PoliteFetcher(source, settings, transport=transport2))
        second_log = server.requests
    return Crawls(settings, registry, first, first_log, second, second_log, transport.urls + transport2.urls)


def test_fault_routes_are_served_only_when_asked_for():
    with ReplayServer("127.0.0.1", 0) as plain:
        assert httpx.get(plain.base_url + FEED_PATH).status_code == 404
        assert httpx.get(plain.base_url + "/www.ankasam.org/robots.txt").status_code == 200
        assert [(r.path, r.status) for r in plain.requests] == [
            (FEED_PATH, 404), ("/www.ankasam.org/robots.txt", 200)]
        plain.reset_requests()
        assert plain.requests == []


def test_robots_disallowed_path_is_never_requested_even_through_a_redirect(crawls):
    assert not [r for r in crawls.first_log + crawls.second_log if r.path.startswith(P + "private/")]
    assert [r.status for r in crawls.first_hits("to-private/")] == [302]  # the hop into it is refused
    assert crawls.first.skipped["robots-disallowed"] == 2


def test_metadata_address_is_never_requested_even_through_a_redirect(crawls):
    # The source may reach loopback (replay: true), yet 169.254.169.254 is refused before any connection,
    # whether the feed links to it or a redirect hop leads there.
    assert not [u for u in crawls.client_urls if "169.254." in u]
    assert [r.status for r in crawls.first_hits("to-metadata/")] == [302]
    assert crawls.first.skipped["unsafe-address"] == 2
    assert len([p for p in crawls.first.problems if METADATA_URL in p and "always refused" in p]) == 2


def test_500_then_200_article_arrives_after_one_retry(crawls):
    assert [r.status for r in crawls.first_hits("flaky/")] == [500, 200]
    assert f"https://{FAULT_HOST}/flaky/" in crawls.queued()


def test_429_retry_after_is_honoured(crawls):
    throttled, retried = crawls.first_hits("throttled/")
    assert (throttled.status, retried.status) == (429, 200)
    assert retried.at - throttled.at >= 1.0  # Retry-After: 1
    assert f"https://{FAULT_HOST}/throttled/" in crawls.queued()


def test_redirect_chain_is_followed_and_queued_under_the_final_canonical_url(crawls):
    chain = ["redirect/1/", "redirect/2/", "redirect/3/", "articles/redirect-target/"]
    assert [[r.status for r in crawls.first_hits(route)] for route in chain] == [[301], [302], [307], [200]]
    item = crawls.queued()[f"https://{FAULT_HOST}/articles/redirect-target/"]
    page = read_page(Path(item["archive"]), item["offset"])
    assert [u.split(P)[1] for u in page.redirects] == chain[:3]
    assert not [u for u in crawls.queued() if "/redirect/" in u]


def test_redirect_loop_is_reported_and_not_followed_round(crawls):
    assert crawls.first.skipped["redirect-loop"] == 1
    assert [(r.path, r.status) for r in crawls.first_log if "/loop/" in r.path] == [
        (P + "loop/a/", 302), (P + "loop/b/", 302)]


def test_undeclared_windows_1251_page_is_extracted_as_readable_russian(crawls):
    assert [r.status for r in crawls.first_hits("cp1251/")] == [200]
    item = crawls.queued()[f"https://{FAULT_HOST}/cp1251/"]
    page = read_page(Path(item["archive"]), item["offset"])
    assert page.headers["content-type"] == "text/html"  # the archive keeps what the server said ...
    assert page.content_type == "text/html; charset=cp1251"  # ... and what the crawler found the body to be
    article = ArticleProcessor(crawls.settings, crawls.registry).process(page)
    assert article.title == "Совет безопасности обсудил положение в Афганистане"
    assert "гуманитарная помощь населению Афганистана" in article.text
    assert article.lang == "ru"


def test_bodies_over_the_size_limit_are_skipped_as_too_large(crawls):
    assert crawls.first.skipped["too-large"] == 2  # huge/ (Content-Length) and huge-stream/ (cut off reading)
    assert [r.status for r in crawls.first_hits("huge/") + crawls.first_hits("huge-stream/")] == [200, 200]
    assert not [u for u in crawls.queued() if "/huge" in u]


def test_binary_linked_as_an_article_is_skipped_without_downloading_it(crawls):
    assert crawls.first.skipped["unsupported-content-type"] == 1
    (binary,) = crawls.first_hits("binary/")
    assert binary.status == 200 and not binary.complete and binary.bytes_sent < BINARY_BYTES  # client hung up
    assert not any(f"/{FAULT_HOST}/binary/" in p and "too-large" in p for p in crawls.first.problems)


def test_404_is_skipped_with_its_status(crawls):
    assert [r.status for r in crawls.first_hits("missing/")] == [404]
    assert crawls.first.skipped["http-404"] == 1


def test_malformed_feed_still_yields_its_items_and_reports_what_was_wrong(crawls):
    queued = crawls.queued()
    assert {f"https://{FAULT_HOST}/articles/malformed-{n}/" for n in (1, 2, 3)} <= set(queued)
    problems = [p for p in crawls.first.problems if MALFORMED_FEED_PATH in p]
    assert any("malformed feed" in p for p in problems)
    assert any("unreadable date" in p for p in problems) and any("no link" in p for p in problems)
    assert not [p for p in crawls.first.problems if FEED_PATH + ":" in p]  # the well-formed feed has none


def test_first_crawl_outcome_in_numbers(crawls):
    report = crawls.first
    assert (report.feeds_checked, report.feeds_failed) == (2, 0)
    assert report.discovered == 17 and report.fetched == len(report.queued) == 8
    assert dict(report.skipped) == {"http-404": 1, "redirect-loop": 1, "too-large": 2, "robots-disallowed": 2,
                                    "unsupported-content-type": 1, "unsafe-address": 2}
    assert report.requests == len(crawls.first_log)


def test_every_request_is_polite_and_none_is_repeated_needlessly(crawls):
    user_agent = crawls.settings.user_agent
    assert all(r.headers.get("User-Agent") == user_agent for r in crawls.first_log + crawls.second_log)
    paths = [r.path for r in crawls.first_log]
    repeated = {p for p in paths if paths.count(p) > 1}
    assert repeated == {P + "flaky/", P + "throttled/"}  # only the two retried answers


def test_second_crawl_sends_conditional_requests_and_fetches_no_article_again(crawls):
    second = crawls.second
    feeds = [r for r in crawls.second_log if r.path in (FEED_PATH, MALFORMED_FEED_PATH)]
    assert [r.status for r in feeds] == [304, 304]
    assert all(r.headers.get("If-None-Match", "").startswith('"') for r in feeds)
    assert {r.path for r in crawls.second_log} <= DISCOVERY_PATHS  # robots.txt and the two feeds only
    assert (second.feeds_unchanged, second.discovered, len(second.queued)) == (2, 0, 0)
    fetched_ok = [r.path for r in crawls.first_log + crawls.second_log
                  if r.status == 200 and r.path not in DISCOVERY_PATHS]
    assert len(fetched_ok) == len(set(fetched_ok))  # no article body was downloaded twice


def _archived_answers(archive_dir: Path) -> list[tuple[str, int, str]]:
    """``(path and query, status, kind or role)`` of every response record in the WARC files under ``archive_dir``;
    the path is the one the replay site (the mirror the real URLs were fetched through) logs."""
    found = []
    for path in sorted(archive_dir.rglob("*.warc.gz")):
        with open(path, "rb") as handle:
            pending = None
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    url = urlsplit(MirrorTransport("http://replay").mirror_url(
                        record.rec_headers.get_header("WARC-Target-URI")))
                    pending = (url.path + (f"?{url.query}" if url.query else ""),
                               int(record.http_headers.get_statuscode()))
                elif record.rec_type == "metadata" and pending is not None:
                    metadata = json.loads(record.content_stream().read())
                    found.append((*pending, metadata.get("role") or metadata["kind"]))
                    pending = None
    return found


def test_every_answer_the_server_gave_is_in_the_runs_warc_files(crawls):
    archived = _archived_answers(crawls.settings.data_dir / "archive")
    served = Counter((r.path, r.status) for r in crawls.first_log + crawls.second_log)
    assert Counter((path, status) for path, status, _ in archived) == served
    roles = {(path.removeprefix(P), status): role for path, status, role in archived}
    assert roles[("missing/", 404)] == "failed-page"
    assert roles[("flaky/", 500)] == "retried" and roles[("flaky/", 200)] == "newsmon/page"
    assert roles[("throttled/", 429)] == "retried"
    assert roles[("loop/b/", 302)] == roles[("redirect/1/", 301)] == "redirect"
    assert roles[("to-metadata/", 302)] == "redirect"  # the hop is kept; where it pointed was never asked
    assert roles[("binary/", 200)] == "not-an-article"
    assert roles[("huge/", 200)] == roles[("huge-stream/", 200)] == "too-large"
    assert roles[("robots.txt", 200)] == "robots"
    assert roles[(FEED_PATH.removeprefix(P), 304)] == "newsmon/discovery"
