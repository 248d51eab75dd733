"""Dated extractor versions: a site's redesign is a new class beside the old one, chosen by the fetch day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from extractors.common.base import ArticleExtractor
from extractors.common.css import compile_selector, select_one
from extractors.common.text import text_of
from newsmon import extraction
from newsmon.models import FetchedPage

OLD_LAYOUT = (b'<html><body><h1 class="old-title">Kabulov visits Kabul</h1><div class="old-body"><p>'
              + b"Zamir Kabulov met the Taliban's foreign minister in Kabul on Tuesday. " * 3 + b"</p></div></body></html>")
NEW_LAYOUT = OLD_LAYOUT.replace(b"old-title", b"headline").replace(b"old-body", b"story__text")


class ExampleNewsExtractor(ArticleExtractor):
    """The example site before its redesign of 1 March 2025."""

    name = "examplenews"
    valid_until = date(2025, 3, 1)
    TITLE, BODY = compile_selector("h1.old-title"), compile_selector("div.old-body")

    def title(self, tree, page):
        return select_one(tree, self.TITLE).text_content()

    def text(self, tree, page):
        return text_of(select_one(tree, self.BODY))


class ExampleNewsExtractor2025(ExampleNewsExtractor):
    """The same site since its redesign: only the selectors changed."""

    valid_until = None
    TITLE, BODY = compile_selector("h1.headline"), compile_selector("div.story__text")


def _page(body: bytes, fetched: datetime) -> FetchedPage:
    url = "https://www.examplenews.org/a"
    return FetchedPage("examplenews", url, url, 200, "text/html; charset=utf-8", body, fetched)


@pytest.fixture
def example_versions(monkeypatch):
    versions = extraction._ordered("examplenews", [ExampleNewsExtractor2025, ExampleNewsExtractor])
    monkeypatch.setitem(extraction._versions(), "examplenews", versions)
    return versions


def test_the_version_current_on_the_fetch_day_reads_the_page(example_versions):
    assert example_versions == (ExampleNewsExtractor, ExampleNewsExtractor2025)
    before = extraction.extract_article(_page(OLD_LAYOUT, datetime(2025, 2, 28, tzinfo=UTC)), "examplenews",
                                        date(2025, 2, 28))
    after = extraction.extract_article(_page(NEW_LAYOUT, datetime(2025, 3, 1, tzinfo=UTC)), "examplenews",
                                       date(2025, 3, 1))
    assert before.title == after.title == "Kabulov visits Kabul"
    assert before.text == after.text and before.text.startswith("Zamir Kabulov met")
    assert extraction.get_extractor("examplenews").__class__ is ExampleNewsExtractor2025  # no date: the newest
    assert extraction.known_extractors()["examplenews"] is ExampleNewsExtractor2025


def test_versions_without_their_own_end_date_are_refused():
    class Undated(ExampleNewsExtractor):
        valid_until = None

    with pytest.raises(TypeError, match="every version but the newest needs its own valid_until"):
        extraction._ordered("examplenews", [Undated, ExampleNewsExtractor2025])
