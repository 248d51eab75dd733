"""What every site extractor is: one class turning a fetched page into an :class:`~newsmon.models.Article`.

A site extractor subclasses :class:`ArticleExtractor`, sets ``name`` (the value sources use in their
``extractor:`` field) and overrides the field methods it knows better than the generic extractor. Helpers for
meta tags, JSON-LD, dates, text and selectors live in :mod:`extractors.common.meta`, :mod:`extractors.common.json_ld`,
:mod:`extractors.common.dates`, :mod:`extractors.common.text` and :mod:`extractors.common.css`; PDF layout in :mod:`extractors.common.pdf_text`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

import lxml.html

from extractors.common.text import strip_site_name
from newsmon.errors import DropDocument
from newsmon.models import Article, FetchedPage

__all__ = ["ArticleExtractor"]


class ArticleExtractor:
    """Base class: parse once, then one short method per output field."""

    #: The name sources use in ``extractor:``.
    name: ClassVar[str] = ""
    #: For an older version of a site's extractor: the first fetch day its successor (same ``name``) reads.
    valid_until: ClassVar[date | None] = None

    # The site's boilerplate, as data: the site's own body reader skips it, and so does the generic extractor
    # when it stands in for the site (its body selectors missed: a changed CMS theme), see :meth:`prune`.
    #: Selectors of elements that are never article text on the site, wherever they sit: callout and
    #: subscription cards, "read also" boxes, share bars, captions.
    BOILERPLATE: ClassVar[tuple] = ()
    #: Whole paragraphs that are boilerplate whatever their markup (a "Follow him on X" bio line).
    BOILERPLATE_LINES: ClassVar[tuple[re.Pattern, ...]] = ()
    #: Whole paragraphs that are footnotes, kept apart from the text (``[1] …``, the foreign-agent asterisk).
    FOOTNOTE_LINES: ClassVar[tuple[re.Pattern, ...]] = ()
    #: The site's names as a page title appends them ("Headline | The New Arab").
    SITE_NAMES: ClassVar[tuple[str, ...]] = ()

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

    # -- the site's boilerplate rules (also applied by the generic extractor standing in for the site) -----
    def prune(self, tree) -> None:
        """Remove the site's boilerplate elements from ``tree`` (a whole page) in place."""
        for selector in self.BOILERPLATE:
            for element in list(selector(tree)):
                if element.getparent() is not None:
                    element.drop_tree()

    def is_boilerplate_line(self, paragraph: str) -> bool:
        return any(pattern.search(paragraph) for pattern in self.BOILERPLATE_LINES)

    def is_footnote(self, paragraph: str) -> bool:
        return any(pattern.search(paragraph) for pattern in self.FOOTNOTE_LINES)

    def clean_title(self, title: str) -> str:
        """``title`` without the site's name appended or prepended ("Headline | Site", "Site - Headline")."""
        return strip_site_name(title, self.SITE_NAMES)

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
