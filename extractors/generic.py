"""The fallback for any page without a site extractor: trafilatura, tuned for precision, with a rescue pass.

Repairs around trafilatura, measured by ``benchmarks/extraction.py``: a body split over same-class containers
is joined first; a balanced pass rescues a precise text that covers little of the page; a first line repeating
the headline, a paragraph repeating an earlier one (a summary shown again as the first paragraph) and "read also"
boxes (their labels in every language of :mod:`newsmon.languages`) are dropped. Title, authors and dates come
from JSON-LD and meta tags (htmldate if none is given); the site's name goes from the title.

The generic extractor also stands in for a site extractor whose selectors missed (a changed CMS theme): built with
``site=`` that extractor, it prunes the site's boilerplate elements from the page first, drops its boilerplate
paragraphs, keeps its footnotes apart and cleans titles its way (:class:`~extractors.common.base.ArticleExtractor`).
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from copy import copy, deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import htmldate
import lxml.html
import trafilatura
from lxml import etree
from trafilatura.readability_lxml import Document as Readability

from extractors.common.base import ArticleExtractor
from extractors.common.dates import parse_date
from extractors.common.json_ld import json_ld_article, json_ld_names
from extractors.common.meta import hreflang_alternates, meta_content, meta_contents
from extractors.common.text import site_name_of_host, strip_site_name
from newsmon.errors import DropDocument
from newsmon.languages import PROFILES
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
#: A "read also" label at the start of a paragraph, in any language newsmon reads; the rest is the linked headline.
_RELATED = re.compile(
    r"^(?:" + "|".join(sorted((re.escape(label) for p in PROFILES for label in p.related_labels), key=len, reverse=True))
    + r")(?=$|[\s:：»›>|–—-])[\s:：»›>|–—-]*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
#: The headline may come again among the first lines of the extracted text (with the site's name, after a kicker).
_HEADLINE_LINES = 3
#: A photo credit or caption label at the start of a short line ("Photo: AFP"), in any language newsmon reads.
_CREDIT = re.compile(r"^(?:" + "|".join(re.escape(label) for p in PROFILES for label in p.credit_labels) + r")\s*[:：]",
                     re.IGNORECASE)
_CREDIT_WORDS = 10
#: A linked headline is short and does not end like a sentence.
_HEADLINE_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?؟…。]['\"»”’)]*$")
#: A paragraph this long that repeats one of the two before it is a repeat (a summary shown again as the first
#: paragraph), not a refrain.
_REPEAT_MIN_CHARS = 40
_SITE_NAME_PARTS = re.compile(r"\s*[|¦]\s*|\s+[-–—:·•»]{1,2}\s+")


@dataclass(slots=True)
class _Parsed:
    tree: lxml.html.HtmlElement
    text: str
    article: dict  # the page's JSON-LD article object, or {}
    paragraphs: tuple[list[str], list[str]] | None = None  # (text, footnotes), once computed


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

    def __init__(self, site: ArticleExtractor | None = None):
        #: The site extractor this one stands in for (its selectors missed), whose boilerplate rules apply.
        self.site = site
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
        if self.site is not None:
            self.site.prune(tree)
        prune_captions_and_teaser_lists(tree)
        merge_body_chunks(tree, self.MIN_CHUNK_CHARS)
        joiners = _protect_joiners(tree)
        text = _extract(tree, page.url, favor_precision=True)
        if len(text) < self.RETRY_BELOW_PAGE_SHARE * _page_text_length(tree):
            text = self._rescue(tree, page.url, text)
        if joiners:
            text = text.translate(_RESTORE_JOINERS)
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
            title = _clean(html.unescape(headline))
        else:
            h1 = parsed.tree.find(".//h1")
            title = _clean(meta_content(parsed.tree, "og:title", "twitter:title") or
                           (h1.text_content() if h1 is not None else "") or parsed.tree.findtext(".//title") or "")
        title = strip_site_name(title, self._site_names(parsed, page))
        return self.site.clean_title(title) if self.site is not None else title

    def _site_names(self, parsed: _Parsed, page: FetchedPage) -> list[str]:
        """What the site calls itself: ``og:site_name`` (and its parts), ``application-name``, the JSON-LD
        publisher, its domain name, and the stood-in site extractor's ``SITE_NAMES``."""
        names = [meta_content(parsed.tree, "og:site_name", "application-name") or ""]
        publisher = parsed.article.get("publisher")
        names += json_ld_names(publisher) if publisher else []
        names += [part for name in names for part in _SITE_NAME_PARTS.split(name)]
        names.append(site_name_of_host(urlsplit(page.canonical_url or page.url).hostname or ""))
        return names + list(self.site.SITE_NAMES if self.site is not None else ())

    def text(self, parsed: _Parsed, page: FetchedPage) -> str:
        return "\n\n".join(self._paragraphs(parsed, page)[0])

    def footnotes(self, parsed: _Parsed, page: FetchedPage) -> list[str]:
        return self._paragraphs(parsed, page)[1]

    def _paragraphs(self, parsed: _Parsed, page: FetchedPage) -> tuple[list[str], list[str]]:
        """The article's paragraphs and its footnotes: without a first line repeating the headline, "read also"
        boxes, repeated paragraphs and (standing in for a site) the site's boilerplate paragraphs."""
        if parsed.paragraphs is None:
            parsed.paragraphs = self._split_paragraphs(parsed, page)
        return parsed.paragraphs

    def _split_paragraphs(self, parsed: _Parsed, page: FetchedPage) -> tuple[list[str], list[str]]:
        lines = [line for line in (line.strip() for line in parsed.text.splitlines()) if line]
        headlines = self._headlines(parsed, page)
        names = self._site_names(parsed, page)
        lead = [line for line in lines[:_HEADLINE_LINES]
                if _clean(line).casefold() in headlines or strip_site_name(line, names).casefold() in headlines]
        if len(lines) > len(lead):
            lines = [line for line in lines if line not in lead]
        kept, footnotes, recent = [], [], []
        authors = [name.casefold() for name in self.authors(parsed, page) if len(name) > 3]
        skip_headline = False
        for line in lines:
            if skip_headline and _is_linked_headline(line):
                skip_headline = False
                continue
            skip_headline = False
            related = _RELATED.match(line)
            if related and (not related.group("rest") or _is_linked_headline(related.group("rest"))):
                skip_headline = not related.group("rest")  # a label alone: its headline is the next line
                continue
            if self.site is not None and self.site.is_boilerplate_line(line):
                continue
            if _is_byline(line, authors) or _is_dateline(line) or _is_credit(line):
                continue
            if self.site is not None and self.site.is_footnote(line):
                footnotes.append(line)
                continue
            key = _clean(line).casefold()
            if len(key) >= _REPEAT_MIN_CHARS and key in recent:
                continue
            recent = [*recent[-1:], key]
            kept.append(line)
        return kept, footnotes

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


#: trafilatura drops characters that are not printable, among them the zero-width non-joiner and joiner that
#: Persian words are spelled with (اقامتگاه‌های would become اقامتگاههای): they pass through as two printable
#: characters that news text does not use, and come back afterwards.
_JOINERS = {"\u200c": "\u2e4e", "\u200d": "\u2e4f"}
_PROTECT_JOINERS = str.maketrans(_JOINERS)
_RESTORE_JOINERS = str.maketrans({v: k for k, v in _JOINERS.items()})


def _protect_joiners(tree: lxml.html.HtmlElement) -> bool:
    """Replace zero-width (non-)joiners in the tree's text by their stand-ins; whether there were any."""
    found = False
    for element in tree.iter():
        for attribute in ("text", "tail"):
            value = getattr(element, attribute)
            if value and ("\u200c" in value or "\u200d" in value):
                setattr(element, attribute, value.translate(_PROTECT_JOINERS))
                found = True
    return found


#: A list whose every item is mostly link text is a list of teasers or promos, not article text.
_TEASER_LINK_SHARE = 0.7


def prune_captions_and_teaser_lists(tree: lxml.html.HtmlElement) -> int:
    """Remove lists of teaser links ("more on this", "most read") and figure captions from ``tree``; return how
    many went. (Social-media embeds stay: the public benchmark counts an embedded post as article text.)"""
    removed = 0
    for element in list(tree.iter("figcaption")):
        if element.getparent() is not None:
            element.drop_tree()
            removed += 1
    for element in list(tree.iter("ul", "ol")):
        items = [child for child in element if child.tag == "li"]
        if len(items) >= 2 and all(_link_share(item) >= _TEASER_LINK_SHARE for item in items):
            element.drop_tree()
            removed += 1
    return removed


def _link_share(element) -> float:
    text = " ".join(element.text_content().split())
    if not text:
        return 0.0
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return linked / len(text)


#: Dates and clock times as a dateline prints them (22.04.2024, 2024-04-22, 06:00, 2025年1月14日).
_DATE_PARTS = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}:\d{2}(?::\d{2})?|\d{2,4}年|\d{1,2}[月日時分]|\d+")
_DATELINE_WORDS = 3


def _is_dateline(line: str) -> bool:
    """A line that is a date and time with at most a few words around them ("Stand: 22.04.2024, 06:00 Uhr")."""
    if not _DATE_PARTS.search(line) or _SENTENCE_END.search(line.strip()) and len(_WORDS.findall(line)) > 4:
        return False
    rest = _DATE_PARTS.sub(" ", line)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= _DATELINE_WORDS and bool(re.search(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d+年|\d{1,2}:\d{2}", line))


def _is_credit(line: str) -> bool:
    return bool(_CREDIT.match(line)) and len(_WORDS.findall(line)) <= _CREDIT_WORDS


def _is_byline(line: str, authors: list[str]) -> bool:
    """A short line naming one of the article's authors and little else ("By Ana Ruiz", "Von Nina Magoley")."""
    if not authors or len(_WORDS.findall(line)) > 8:
        return False
    folded = line.casefold()
    for name in authors:
        if name in folded:
            return len(_WORDS.findall(folded.replace(name, " "))) <= 2
    return False


def _is_linked_headline(line: str) -> bool:
    return len(_WORDS.findall(line)) <= _HEADLINE_WORDS and not _SENTENCE_END.search(line.strip())


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
