"""OpSour (opsour.com): research reports published as PDF files, in English and Turkish.

The report's layout is read and rebuilt as paragraphs and footnotes by :mod:`extractors.common.pdf_text`; what is
OpSour's own is here: its boilerplate — "ABOUT OPSOUR", "DEPARTMENT GOALS" (and their Turkish forms), the
address, the disclaimer, the series line — and where the title, date and authors are found. An HTML page (an
OpSour web page rather than a report) is read with the shared HTML helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from extractors.common.base import ArticleExtractor
from extractors.common.css import compile_selector, select_one
from extractors.common.dates import parse_date
from extractors.common.meta import meta_content
from extractors.common.pdf_text import (
    PdfLine,
    catalog_language,
    drop_boilerplate,
    is_pdf,
    layout_blocks,
    metadata_date,
    read_pdf,
)
from extractors.common.text import clean_whitespace, text_of
from newsmon.models import FetchedPage

__all__ = ["OpSourExtractor"]


@dataclass(slots=True)
class _Report:
    title: str = ""
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    footnotes: list[str] = field(default_factory=list)


_MONTH_YEAR = re.compile(r"^([^\W\d_]+)\s+(\d{4})$")


class OpSourExtractor(ArticleExtractor):
    """OpSour reports (PDF) in English and Turkish."""

    name = "opsour"

    #: Headings whose sections are the publisher's boilerplate, compared case-blind.
    BOILERPLATE_HEADINGS = frozenset(
        {"about opsour", "department goals", "opsour hakkinda", "bolum hedefleri", "hakkimizda", "disclaimer"}
    )
    #: Whole paragraphs that are boilerplate wherever they stand.
    BOILERPLATE_LINES = (
        re.compile(r"^(?:https?://)?(?:www\.)?opsour\.com/?$", re.IGNORECASE),
        re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),
        re.compile(
            r"\b(?:Street|Sokak|Sok\.|Cad(?:desi|\.)|Mah(?:allesi|\.))\b.*\b(?:İstanbul|Istanbul|Ankara)\b"
        ),
        re.compile(
            r"views expressed .* (?:author|authors)\b|görüşler(?:i)? yazar(?:a|lar)a? ait", re.IGNORECASE
        ),
        re.compile(r"^(?:OpSour\s+)?Research (?:and|&) Consulting$", re.IGNORECASE),
        re.compile(r"^OpSour\b.*\b(?:Series|Serisi)\b", re.IGNORECASE),
    )
    HTML_TITLE = compile_selector("article h1, h1")
    HTML_BODY = compile_selector("article .entry-content, .entry-content, article, main")
    BOILERPLATE = (compile_selector("nav, header, footer, aside, form, .share, .sharedaddy"),)
    SITE_NAMES = ("OpSour", "OpSour Research and Consulting")

    # -- parsing --------------------------------------------------------------------------------------
    def parse(self, page: FetchedPage) -> _Report:
        if is_pdf(page):
            return self._parse_pdf(page)
        return self._parse_html(page)

    def _parse_pdf(self, page: FetchedPage) -> _Report:
        pdf = read_pdf(page)
        meta = pdf.reader.metadata or {}
        report = _Report(
            title=self._pdf_title(meta, pdf.lines),
            authors=_split_authors(getattr(meta, "author", None) or ""),
            published=metadata_date(getattr(meta, "creation_date", None)) or _cover_date(pdf.lines),
            modified=metadata_date(getattr(meta, "modification_date", None)),
            language=catalog_language(pdf.reader),
        )
        blocks, report.footnotes = layout_blocks(pdf.lines, pdf.heights)
        blocks = drop_boilerplate(
            blocks, self.BOILERPLATE_HEADINGS, self.BOILERPLATE_LINES, repeated=[report.title, *report.authors]
        )
        report.text = "\n\n".join(b.text for b in blocks)
        return report

    def _pdf_title(self, meta, lines: list[PdfLine]) -> str:
        """The metadata title unless it is a file name or empty, else the display-size lines of page 1."""
        title = clean_whitespace(getattr(meta, "title", None) or "")
        if len(title) >= 8 and not re.search(
            r"\.(?:docx?|pdf|indd)$|^untitled|^microsoft word", title, re.IGNORECASE
        ):
            return title
        first = [ln for ln in lines if ln.page == min(x.page for x in lines)]
        biggest = max(ln.size for ln in first)
        return clean_whitespace(" ".join(ln.text for ln in first if ln.size >= biggest - 0.5))

    def _parse_html(self, page: FetchedPage) -> _Report:
        tree = super().parse(page)
        h1 = select_one(tree, self.HTML_TITLE)
        title = meta_content(tree, "og:title") or (h1.text_content() if h1 is not None else "")
        body = select_one(tree, self.HTML_BODY)
        return _Report(
            title=clean_whitespace(title),
            text=text_of(body, skip=self.BOILERPLATE) if body is not None else "",
            authors=_split_authors(meta_content(tree, "author") or ""),
            published=parse_date(meta_content(tree, "article:published_time")),
            modified=parse_date(meta_content(tree, "article:modified_time")),
            language=(tree.get("lang") or "").split("-")[0].lower() or None,
        )

    # -- fields ---------------------------------------------------------------------------------------
    def title(self, report: _Report, page: FetchedPage) -> str:
        return report.title

    def text(self, report: _Report, page: FetchedPage) -> str:
        return report.text

    def declared_language(self, report: _Report, page: FetchedPage) -> str | None:
        return report.language

    def published(self, report: _Report, page: FetchedPage) -> datetime | None:
        return report.published

    def modified(self, report: _Report, page: FetchedPage) -> datetime | None:
        return report.modified

    def authors(self, report: _Report, page: FetchedPage) -> list[str]:
        return report.authors

    def footnotes(self, report: _Report, page: FetchedPage) -> list[str]:
        return report.footnotes


# -- metadata ----------------------------------------------------------------------------------------------
def _split_authors(value: str) -> list[str]:
    parts = re.split(r"\s*(?:;|,|&|\band\b|\bve\b)\s*", value)
    return [clean_whitespace(p) for p in parts if clean_whitespace(p)]


def _cover_date(lines: list[PdfLine]) -> datetime | None:
    """A "NOVEMBER 2021" / "MART 2023" line on the first page, as the 1st of that month (UTC)."""
    for ln in lines:
        if ln.page > 0:
            break
        match = _MONTH_YEAR.match(ln.text)
        if match:
            month = match.group(1).replace("I", "ı").replace("İ", "i").lower()
            found = parse_date(f"1 {month} {match.group(2)}")
            if found:
                return found
    return None
