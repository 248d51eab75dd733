"""OpSour (opsour.com): research reports published as PDF files.

The PDF is read with pypdf, keeping each text run's position, font size and weight, and rebuilt as a document:
running headers and footers (lines in the top or bottom margin that repeat on several pages, or page numbers)
go; a cover page (little text, a huge title) goes; superscript footnote markers go and the footnotes at the
foot of the page are collected apart; lines are joined into paragraphs by vertical gaps (and across pages when
a sentence runs on), with words hyphenated at line ends mended. OpSour's own boilerplate — "ABOUT OPSOUR",
"DEPARTMENT GOALS" (and their Turkish forms), the address, the disclaimer, the series line — is dropped.
An HTML page (an OpSour web page rather than a report) is read with the shared helpers.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pypdf
from pypdf.errors import PyPdfError

from extractors.base import ArticleExtractor
from extractors.helpers import (
    clean_whitespace,
    compile_selector,
    meta_content,
    parse_date,
    select_one,
    text_of,
)
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = ["OpSourExtractor"]


@dataclass(slots=True)
class _Line:
    page: int
    y: float  # baseline, measured down from the top of the page (points)
    size: float
    bold: bool
    text: str
    refs: list[str] = field(default_factory=list)  # superscript footnote markers removed from the text


@dataclass(slots=True)
class _Block:
    heading: bool
    text: str


@dataclass(slots=True)
class _Report:
    title: str = ""
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    footnotes: list[str] = field(default_factory=list)


_PAGE_NUMBER = re.compile(
    r"^(?:page|sayfa|страница|стр\.|s\.)?\s*\d{1,4}(?:\s*(?:/|of|из|-)\s*\d{1,4})?$", re.IGNORECASE
)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})[.)]?\s+(\S.*)$")
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[•▪◦–-])\s")
_TERMINAL = re.compile(r"[.!?:;…”\"»)]$")
_MONTH_YEAR = re.compile(r"^([^\W\d_]+)\s+(\d{4})$")


class OpSourExtractor(ArticleExtractor):
    """OpSour reports (PDF) in English and Turkish."""

    name = "opsour"

    #: Headings whose sections are the publisher's boilerplate, compared case-blind.
    BOILERPLATE_HEADINGS = frozenset(
        {"about opsour", "department goals", "opsour hakkinda", "bolum hedefleri", "hakkimizda", "disclaimer"}
    )
    #: Whole paragraphs that are boilerplate wherever they stand.
    BOILERPLATE = (
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
    HTML_SKIP = (compile_selector("nav, header, footer, aside, form, .share, .sharedaddy"),)

    # -- parsing --------------------------------------------------------------------------------------
    def parse(self, page: FetchedPage) -> _Report:
        if page.content_type.lower().startswith("application/pdf") or page.body.lstrip()[:5] == b"%PDF-":
            return self._parse_pdf(page)
        return self._parse_html(page)

    def _parse_pdf(self, page: FetchedPage) -> _Report:
        try:
            reader = pypdf.PdfReader(io.BytesIO(page.body))
            lines, heights = _read_lines(reader)
        except (PyPdfError, ValueError, KeyError, TypeError) as exc:
            raise DropDocument("unreadable-pdf", f"{page.url}: {exc}") from None
        if not lines:
            raise DropDocument("pdf-without-text", f"{page.url} has no text layer (a scan?); OCR is not done")
        meta = reader.metadata or {}
        body_size = _body_size(lines)
        cover = _is_cover(lines, body_size)
        report = _Report(
            title=self._pdf_title(meta, lines),
            authors=_split_authors(getattr(meta, "author", None) or ""),
            published=_aware(getattr(meta, "creation_date", None)) or _cover_date(lines),
            modified=_aware(getattr(meta, "modification_date", None)),
            language=_catalog_language(reader),
        )
        lines = _drop_running_heads([ln for ln in lines if not (cover and ln.page == 0)], heights)
        lines, report.footnotes = _split_footnotes(lines, body_size)
        if not cover:
            lines = _drop_above_title(lines, body_size)
        vocabulary = " ".join(ln.text for ln in lines)
        blocks = self._drop_boilerplate(_blocks(lines, body_size, vocabulary), report)
        report.text = "\n\n".join(b.text for b in blocks)
        return report

    def _pdf_title(self, meta, lines: list[_Line]) -> str:
        """The metadata title unless it is a file name or empty, else the display-size lines of page 1."""
        title = clean_whitespace(getattr(meta, "title", None) or "")
        if len(title) >= 8 and not re.search(
            r"\.(?:docx?|pdf|indd)$|^untitled|^microsoft word", title, re.IGNORECASE
        ):
            return title
        first = [ln for ln in lines if ln.page == min(x.page for x in lines)]
        biggest = max(ln.size for ln in first)
        return clean_whitespace(" ".join(ln.text for ln in first if ln.size >= biggest - 0.5))

    def _drop_boilerplate(self, blocks: list[_Block], report: _Report) -> list[_Block]:
        boilerplate_headings = {_key(h) for h in self.BOILERPLATE_HEADINGS}
        not_text = {_key(report.title), *(_key(a) for a in report.authors)}
        kept, skipping = [], False
        for block in blocks:
            if block.heading:
                skipping = _key(block.text) in boilerplate_headings
            if skipping or _key(block.text) in not_text:
                continue
            if any(p.search(block.text) for p in self.BOILERPLATE):
                continue
            kept.append(block)
        return kept

    def _parse_html(self, page: FetchedPage) -> _Report:
        tree = super().parse(page)
        h1 = select_one(tree, self.HTML_TITLE)
        title = meta_content(tree, "og:title") or (h1.text_content() if h1 is not None else "")
        body = select_one(tree, self.HTML_BODY)
        return _Report(
            title=clean_whitespace(title),
            text=text_of(body, skip=self.HTML_SKIP) if body is not None else "",
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


# -- reading the PDF ---------------------------------------------------------------------------------------
def _read_lines(reader: pypdf.PdfReader) -> tuple[list[_Line], list[float]]:
    """Every text line of the document, top to bottom per page, with superscript markers split off."""
    lines, heights = [], []
    for number, pdf_page in enumerate(reader.pages):
        height = float(pdf_page.mediabox.height)
        heights.append(height)
        runs: list[tuple[float, float, float, bool, str]] = []

        def visit(text, cm, tm, font_dict, font_size, _runs=runs, _height=height):
            if not text or not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
            font = str((font_dict or {}).get("/BaseFont", ""))
            _runs.append(
                (_height - y, x, round(font_size * scale, 2), "bold" in font.lower(), text.replace("\n", " "))
            )

        pdf_page.extract_text(visitor_text=visit)
        lines.extend(_group_runs(number, sorted(runs)))
    return lines, heights


def _group_runs(page: int, runs: list[tuple]) -> list[_Line]:
    clusters: list[list[tuple]] = []
    for run in runs:
        if clusters:
            main = max(clusters[-1], key=lambda r: r[2])
            if abs(run[0] - main[0]) <= 0.45 * max(main[2], run[2]):
                clusters[-1].append(run)
                continue
        clusters.append([run])
    lines = []
    for cluster in clusters:
        main = max(cluster, key=lambda r: (r[2], len(r[4])))
        text, refs, end = "", [], None
        for y, x, size, bold, piece in sorted(cluster, key=lambda r: r[1]):
            if (
                size < 0.8 * main[2]
                and main[0] - y > 0.12 * main[2]
                and re.fullmatch(r"\s*[\d,*†‡]+\s*", piece)
            ):
                refs.extend(p for p in re.split(r"[,\s]+", piece.strip()) if p)
                continue
            if (
                text
                and end is not None
                and not text.endswith(" ")
                and not piece.startswith(" ")
                and not re.match(r"[,.;:!?)\]”’]", piece)
                and x > end + 0.15 * size
            ):
                text += " "
            text += piece
            end = x + 0.5 * size * len(piece)
        text = clean_whitespace(text)
        if text:
            lines.append(_Line(page, main[0], main[2], main[3], text, refs))
    return lines


def _body_size(lines: list[_Line]) -> float:
    weights = Counter()
    for ln in lines:
        weights[ln.size] += len(ln.text)
    return weights.most_common(1)[0][0]


def _is_cover(lines: list[_Line], body_size: float) -> bool:
    """Page 1 is a cover when it holds little text and a display-size title."""
    first = [ln for ln in lines if ln.page == 0]
    words = sum(len(ln.text.split()) for ln in first)
    return bool(first) and words < 80 and max(ln.size for ln in first) >= 1.6 * body_size


def _drop_running_heads(lines: list[_Line], heights: list[float]) -> list[_Line]:
    """Drop lines in the top/bottom 7% of a page that are page numbers or repeat on two pages or more."""

    def in_margin(ln: _Line) -> bool:
        return ln.y < 0.07 * heights[ln.page] or ln.y > 0.93 * heights[ln.page]

    def shape(ln: _Line) -> str:
        return re.sub(r"\d+", "#", ln.text.casefold())

    pages_by_shape: dict[str, set[int]] = {}
    for ln in filter(in_margin, lines):
        pages_by_shape.setdefault(shape(ln), set()).add(ln.page)
    return [
        ln
        for ln in lines
        if not (in_margin(ln) and (_PAGE_NUMBER.match(ln.text) or len(pages_by_shape[shape(ln)]) >= 2))
    ]


def _split_footnotes(lines: list[_Line], body_size: float) -> tuple[list[_Line], list[str]]:
    """Small-type lines below the last body line of a page are footnotes: ``[n] text``."""
    kept, notes = [], []
    for page in sorted({ln.page for ln in lines}):
        on_page = [ln for ln in lines if ln.page == page]
        body_bottom = max((ln.y for ln in on_page if ln.size >= 0.9 * body_size), default=-1.0)
        for ln in on_page:
            if ln.size > 0.85 * body_size or ln.y <= body_bottom:
                kept.append(ln)
                continue
            start = _FOOTNOTE_START.match(ln.text)
            if start:
                notes.append([f"[{start.group(1)}] {start.group(2)}"])
            elif notes:
                notes[-1].append(ln.text)
            else:
                kept.append(ln)
    vocabulary = " ".join(" ".join(n) for n in notes)
    return kept, [_join_lines(n, vocabulary) for n in notes]


def _drop_above_title(lines: list[_Line], body_size: float) -> list[_Line]:
    """On a title page without a cover, what stands above the display-size title is a masthead."""
    first_page = min((ln.page for ln in lines), default=0)
    first = [ln for ln in lines if ln.page == first_page]
    if not first or max(ln.size for ln in first) < 1.3 * body_size:
        return lines
    title_y = min(ln.y for ln in first if ln.size == max(x.size for x in first))
    return [ln for ln in lines if ln.page != first_page or ln.y >= title_y]


def _blocks(lines: list[_Line], body_size: float, vocabulary: str) -> list[_Block]:
    """Join lines into headings and paragraphs (by vertical gaps, style changes and run-on sentences)."""
    leading = _leading(lines)
    uses_gaps = any(
        1.3 * leading.get(a.size, a.size * 1.4) < b.y - a.y < 4 * a.size
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.size == b.size
    )
    full = {size: max(len(ln.text) for ln in lines if ln.size == size) for size in {ln.size for ln in lines}}
    groups: list[list[_Line]] = []
    for ln in lines:
        prev = groups[-1][-1] if groups else None
        if prev is None or not _continues(prev, ln, body_size, leading, uses_gaps, full):
            groups.append([ln])
        else:
            groups[-1].append(ln)
    blocks = []
    for group in groups:
        heading = group[0].bold or group[0].size > body_size + 0.75
        blocks.append(_Block(heading, _join_lines([ln.text for ln in group], vocabulary)))
    return blocks


def _leading(lines: list[_Line]) -> dict[float, float]:
    gaps: dict[float, list[float]] = {}
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and a.size == b.size and 0 < b.y - a.y < 2.5 * a.size:
            gaps.setdefault(a.size, []).append(b.y - a.y)
    return {size: min(statistics.median(g), min(g) * 1.25) for size, g in gaps.items()}


def _continues(prev: _Line, ln: _Line, body_size: float, leading: dict, uses_gaps: bool, full: dict) -> bool:
    if abs(prev.size - ln.size) > 0.5 or prev.bold != ln.bold or _LIST_ITEM.match(ln.text):
        return False
    if prev.page != ln.page:
        return not _TERMINAL.search(prev.text) or ln.text[:1].islower()
    if ln.y - prev.y > 1.3 * leading.get(ln.size, ln.size * 1.4):
        return False
    short = len(prev.text) < 0.75 * full[prev.size]
    return uses_gaps or not (short and _TERMINAL.search(prev.text))


def _join_lines(lines: list[str], vocabulary: str) -> str:
    """Join lines with spaces, mending words hyphenated at line ends (unless hyphenated elsewhere too)."""
    text = ""
    for line in lines:
        broken = re.search(r"(\w+)-$", text)
        if not text:
            text = line
        elif broken and line[:1].islower():
            right = re.match(r"\w+", line)
            compound = f"{broken.group(1)}-{right.group(0) if right else ''}"
            text = text + line if right and compound in vocabulary else text[:-1] + line
        elif broken:
            text += line  # "Moscow-" + "Taliban": a real hyphen
        else:
            text += " " + line
    return text


# -- metadata ----------------------------------------------------------------------------------------------
def _key(text: str) -> str:
    """A comparison key: no accents, dots or case (İ, I and ı all become i), letters and digits only."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("İ", "I"))
    return "".join(c for c in text.casefold() if c.isalnum())


def _split_authors(value: str) -> list[str]:
    parts = re.split(r"\s*(?:;|,|&|\band\b|\bve\b)\s*", value)
    return [clean_whitespace(p) for p in parts if clean_whitespace(p)]


def _aware(value) -> datetime | None:
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _cover_date(lines: list[_Line]) -> datetime | None:
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


def _catalog_language(reader: pypdf.PdfReader) -> str | None:
    lang = reader.trailer["/Root"].get("/Lang")
    return str(lang).split("-")[0].lower() if lang else None
