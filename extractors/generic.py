"""The fallback for any page without a site extractor: trafilatura, tuned for precision, with a rescue pass.

Repairs around trafilatura, measured by ``benchmarks/extraction.py``: a body split over same-class containers
is joined first; a balanced pass rescues a precise text that covers little of the page; a first line repeating
the headline is dropped. Title, authors and dates come from JSON-LD and meta tags (htmldate if none is given).
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from copy import copy, deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from trafilatura.readability_lxml import Document as Readability

from extractors.common.base import ArticleExtractor
from extractors.common.dates import parse_date
from extractors.common.json_ld import json_ld_article, json_ld_names
from extractors.common.meta import hreflang_alternates, meta_content, meta_contents
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = ["GenericExtractor", "merge_body_chunks", "page_encoding", "parse_datetime"]

#: Class names of article-body containers (the core of trafilatura's own first body expression).
_BODY_CLASS = re.compile(r"article(?:-|__)?body|articleBody|article__content|story-?body|post-body"
                         r"|(?:entry|article|story|post)[-_]content", re.IGNORECASE)
_CONTAINERS = etree.XPath("//*[self::div or self::section or self::article][@class]")
_HEADLINES = etree.XPath('//meta[@property="og:title" or @name="twitter:title"]/@content'
                         " | //title/text() | //h1")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: A word: a run of non-space characters, or two characters of a script written without spaces.
_WORDS = re.compile(rf"[{_CJK}]{{1,2}}|[^\s{_CJK}]+")


@dataclass(slots=True)
class _Parsed:
    tree: lxml.html.HtmlElement
    text: str
    article: dict  # the page's JSON-LD article object, or {}


#: A line with fewer words than this is a menu item, label or heading, not running text.
_PROSE_LINE_WORDS = 6


def _prose_words(text: str) -> int:
    """Words in lines of running text; a page of menu items ("Skip to main content", "News", …) has none."""
    counts = (len(_WORDS.findall(line)) for line in text.splitlines())
    return sum(count for count in counts if count >= _PROSE_LINE_WORDS)


def parse_datetime(value: str | None) -> datetime | None:
    """Parse an ISO 8601 date or datetime; naive values are taken as UTC. ``None`` if unparsable."""
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class GenericExtractor(ArticleExtractor):
    """trafilatura, precise first, rescued when it finds little (F1 0.974 on the public benchmark)."""

    name = "generic"
    #: Fewer words of running text (lines of several words) than this is a navigation, error or stub page.
    MIN_WORDS = 15
    #: A body chunk needs this many characters of paragraph text to be joined to the others.
    MIN_CHUNK_CHARS = 200
    #: Retry in balanced mode when the precise text is shorter than this share of the page's text …
    RETRY_BELOW_PAGE_SHARE = 0.15
    #: … and keep the retry when it is at least this many times longer.
    RETRY_ACCEPT_RATIO = 3.0
    #: … and run the retry only when readability finds at least this many times the precise text.
    PROBE_RATIO = 2.0

    _PUBLISHED_XPATH = ('//meta[@property="article:published_time"]/@content',
                        '//meta[@itemprop="datePublished"]/@content', "//time[@datetime][1]/@datetime")
    _MODIFIED_XPATH = ('//meta[@property="article:modified_time"]/@content',
                       '//meta[@itemprop="dateModified"]/@content')
    _DATE_META = ("date", "pubdate", "publishdate", "dc.date", "dcterms.date", "parsely-pub-date")

    def parse(self, page: FetchedPage) -> _Parsed:
        if not page.body.strip():
            raise DropDocument("empty-page", page.url)
        tree = trafilatura.load_html(_decoded(page))
        if tree is None:
            raise DropDocument("unparsable-html", f"{page.url}: no HTML document in the body")
        merge_body_chunks(tree, self.MIN_CHUNK_CHARS)
        text = _extract(tree, page.url, favor_precision=True)
        if len(text) < self.RETRY_BELOW_PAGE_SHARE * _page_text_length(tree):
            text = self._rescue(tree, page.url, text)
        if not text.strip():
            raise DropDocument("no-article-text", f"trafilatura found no article body in {page.url}")
        words = _prose_words(text)
        if words < self.MIN_WORDS:
            raise DropDocument("too-short", f"only {words} words of running text in {page.url}: "
                                            "not an article page (a menu, an error or a stub page)")
        return _Parsed(tree, text, json_ld_article(tree) or {})

    def _rescue(self, tree: lxml.html.HtmlElement, url: str, text: str) -> str:
        """The balanced pass's text if it is several times longer than the precise ``text``, else ``text``.

        The balanced pass (main extractor, recall escalation, readability and jusText compared) costs about six
        precise passes, and most short precise texts are right: a short article on a busy page. Readability
        alone, a tenth of that cost, says first whether the page holds a much longer body at all
        (``PROBE_RATIO`` times the precise text); only then does the balanced pass run. On the two public
        benchmarks (362 pages) this keeps every text the unprobed rescue gave, at a fifth of its cost.
        """
        if _readability_length(tree) < self.PROBE_RATIO * max(1, len(text)):
            return text
        retry = _extract(tree, url)
        return retry if len(retry) >= self.RETRY_ACCEPT_RATIO * max(1, len(text)) else text

    def title(self, parsed: _Parsed, page: FetchedPage) -> str:
        headline = parsed.article.get("headline")
        if isinstance(headline, str) and headline.strip():
            return _clean(html.unescape(headline))
        h1 = parsed.tree.find(".//h1")
        return _clean(meta_content(parsed.tree, "og:title", "twitter:title") or
                      (h1.text_content() if h1 is not None else "") or parsed.tree.findtext(".//title") or "")

    def text(self, parsed: _Parsed, page: FetchedPage) -> str:
        lines = [line for line in (line.strip() for line in parsed.text.splitlines()) if line]
        if len(lines) > 1 and _clean(lines[0]).casefold() in self._headlines(parsed, page):
            lines = lines[1:]
        return "\n\n".join(lines)

    def declared_language(self, parsed: _Parsed, page: FetchedPage) -> str | None:
        lang = parsed.tree.get("lang") or parsed.tree.get("xml:lang")
        if not lang:
            found = parsed.tree.xpath('//meta[@http-equiv="content-language"]/@content'
                                      ' | //meta[@property="og:locale"]/@content')
            lang = found[0] if found else None
        return lang.strip() if lang else None

    def published(self, parsed: _Parsed, page: FetchedPage) -> datetime | None:
        found = (_declared_date(parsed, self._PUBLISHED_XPATH, "datePublished")
                 or parse_date(meta_content(parsed.tree, *self._DATE_META)))
        if found is None:  # no declared date: htmldate's slower search, as trafilatura's metadata runs it
            found = parse_datetime(htmldate.find_date(parsed.tree, extensive_search=False, original_date=True,
                                                      url=page.url))
        return found

    def modified(self, parsed: _Parsed, page: FetchedPage) -> datetime | None:
        return _declared_date(parsed, self._MODIFIED_XPATH, "dateModified")

    def authors(self, parsed: _Parsed, page: FetchedPage) -> list[str]:
        names = json_ld_names(parsed.article["author"]) if parsed.article.get("author") else []
        if not names:
            declared = meta_contents(parsed.tree, "author") + meta_contents(parsed.tree, "article:author")
            names = list(dict.fromkeys(n for n in declared if "://" not in n))
        return [_clean(html.unescape(name)) for name in names]

    def translations(self, parsed: _Parsed, page: FetchedPage) -> dict[str, str]:
        alternates = hreflang_alternates(parsed.tree)
        return {lang: href for lang, href in alternates.items() if href != page.canonical_url}

    def _headlines(self, parsed: _Parsed, page: FetchedPage) -> set[str]:
        """The headline wherever the page shows it (og/twitter title, ``<title>``, ``<h1>``), case-folded."""
        found = [v if isinstance(v, str) else v.text_content() for v in _HEADLINES(parsed.tree)]
        return {_clean(v).casefold() for v in [*found, self.title(parsed, page)]} - {""}


def page_encoding(page: FetchedPage) -> str:
    """The charset from the Content-Type header, else UTF-8."""
    content_type = page.content_type or ""
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip('"').lower()
    return "utf-8"


def _decoded(page: FetchedPage) -> str | bytes:
    """The body in the charset the Content-Type names, else bytes (trafilatura tries UTF-8, then guesses)."""
    if "charset=" in (page.content_type or "").lower():
        try:
            return page.body.decode(page_encoding(page), errors="replace")
        except LookupError:
            pass
    return page.body


def merge_body_chunks(tree: lxml.html.HtmlElement, min_chars: int = 200) -> int:
    """Join an article body split over same-class containers in different parents; return how many moved.

    Chunked layouts put each stretch of the article in its own grid cell, with ads and rails between them.
    Containers that are siblings or nested are left alone, and so are those with less than ``min_chars`` of
    paragraph text (a list of teasers or a live blog's entries is not one body).
    """
    groups: dict[tuple[str, str], list] = {}
    for element in _CONTAINERS(tree):
        if _BODY_CLASS.search(element.get("class", "")):
            groups.setdefault((element.tag, element.get("class")), []).append(element)
    moved = 0
    for chunks in groups.values():
        chunks = [c for c in chunks if sum(len(t.strip()) for t in c.xpath(".//p//text()")) >= min_chars]
        if (len(chunks) < 2 or len({c.getparent() for c in chunks}) < len(chunks)
                or any(a in chunks for c in chunks for a in c.iterancestors())):
            continue
        for chunk in chunks[1:]:
            chunks[0].extend(list(chunk))
            chunk.getparent().remove(chunk)
            moved += 1
    return moved


def _extract(tree: lxml.html.HtmlElement, url: str, **options) -> str:
    """The article text of one trafilatura pass over (a copy of) ``tree``, NFC as ``extract()`` gives it."""
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_tables=True,
                                      deduplicate=False, **options)
    return unicodedata.normalize("NFC", doc.text or "") if doc is not None else ""


def _readability_length(tree: lxml.html.HtmlElement) -> int:
    """Characters (whitespace collapsed) of the body readability finds in (a copy of) ``tree``."""
    try:
        summary = Readability(copy(tree), min_text_length=25).summary()
        text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    except Exception:  # noqa: BLE001 - a probe that fails must not hide a body: let the full pass decide
        return sys.maxsize
    return len(" ".join(text.split()))


def _declared_date(parsed: _Parsed, xpaths: tuple[str, ...], ld_key: str) -> datetime | None:
    """The first ISO date found by ``xpaths``, else the date of the JSON-LD article's ``ld_key``."""
    for value in (value for xpath in xpaths for value in parsed.tree.xpath(xpath)):
        if found := parse_datetime(str(value)):
            return found
    value = parsed.article.get(ld_key)
    return parse_date(value) if isinstance(value, str) else None


def _page_text_length(tree: lxml.html.HtmlElement) -> int:
    """Characters of text in the page's body, scripts and styles left out, whitespace collapsed."""
    visible = deepcopy(tree)
    etree.strip_elements(visible, "script", "style", "noscript", with_tail=False)
    body = visible.find("body")
    return len(" ".join((body if body is not None else visible).text_content().split()))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))
