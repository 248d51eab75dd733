"""Text of PDF documents, rebuilt from the page layout: lines, running heads, footnotes and paragraphs.

A PDF is read with pypdf, keeping each text run's position, font size and weight (:func:`read_pdf`), and
rebuilt as a document (:func:`layout_blocks`): running headers and footers (lines in the top or bottom margin
that repeat on several pages, or page numbers) go; a cover page (little text, a huge title) goes; superscript
footnote markers go and the footnotes at the foot of the page are collected apart; lines are joined into
paragraphs by vertical gaps (and across pages when a sentence runs on), with words hyphenated at line ends
mended. :func:`drop_boilerplate` then removes a publisher's own sections and paragraphs, which it names.

Each step is a public function on :class:`PdfLine` lists, so a source whose reports are laid out differently
can recombine them.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pypdf
from pypdf.errors import PyPdfError

from extractors.common.text import clean_whitespace
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = [
    "PdfBlock",
    "PdfDocument",
    "PdfLine",
    "body_font_size",
    "build_blocks",
    "catalog_language",
    "drop_above_title",
    "drop_boilerplate",
    "drop_running_heads",
    "is_cover",
    "is_pdf",
    "join_lines",
    "layout_blocks",
    "metadata_date",
    "read_lines",
    "read_pdf",
    "split_footnotes",
]


@dataclass(slots=True)
class PdfLine:
    """One line of text on a page, its runs joined left to right."""

    page: int
    y: float  # baseline, measured down from the top of the page (points)
    size: float
    bold: bool
    text: str
    refs: list[str] = field(default_factory=list)  # superscript footnote markers removed from the text


@dataclass(slots=True)
class PdfBlock:
    """A heading or a paragraph."""

    heading: bool
    text: str


@dataclass(slots=True)
class PdfDocument:
    """An opened PDF: the reader (for metadata), its text lines and each page's height."""

    reader: pypdf.PdfReader
    lines: list[PdfLine]
    heights: list[float]


_PAGE_NUMBER = re.compile(
    r"^(?:page|sayfa|страница|стр\.|s\.)?\s*\d{1,4}(?:\s*(?:/|of|из|-)\s*\d{1,4})?$", re.IGNORECASE
)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})[.)]?\s+(\S.*)$")
_LIST_ITEM = re.compile(r"^(?:\d{1,2}[.)]|[•▪◦–-])\s")
_TERMINAL = re.compile(r"[.!?:;…”\"»)]$")


def is_pdf(page: FetchedPage) -> bool:
    """Whether ``page`` is a PDF, by its content type or, when a server mislabels it, its magic bytes."""
    return page.content_type.lower().startswith("application/pdf") or page.body.lstrip()[:5] == b"%PDF-"


def read_pdf(page: FetchedPage) -> PdfDocument:
    """Open the PDF in ``page`` and read its lines; :class:`DropDocument` if it is broken or has no text layer."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(page.body))
        lines, heights = read_lines(reader)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise DropDocument("unreadable-pdf", f"{page.url}: {exc}") from None
    if not lines:
        raise DropDocument("pdf-without-text", f"{page.url} has no text layer (a scan?); OCR is not done")
    return PdfDocument(reader, lines, heights)


def layout_blocks(lines: list[PdfLine], heights: list[float]) -> tuple[list[PdfBlock], list[str]]:
    """The headings and paragraphs of a document, and its footnotes (``[n] text``), from all its lines.

    A cover page, running heads and page numbers, and a masthead above the title of a first page without a cover
    are dropped; footnotes are split off; the rest is joined into blocks with hyphenation mended.
    """
    body_size = body_font_size(lines)
    cover = is_cover(lines, body_size)
    lines = drop_running_heads([ln for ln in lines if not (cover and ln.page == 0)], heights)
    lines, footnotes = split_footnotes(lines, body_size)
    if not cover:
        lines = drop_above_title(lines, body_size)
    vocabulary = " ".join(ln.text for ln in lines)
    return build_blocks(lines, body_size, vocabulary), footnotes


# -- reading the PDF ---------------------------------------------------------------------------------------
def read_lines(reader: pypdf.PdfReader) -> tuple[list[PdfLine], list[float]]:
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


def _group_runs(page: int, runs: list[tuple]) -> list[PdfLine]:
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
            lines.append(PdfLine(page, main[0], main[2], main[3], text, refs))
    return lines


def body_font_size(lines: list[PdfLine]) -> float:
    """The font size most of the text is set in, counted in characters."""
    weights = Counter()
    for ln in lines:
        weights[ln.size] += len(ln.text)
    return weights.most_common(1)[0][0]


def is_cover(lines: list[PdfLine], body_size: float) -> bool:
    """Page 1 is a cover when it holds little text and a display-size title."""
    first = [ln for ln in lines if ln.page == 0]
    words = sum(len(ln.text.split()) for ln in first)
    return bool(first) and words < 80 and max(ln.size for ln in first) >= 1.6 * body_size


def drop_running_heads(lines: list[PdfLine], heights: list[float]) -> list[PdfLine]:
    """Drop lines in the top/bottom 7% of a page that are page numbers or repeat on two pages or more."""

    def in_margin(ln: PdfLine) -> bool:
        return ln.y < 0.07 * heights[ln.page] or ln.y > 0.93 * heights[ln.page]

    def shape(ln: PdfLine) -> str:
        return re.sub(r"\d+", "#", ln.text.casefold())

    pages_by_shape: dict[str, set[int]] = {}
    for ln in filter(in_margin, lines):
        pages_by_shape.setdefault(shape(ln), set()).add(ln.page)
    return [
        ln
        for ln in lines
        if not (in_margin(ln) and (_PAGE_NUMBER.match(ln.text) or len(pages_by_shape[shape(ln)]) >= 2))
    ]


def split_footnotes(lines: list[PdfLine], body_size: float) -> tuple[list[PdfLine], list[str]]:
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
    return kept, [join_lines(n, vocabulary) for n in notes]


def drop_above_title(lines: list[PdfLine], body_size: float) -> list[PdfLine]:
    """On a title page without a cover, what stands above the display-size title is a masthead."""
    first_page = min((ln.page for ln in lines), default=0)
    first = [ln for ln in lines if ln.page == first_page]
    if not first or max(ln.size for ln in first) < 1.3 * body_size:
        return lines
    title_y = min(ln.y for ln in first if ln.size == max(x.size for x in first))
    return [ln for ln in lines if ln.page != first_page or ln.y >= title_y]


def build_blocks(lines: list[PdfLine], body_size: float, vocabulary: str) -> list[PdfBlock]:
    """Join lines into headings and paragraphs (by vertical gaps, style changes and run-on sentences)."""
    leading = _leading(lines)
    uses_gaps = any(
        1.3 * leading.get(a.size, a.size * 1.4) < b.y - a.y < 4 * a.size
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.size == b.size
    )
    full = {size: max(len(ln.text) for ln in lines if ln.size == size) for size in {ln.size for ln in lines}}
    groups: list[list[PdfLine]] = []
    for ln in lines:
        prev = groups[-1][-1] if groups else None
        if prev is None or not _continues(prev, ln, body_size, leading, uses_gaps, full):
            groups.append([ln])
        else:
            groups[-1].append(ln)
    blocks = []
    for group in groups:
        heading = group[0].bold or group[0].size > body_size + 0.75
        blocks.append(PdfBlock(heading, join_lines([ln.text for ln in group], vocabulary)))
    return blocks


def _leading(lines: list[PdfLine]) -> dict[float, float]:
    gaps: dict[float, list[float]] = {}
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and a.size == b.size and 0 < b.y - a.y < 2.5 * a.size:
            gaps.setdefault(a.size, []).append(b.y - a.y)
    return {size: min(statistics.median(g), min(g) * 1.25) for size, g in gaps.items()}


def _continues(prev: PdfLine, ln: PdfLine, body_size: float, leading: dict, uses_gaps: bool, full: dict) -> bool:
    if abs(prev.size - ln.size) > 0.5 or prev.bold != ln.bold or _LIST_ITEM.match(ln.text):
        return False
    if prev.page != ln.page:
        return not _TERMINAL.search(prev.text) or ln.text[:1].islower()
    if ln.y - prev.y > 1.3 * leading.get(ln.size, ln.size * 1.4):
        return False
    short = len(prev.text) < 0.75 * full[prev.size]
    return uses_gaps or not (short and _TERMINAL.search(prev.text))


def join_lines(lines: list[str], vocabulary: str) -> str:
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


# -- boilerplate and metadata -------------------------------------------------------------------------------
def drop_boilerplate(
    blocks: list[PdfBlock],
    headings: Iterable[str],
    patterns: Iterable[re.Pattern[str]],
    repeated: Iterable[str] = (),
) -> list[PdfBlock]:
    """``blocks`` without the sections under boilerplate ``headings``, the paragraphs a pattern finds and the
    ``repeated`` texts (title, authors) standing alone; headings and repeats are compared by :func:`_key`."""
    boilerplate_headings = {_key(h) for h in headings}
    not_text = {_key(t) for t in repeated}
    patterns = tuple(patterns)
    kept, skipping = [], False
    for block in blocks:
        if block.heading:
            skipping = _key(block.text) in boilerplate_headings
        if skipping or _key(block.text) in not_text:
            continue
        if any(p.search(block.text) for p in patterns):
            continue
        kept.append(block)
    return kept


def _key(text: str) -> str:
    """A comparison key: no accents, dots or case (İ, I and ı all become i), letters and digits only."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("İ", "I"))
    return "".join(c for c in text.casefold() if c.isalnum())


def metadata_date(value) -> datetime | None:
    """A date from the PDF's document information, timezone-aware (a naive one is taken as UTC)."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def catalog_language(reader: pypdf.PdfReader) -> str | None:
    """The primary language subtag of the document catalog's ``/Lang``, or ``None``."""
    lang = reader.trailer["/Root"].get("/Lang")
    return str(lang).split("-")[0].lower() if lang else None

