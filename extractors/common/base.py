"""What every site extractor is: one class turning a fetched page into an :class:`~newsmon.models.Article`.

A site extractor subclasses :class:`ArticleExtractor`, sets ``name`` (the value sources use in their
``extractor:`` field) and overrides the field methods it knows better than the generic extractor. Helpers for
meta tags, JSON-LD, dates, text and selectors live in :mod:`extractors.common.meta`, :mod:`extractors.common.json_ld`,
:mod:`extractors.common.dates`, :mod:`extractors.common.text` and :mod:`extractors.common.css`; PDF layout in :mod:`extractors.common.pdf_text`.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import lxml.html

from newsmon.errors import DropDocument
from newsmon.models import Article, FetchedPage

__all__ = ["ArticleExtractor"]


class ArticleExtractor:
    """Base class: parse once, then one short method per output field."""

    #: The name sources use in ``extractor:``.
    name: ClassVar[str] = ""
    #: For an older version of a site's extractor: the first fetch day its successor (same ``name``) reads.
    valid_until: ClassVar[date | None] = None

    def extract(self, page: FetchedPage) -> Article:
        """Return the article in ``page``; raise :class:`DropDocument` when there is none."""
        tree = self.parse(page)
        article = Article(
            url=page.url,
            canonical_url=page.canonical_url,
            source=page.source,
            title=self.title(tree, page) or page.hints.get("title", ""),
            text=self.text(tree, page),
            declared_lang=self.declared_language(tree, page) or page.hints.get("language") or None,
            published=self.published(tree, page),
            modified=self.modified(tree, page),
            authors=self.authors(tree, page),
            section=self.section(tree, page),
            translations=self.translations(tree, page),
            paywalled=self.paywalled(tree, page),
            footnotes=self.footnotes(tree, page),
            fetched_at=page.fetched_at,
            extractor=self.name,
        )
        if not article.text.strip():
            raise DropDocument("empty-text", f"{self.name} found no article text in {page.url}")
        return article

    # -- parsing --------------------------------------------------------------------------------------
    def parse(self, page: FetchedPage):
        """Parse the page body; the result is passed to every field method."""
        if not page.body.strip():
            raise DropDocument("empty-page", page.url)
        try:
            return lxml.html.document_fromstring(page.body)
        except (ValueError, lxml.etree.ParserError) as exc:
            raise DropDocument("unparsable-html", f"{page.url}: {exc}") from None

    # -- fields (override what the site does differently) ---------------------------------------------
    def title(self, tree, page: FetchedPage) -> str:
        raise NotImplementedError

    def text(self, tree, page: FetchedPage) -> str:
        raise NotImplementedError

    def declared_language(self, tree, page: FetchedPage) -> str | None:
        return None

    def published(self, tree, page: FetchedPage):
        return None

    def modified(self, tree, page: FetchedPage):
        return None

    def authors(self, tree, page: FetchedPage) -> list[str]:
        return []

    def section(self, tree, page: FetchedPage) -> str | None:
        return None

    def translations(self, tree, page: FetchedPage) -> dict[str, str]:
        return {}

    def paywalled(self, tree, page: FetchedPage) -> bool:
        return False

    def footnotes(self, tree, page: FetchedPage) -> list[str]:
        return []
