"""The hostile site's page attacks, crawled with the real crawler and processed into the real Elasticsearch node.

One module-wide crawl of the source ``hostile`` (``crawl_source`` through the site as a mirror, the default
fetcher: the network transport with its deadlines), then ``process_batch`` of everything it queued. Each test
reads what an operator would: the crawl's events and report, the crawl state, the server's request log, the
indexed documents and a search.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import hostile_pages as pages
import pytest
from conftest import hostile_settings
from hostile_site import HostileServer, LoggedRequest
from warcio.archiveiterator import ArchiveIterator

from newsmon.crawl.crawler import CrawlReport, crawl_source, process_queue
from newsmon.crawl.shared_state import crawl_state_store
from newsmon.crawl.state import CrawlState
from newsmon.index import connect, search_articles
from newsmon.models import document_id
from newsmon.pipeline import process_batch
from newsmon.settings import Settings
from newsmon.sources import load_registry

pytestmark = pytest.mark.integration

#: The crawl must end well within this (the drip alone would take 30 s; a fetch gets 3 s).
CRAWL_BOUND_SECONDS = 25.0


@dataclass
class Outcome:
    settings: Settings
    site: HostileServer
    report: CrawlReport
    seconds: float
    log: list[LoggedRequest]
    queued_before: dict[str, dict]
    processed: dict
    docs: dict[str, dict]

    def event(self, host: str, path: str) -> dict:
        return next(e for e in self.report.events if e["url"] == f"https://{host}{path}")

    def doc(self, canonical_url: str) -> dict:
        return self.docs[document_id(canonical_url)]

    def hits(self, host: str) -> list[tuple[str, int | None]]:
        return [(r.path, r.status) for r in self.log if r.host == host]


@pytest.fixture(scope="module")
def outcome(hostile_site, elasticsearch_url, tmp_path_factory) -> Outcome:
    settings = hostile_settings(tmp_path_factory.mktemp("hostile-data"), hostile_site, elasticsearch_url)
    started = time.monotonic()
    report = crawl_source(load_registry(settings).get("hostile"), settings)
    seconds = time.monotonic() - started
    log = hostile_site.requests()
    queue = process_queue(settings)
    queued = {item["canonical_url"]: item for _, item in queue.items()}
    processed = process_batch(queue.ids(), settings)
    client = connect(settings)
    response = client.search(index=settings.index_alias, size=100, query={"match_all": {}},
                             source_excludes=["text_*", "title_*"])
    docs = {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}
    return Outcome(settings, hostile_site, report, seconds, log, queued, processed, docs)


def _state(outcome: Outcome) -> CrawlState:
    return crawl_state_store(outcome.settings).load("hostile")


def test_a_drip_fed_page_fails_at_the_fetch_deadline_and_the_crawl_ends(outcome):
    assert outcome.seconds < CRAWL_BOUND_SECONDS
    event = outcome.event(pages.HOST, "/drip/")
    assert (event["status"], event["reason"]) == ("skipped", "deadline")
    failure = _state(outcome).failures["https://hostile.example/drip/"]
    assert (failure["reason"], failure["transient"]) == ("deadline", True)  # tried again next run
    (drip,) = [r for r in outcome.log if r.path == "/drip/"]
    assert not drip.complete and drip.bytes_sent < 10  # we hung up after ~3 bytes, not after 30 s
    assert any("deadline: https://hostile.example/drip/" in p and "fetch_deadline_seconds" in p
               for p in outcome.report.problems)


def test_an_article_of_1_35_million_characters_is_indexed_and_searchable(outcome):
    assert outcome.event(pages.HOST, "/long/")["status"] == "fetched"
    long_doc = outcome.doc("https://hostile.example/long/")
    assert len(long_doc["text"]) > pages.LONG_ARTICLE_CHARS - 10_000
    assert outcome.processed["notes"] == {"matched-in-pieces": 1, "mentions-capped": 1}
    assert "taliban" in long_doc["actors"] and len(long_doc["mentions"]) == 5_000
    client = connect(outcome.settings)
    found = {word: search_articles(client, outcome.settings.index_alias, word)
             for word in (pages.EARLY_MARKER, pages.LATE_MARKER)}  # the late one is past the highlighter's reach
    assert {word: (total, [h.url for h in hits]) for word, (total, hits) in found.items()} == {
        pages.EARLY_MARKER: (1, ["https://hostile.example/long/"]),
        pages.LATE_MARKER: (1, ["https://hostile.example/long/"])}
    assert any(f"«{pages.EARLY_MARKER}»" in fragment for fragment in found[pages.EARLY_MARKER][1][0].highlights)


def test_nothing_fetched_is_left_unindexed_or_mislabelled(outcome):
    fetched = [e for e in outcome.report.events if e["status"] == "fetched"]
    assert len(fetched) == outcome.report.fetched == 9
    assert (outcome.processed["processed"], outcome.processed["dropped"]) == (9, {})
    assert process_queue(outcome.settings).ids() == []
    assert set(outcome.docs) == {document_id(e["canonical_url"]) for e in fetched}


def test_a_javascript_canonical_link_is_ignored_and_the_page_keeps_its_url(outcome):
    url = "https://hostile.example/canonical-js/"
    assert outcome.event(pages.HOST, "/canonical-js/")["canonical_url"] == url
    assert outcome.queued_before[url]["canonical_url"] == url
    assert outcome.doc(url)["canonical_url"] == url
    assert not [d for d in outcome.docs.values() if not d["canonical_url"].startswith(("http://", "https://"))]


def test_a_utf8_declared_windows_1251_page_is_read_as_russian(outcome):
    doc = outcome.doc("https://hostile.example/cp1251/")
    assert doc["title"] == pages.RUSSIAN_TITLE
    assert doc["lang"] == "ru" and {"taliban", "zamir_kabulov"} <= set(doc["actors"])


def test_a_redirect_to_ipv6_loopback_keeps_the_brackets(outcome):
    url = f"http://[::1]:{outcome.site.port}/ipv6-target/"
    assert outcome.event(pages.HOST, "/to-ipv6/")["canonical_url"] == url
    assert outcome.doc(url)["canonical_url"] == url


def test_robots_txt_answering_500_disallows_the_host_for_this_run(outcome):
    for path in ("/a/", "/b/"):
        event = outcome.event(pages.R500_HOST, path)
        assert (event["reason"], event["attempts"]) == ("robots-unreachable", 0)
        assert _state(outcome).failures[f"https://{pages.R500_HOST}{path}"]["transient"] is True
    hits = outcome.hits(pages.R500_HOST)
    assert 1 <= len(hits) <= 3 and set(hits) == {("/robots.txt", 500)}  # retried at most; no page asked for


def test_robots_txt_groups_for_the_same_agent_are_merged_and_the_longest_rule_wins(outcome):
    reasons = {path: outcome.event(pages.GROUPS_HOST, path)["reason"]
               for path in ("/first/1/", "/second/1/", "/second/open/1/", "/third/1/")}
    assert reasons == {"/first/1/": "robots-disallowed", "/second/1/": "robots-disallowed",
                       "/second/open/1/": None, "/third/1/": None}
    assert outcome.hits(pages.GROUPS_HOST) == [("/robots.txt", 200), ("/second/open/1/", 200), ("/third/1/", 200)]


def test_robots_txt_behind_a_redirect_is_followed(outcome):
    assert outcome.event(pages.REDIRBOTS_HOST, "/blocked/1/")["reason"] == "robots-disallowed"
    assert outcome.event(pages.REDIRBOTS_HOST, "/open/1/")["status"] == "fetched"
    assert outcome.hits(pages.REDIRBOTS_HOST) == [("/robots.txt", 301), ("/robots-real.txt", 200), ("/open/1/", 200)]


def test_an_entity_bomb_behind_a_70_kb_comment_is_refused_before_parsing(outcome):
    feed = _state(outcome).feeds["https://hostile.example/feeds/bomb/"]
    assert feed.last_status == "failed" and "declares XML entities" in feed.last_error
    assert not [r for r in outcome.log if r.path == "/bombed/"]


def test_what_held_still_holds(outcome):
    log = outcome.log
    # XXE: refused like the bomb; nothing it names is fetched or read.
    xxe = _state(outcome).feeds["https://hostile.example/feeds/xxe/"]
    assert xxe.last_status == "failed" and "declares XML entities" in xxe.last_error
    assert not [r for r in log if r.path == "/xxe-item/"]
    assert not [d for d in outcome.docs.values() if "root:" in d["text"]]
    # A gzip bomb and an endless body stop at the size limit.
    assert outcome.event(pages.HOST, "/gzip-bomb/")["reason"] == outcome.event(pages.HOST, "/endless/")["reason"] \
        == "too-large"
    (endless,) = [r for r in log if r.path == "/endless/"]
    assert not endless.complete and endless.bytes_sent < 20_000_000
    # A redirect to the metadata address is refused before any connection.
    assert outcome.event(pages.HOST, "/to-metadata/")["reason"] == "unsafe-address"
    assert not [r for r in log if r.host.startswith("169.254.")]
    # Self-referencing sitemaps: each read twice at most (the second time as unchanged), then the crawl goes on.
    assert [(r.path, r.status) for r in log if r.path.startswith("/sitemap")].count(("/sitemap.xml", 200)) == 2
    assert len([r for r in log if r.path == "/sitemap-2.xml"]) == 2
    # CR/LF and <script> in titles: stored as one line of text.
    crlf = outcome.doc("https://hostile.example/crlf-title/")["title"]
    assert "\r" not in crlf and "\n" not in crlf and crlf.endswith("Bcc: victim@example.org")
    assert outcome.doc("https://hostile.example/script-title/")["title"] == pages.SCRIPT_TITLE


def test_the_crawl_in_numbers(outcome):
    report = outcome.report
    assert (report.feeds_checked, report.feeds_failed, report.discovered, report.fetched) == (7, 2, 18, 9)
    assert dict(report.skipped) == {"deadline": 1, "too-large": 2, "unsafe-address": 1, "robots-unreachable": 2,
                                    "robots-disallowed": 3}
    assert report.requests == len(outcome.log)


def test_every_answer_is_archived_with_what_it_was(outcome):
    roles = []
    for path in sorted(Path(outcome.settings.data_dir / "archive").rglob("*.warc.gz")):
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "metadata":
                    metadata = json.loads(record.content_stream().read())
                    roles.append(metadata.get("role") or metadata["kind"])
    assert roles.count("deadline") == 1 and roles.count("too-large") == 2
    assert len(roles) == len([r for r in outcome.log if r.status is not None])
