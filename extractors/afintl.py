"""Afghanistan International (afintl.com): a Next.js site whose article lives in the ``__NEXT_DATA__`` JSON.

The server-rendered HTML is a thin shell (header, "most read", footer, cookie banner) with an empty body
that the browser fills from ``props.pageProps.article``: title, summary, body (an HTML string or a list of
typed blocks), authors, ISO ``publishedAt``/``updatedAt``, language and canonical URL. Pages rendered without
the JSON (the same article served under a bare IP, older caches) carry the body in the HTML instead, which
is the fallback. Persian text keeps its zero-width non-joiners (U+200C) untouched.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from urllib.parse import urlsplit

import lxml.html

from extractors.common.base import ArticleExtractor
from extractors.common.css import compile_selector, select_one
from extractors.common.dates import parse_date
from extractors.common.meta import canonical_link, hreflang_alternates, meta_content
from extractors.common.solar_hijri import normalize_digits, parse_solar_hijri_date
from extractors.common.text import clean_whitespace, text_of
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = ["AfIntlExtractor"]

#: Afghanistan Time (UTC+04:30), the zone of the dates printed on the Persian pages.
KABUL_TZ = timezone(timedelta(hours=4, minutes=30), "AFT")


@dataclass(slots=True)
class _AfIntlPage:
    tree: lxml.html.HtmlElement
    #: ``props.pageProps.article`` of ``__NEXT_DATA__``, or ``{}`` when the page has none.
    article: dict


class AfIntlExtractor(ArticleExtractor):
    """Afghanistan International, Persian (``/<id>``) and English (``/en/<id>``) editions."""

    name = "afintl"

    NEXT_DATA = compile_selector('//script[@id="__NEXT_DATA__"]')
    HEADLINE = compile_selector("article h1, h1")
    SUMMARY = compile_selector("article [class*=summary]")
    BODY = compile_selector("article .article-body")
    AUTHOR = compile_selector("article [class*=author]")
    DATE = compile_selector("article time")
    SECTION = compile_selector("article [class*=breadcrumb] a")
    #: Inside the body: "read more" boxes, images with captions, ad slots, embeds.
    BOILERPLATE = (
        compile_selector("[class*=related]"),
        compile_selector("figure"),
        compile_selector("[class*=advert], [class*=ad-slot], [data-ad]"),
        compile_selector("[class*=embed], iframe"),
    )
    #: Block types of the JSON body that carry article text.
    TEXT_BLOCKS = frozenset({"paragraph", "heading", "quote", "list"})
    SITE_NAMES = ("افغانستان اینترنشنال", "Afghanistan International")
    #: A "read more" box that lost its class: its label line.
    BOILERPLATE_LINES = (re.compile(r"^\s*(?:بیشتر بخوانید|Read more|Read also)\s*:?\s*$", re.IGNORECASE),)
    AUTHOR_PREFIX = re.compile(r"^\s*(?:نویسنده|گزارشگر|By)\s*[:：]?\s*", re.IGNORECASE)
    AUTHOR_SEPARATORS = re.compile(r"\s*(?:،|,|\band\b|\s و\s)\s*")
    CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?!\d)")

    # -- parsing --------------------------------------------------------------------------------------
    def extract(self, page: FetchedPage):
        """As the base class; a page fetched from a bare IP or mirror takes the canonical link it declares."""
        if not _is_afintl(page.canonical_url):
            declared = self.canonical(self.parse(page), page)
            if declared and _is_afintl(declared):
                page = dataclasses.replace(page, canonical_url=declared)
        return super().extract(page)

    def parse(self, page: FetchedPage) -> _AfIntlPage:
        tree = super().parse(page)
        return _AfIntlPage(tree, self._next_article(tree))

    def _next_article(self, tree) -> dict:
        script = next(iter(self.NEXT_DATA(tree)), None)
        if script is None or not (script.text or "").strip():
            return {}
        try:
            data = json.loads(script.text)
        except ValueError:
            return {}
        article = ((data.get("props") or {}).get("pageProps") or {}).get("article")
        return article if isinstance(article, dict) else {}

    # -- fields ---------------------------------------------------------------------------------------
    def title(self, parsed: _AfIntlPage, page: FetchedPage) -> str:
        title = parsed.article.get("title")
        if not title:
            h1 = select_one(parsed.tree, self.HEADLINE)
            title = h1.text_content() if h1 is not None else meta_content(parsed.tree, "og:title")
        return self.clean_title(title or "")

    def text(self, parsed: _AfIntlPage, page: FetchedPage) -> str:
        if parsed.article:
            summary = clean_whitespace(parsed.article.get("summary"))
            paragraphs = self._body_paragraphs(parsed.article.get("body"))
        else:
            summary_el = select_one(parsed.tree, self.SUMMARY)
            summary = clean_whitespace(summary_el.text_content()) if summary_el is not None else ""
            body_element = select_one(parsed.tree, self.BODY)
            if body_element is None:
                raise DropDocument("no-article-body", f"afintl page with neither __NEXT_DATA__ nor .article-body: "
                                                      f"{page.url}")
            body = text_of(body_element, skip=self.BOILERPLATE)
            paragraphs = [p for p in body.split("\n\n") if p]
        if summary and (not paragraphs or paragraphs[0] != summary):
            paragraphs.insert(0, summary)
        return "\n\n".join(paragraphs)

    def _body_paragraphs(self, body) -> list[str]:
        if isinstance(body, str):
            if not body.strip():
                return []
            fragment = lxml.html.fragment_fromstring(body, create_parent="div")
            return [p for p in text_of(fragment, skip=self.BOILERPLATE).split("\n\n") if p]
        paragraphs = []
        for block in body or []:
            if not isinstance(block, dict) or block.get("type") not in self.TEXT_BLOCKS:
                continue
            if block.get("type") == "list":
                items = [clean_whitespace(_inline_text(i)) for i in block.get("items") or []]
                text = "\n".join(i for i in items if i)
            else:
                text = clean_whitespace(_inline_text(block.get("html") or block.get("text")))
            if text:
                paragraphs.append(text)
        return paragraphs

    def declared_language(self, parsed: _AfIntlPage, page: FetchedPage) -> str | None:
        lang = parsed.article.get("language") or parsed.tree.get("lang")
        return lang.strip().lower().split("-")[0] if lang else None

    def published(self, parsed: _AfIntlPage, page: FetchedPage) -> datetime | None:
        return (
            parse_date(parsed.article.get("publishedAt"))
            or parse_date(meta_content(parsed.tree, "article:published_time"))
            or self._visible_date(parsed)
        )

    def modified(self, parsed: _AfIntlPage, page: FetchedPage) -> datetime | None:
        return parse_date(parsed.article.get("updatedAt")) or parse_date(
            meta_content(parsed.tree, "article:modified_time")
        )

    def _visible_date(self, parsed: _AfIntlPage) -> datetime | None:
        """The date printed on the page: ``<time datetime>``, else the solar Hijri text (Kabul time)."""
        element = select_one(parsed.tree, self.DATE)
        if element is None:
            return None
        found = parse_date(element.get("datetime"))
        if found:
            return found
        printed = clean_whitespace(element.text_content())
        day = parse_solar_hijri_date(printed)
        if day is None:
            return parse_date(printed, default_tz=KABUL_TZ)
        clock = self.CLOCK.search(normalize_digits(printed))
        at = time(int(clock.group(1)), int(clock.group(2))) if clock else time(0, 0)
        return datetime.combine(day, at, tzinfo=KABUL_TZ)

    def authors(self, parsed: _AfIntlPage, page: FetchedPage) -> list[str]:
        raw = parsed.article.get("authors") or parsed.article.get("author")
        if raw:
            items = raw if isinstance(raw, list) else [raw]
            names = [i.get("name", "") if isinstance(i, dict) else str(i) for i in items]
        else:
            element = select_one(parsed.tree, self.AUTHOR)
            byline = self.AUTHOR_PREFIX.sub("", element.text_content()) if element is not None else ""
            names = self.AUTHOR_SEPARATORS.split(byline) if byline else []
        return [clean_whitespace(n) for n in names if clean_whitespace(n)]

    def section(self, parsed: _AfIntlPage, page: FetchedPage) -> str | None:
        category = parsed.article.get("category")
        if isinstance(category, dict) and category.get("title"):
            return clean_whitespace(category["title"])
        found = meta_content(parsed.tree, "article:section")
        if found:
            return found
        crumb = select_one(parsed.tree, self.SECTION)
        if crumb is None:
            return None
        return clean_whitespace(crumb.text_content()) or None

    def translations(self, parsed: _AfIntlPage, page: FetchedPage) -> dict[str, str]:
        own = self.canonical(parsed, page)
        return {lang: url for lang, url in hreflang_alternates(parsed.tree).items() if url != own}

    def canonical(self, parsed: _AfIntlPage, page: FetchedPage) -> str | None:
        """The real URL the page declares for itself (JSON ``canonical``, ``rel=canonical``, ``og:url``)."""
        return (
            parsed.article.get("canonical")
            or canonical_link(parsed.tree)
            or meta_content(parsed.tree, "og:url")
        )


def _inline_text(value) -> str:
    """Text of a block's inline content, which may carry tags such as ``<strong>`` or ``<a>``."""
    if not value:
        return ""
    value = str(value)
    if "<" not in value:
        return value
    return lxml.html.fragment_fromstring(value, create_parent="span").text_content()


def _is_afintl(url: str | None) -> bool:
    host = (urlsplit(url or "").hostname or "").lower()
    return host == "afintl.com" or host.endswith(".afintl.com")
