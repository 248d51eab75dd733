"""ANKASAM (ankasam.org): WordPress with WPML; English, Turkish and Russian translations of one article.

The article body is ``div.entry-content``, which also holds the share bar ("Paylaş") and the WPML switcher
("This post is also available in: …"). Footnotes (``[1] … (Date of Accession: …)``) are the last paragraphs of
the body; the Turkish author biography and "Similar Posts" follow the body and are not part of it.
"""

from __future__ import annotations

import re
from datetime import datetime

from extractors.common.article_meta import byline_authors, meta_modified, meta_published
from extractors.common.base import ArticleExtractor
from extractors.common.css import compile_selector, select, select_one
from extractors.common.dates import parse_date
from extractors.common.meta import canonical_link, document_language, hreflang_alternates, meta_content
from extractors.common.text import clean_whitespace, text_of
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = ["AnkasamExtractor"]


class AnkasamExtractor(ArticleExtractor):
    """ANKASAM articles in any of their three languages."""

    name = "ankasam"

    CONTENT = compile_selector("article div.entry-content, div.entry-content")
    TITLE = compile_selector("h1.entry-title")
    BYLINE = compile_selector(".entry-meta .byline a, .author-box .author-title")
    CATEGORY = compile_selector(".entry-meta .cat-links a")
    PUBLISHED_TIME = compile_selector("time.entry-date.published")
    WPML_LINKS = compile_selector("p.wpml-ls-statics-post_translations a.wpml-ls-link")
    BOILERPLATE = (
        compile_selector(".heateor_sss_sharing_container, .sharedaddy, .social-share"),  # "Paylaş" share bar
        compile_selector(".wpml-ls"),  # "This post is also available in: …"
        compile_selector(".author-box, .related-posts, .jp-relatedposts"),  # bio, "Similar Posts"
    )
    FOOTNOTE_LINES = (re.compile(r"^\[\d+\]\s*\S"),)
    SITE_NAMES = ("ANKASAM", "Ankara Kriz ve Siyaset Araştırmaları Merkezi", "Ankara Center for Crisis and Policy Studies",
                  "Анкарский центр исследований кризисов и политики")
    WPML_ITEM_LANG = re.compile(r"\bwpml-ls-item-([a-z]{2}(?:-[a-z]+)?)\b")

    # -- body --------------------------------------------------------------------------------------------
    def _paragraphs(self, tree, page: FetchedPage) -> list[str]:
        content = select_one(tree, self.CONTENT)
        if content is None:
            raise DropDocument("no-article-body", f"ankasam page without div.entry-content: {page.url}")
        return [p for p in text_of(content, skip=self.BOILERPLATE).split("\n\n") if p]

    def text(self, tree, page: FetchedPage) -> str:
        return "\n\n".join(p for p in self._paragraphs(tree, page) if not self.is_footnote(p))

    def footnotes(self, tree, page: FetchedPage) -> list[str]:
        return [p for p in self._paragraphs(tree, page) if self.is_footnote(p)]

    # -- metadata ----------------------------------------------------------------------------------------
    def title(self, tree, page: FetchedPage) -> str:
        heading = select_one(tree, self.TITLE)
        if heading is not None:
            return clean_whitespace(heading.text_content())
        return self.clean_title(meta_content(tree, "og:title") or "")

    def declared_language(self, tree, page: FetchedPage) -> str | None:
        return document_language(tree)

    def published(self, tree, page: FetchedPage) -> datetime | None:
        time_el = select_one(tree, self.PUBLISHED_TIME)
        return meta_published(tree) or parse_date(time_el.get("datetime") if time_el is not None else None)

    def modified(self, tree, page: FetchedPage) -> datetime | None:
        return meta_modified(tree)

    def authors(self, tree, page: FetchedPage) -> list[str]:
        return byline_authors(tree, self.BYLINE)

    def section(self, tree, page: FetchedPage) -> str | None:
        category = select_one(tree, self.CATEGORY)
        if category is not None:
            return clean_whitespace(category.text_content()) or None
        return meta_content(tree, "article:section")

    def translations(self, tree, page: FetchedPage) -> dict[str, str]:
        """Other-language versions: hreflang alternates first (canonical URLs), then WPML switcher links."""
        found = dict(hreflang_alternates(tree))
        for link in select(tree, self.WPML_LINKS):
            lang = link.xpath("string(.//*[@lang]/@lang)") or self._wpml_item_lang(link)
            if lang and link.get("href"):
                found.setdefault(lang.lower().split("-", 1)[0], link.get("href").strip())
        own_url = canonical_link(tree) or page.canonical_url
        own_lang = self.declared_language(tree, page)
        return {lang: url for lang, url in found.items() if lang != own_lang and url != own_url}

    def _wpml_item_lang(self, link) -> str:
        parent = link.getparent()
        match = self.WPML_ITEM_LANG.search(parent.get("class", "")) if parent is not None else None
        return match.group(1) if match else ""
