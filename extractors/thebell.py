"""The Bell: the English edition on Ghost (en.thebell.io) and the Russian edition on WordPress (thebell.io).

The page shape decides: Ghost pages have ``section.gh-content`` (donation and newsletter cards inside it, and
for paid posts the "This post is for paying subscribers only" upgrade box after a truncated preview); the
Russian pages have ``div.post__content`` with an inline donation box and the foreign-agent footnote
("* признаны в РФ иноагентами") as the last paragraph.
"""

from __future__ import annotations

import re
from datetime import datetime

from extractors.common.article_meta import byline_authors, meta_modified, meta_published
from extractors.common.base import ArticleExtractor
from extractors.common.css import compile_selector, select, select_one
from extractors.common.json_ld import json_ld_article
from extractors.common.meta import document_language, hreflang_alternates, meta_content
from extractors.common.text import clean_whitespace, text_of
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = ["TheBellExtractor"]


class TheBellExtractor(ArticleExtractor):
    """Both editions of The Bell, told apart by page shape."""

    name = "thebell"

    GHOST_CONTENT = compile_selector("article section.gh-content, section.gh-content")
    WP_CONTENT = compile_selector("article div.post__content, div.post__content")
    TITLE = compile_selector("h1.article-title, h1.post__title")
    BYLINE = compile_selector(".article-byline .author-name a, .post__meta .post__author a")
    BOILERPLATE = (
        compile_selector(".kg-cta-card, .kg-button-card, .kg-product-card"),  # "Support The Bell!"
        compile_selector(".kg-signup-card, .subscribe-block"),  # "The Bell's Newsletter" + blurb
        compile_selector(".gh-post-upgrade-cta, .donate-inline"),  # paywall box, "Поддержите The Bell"
        compile_selector("figure"),
    )
    PAYWALL = compile_selector(".gh-post-upgrade-cta, article.post-access-paid, article.post-access-tiers")
    ACCESS_LABEL = compile_selector(".article-access-label")
    FOOTNOTE_LINES = (re.compile(r"^\*+\s*\S"),)  # "* признаны в РФ иноагентами"
    SITE_NAMES = ("The Bell",)

    # -- body --------------------------------------------------------------------------------------------
    def _paragraphs(self, tree, page: FetchedPage) -> list[str]:
        content = select_one(tree, self.GHOST_CONTENT)
        if content is None:
            content = select_one(tree, self.WP_CONTENT)
        if content is None:
            raise DropDocument(
                "no-article-body", f"thebell page is neither Ghost nor WordPress article: {page.url}"
            )
        return [p for p in text_of(content, skip=self.BOILERPLATE).split("\n\n") if p]

    def text(self, tree, page: FetchedPage) -> str:
        return "\n\n".join(p for p in self._paragraphs(tree, page) if not self.is_footnote(p))

    def footnotes(self, tree, page: FetchedPage) -> list[str]:
        return [p for p in self._paragraphs(tree, page) if self.is_footnote(p)]

    def paywalled(self, tree, page: FetchedPage) -> bool:
        """True for a Ghost post truncated for anonymous readers (upgrade box or a "Paid …" access label)."""
        if select_one(tree, self.PAYWALL) is not None:
            return True
        return any("paid" in el.text_content().lower() for el in select(tree, self.ACCESS_LABEL))

    # -- metadata ----------------------------------------------------------------------------------------
    def title(self, tree, page: FetchedPage) -> str:
        heading = select_one(tree, self.TITLE)
        if heading is not None:
            return clean_whitespace(heading.text_content())
        return self.clean_title((json_ld_article(tree) or {}).get("headline") or meta_content(tree, "og:title") or "")

    def declared_language(self, tree, page: FetchedPage) -> str | None:
        return document_language(tree)

    def published(self, tree, page: FetchedPage) -> datetime | None:
        return meta_published(tree)

    def modified(self, tree, page: FetchedPage) -> datetime | None:
        return meta_modified(tree)

    def authors(self, tree, page: FetchedPage) -> list[str]:
        return byline_authors(tree, self.BYLINE)

    def section(self, tree, page: FetchedPage) -> str | None:
        """The WordPress rubric (``article:section``) or Ghost's primary tag (first ``article:tag``)."""
        return meta_content(tree, "article:section", "article:tag")

    def translations(self, tree, page: FetchedPage) -> dict[str, str]:
        own = self.declared_language(tree, page)
        return {lang: url for lang, url in hreflang_alternates(tree).items() if lang != own}
