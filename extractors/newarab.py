"""The New Arab (newarab.com): Drupal; English news, analysis and opinion.

The body is the Drupal ``field--name-body``; inside it sit "Live Story" inserts, related-article embeds with
image captions and pull quotes (repeats of body sentences), and the italic author bio ending in "Follow him on
Twitter". The headline carries the genre as a prefix ("Analysis: …"), which goes to ``section``.
"""

from __future__ import annotations

import re
from datetime import datetime

from extractors.common.article_meta import meta_modified, meta_published
from extractors.common.base import ArticleExtractor
from extractors.common.css import compile_selector, pruned_copy, select, select_one
from extractors.common.dates import parse_date
from extractors.common.json_ld import json_ld_article, json_ld_names
from extractors.common.meta import document_language, meta_content
from extractors.common.text import clean_whitespace, text_of
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

__all__ = ["NewArabExtractor"]


class NewArabExtractor(ArticleExtractor):
    """New Arab articles; a page without a body (the 200 "Page not found" template) is dropped."""

    name = "newarab"

    CONTENT = compile_selector("article div.field--name-body")
    TITLE = compile_selector("article h1.page-title, h1.page-title")
    BYLINE = compile_selector("article .article-byline a")
    PUBLISHED_TIME = compile_selector("article .article-date time")
    BOILERPLATE = (
        compile_selector(".live-story, .paragraph--type--live-story"),  # "Live Story" inserts
        compile_selector(".embedded-entity, .related-article, figure, drupal-media"),  # embeds, captions
        compile_selector(".pull-quote, .ad-slot, .newsletter-inline"),
    )
    PARAGRAPHS = compile_selector("./p | ./div/p")
    GENRE = re.compile(
        r"^(Analysis|Comment|Opinion|Feature|Features|Explainer|Interview|In Depth|Long read|Review)\s*:\s*",
        re.IGNORECASE,
    )
    SITE_NAMES = ("The New Arab", "العربي الجديد")
    BIO_TAIL = re.compile(r"^Follow (him|her|them|us) on (Twitter|X|Instagram|Bluesky)\b", re.IGNORECASE)
    BOILERPLATE_LINES = (BIO_TAIL,)

    # -- body --------------------------------------------------------------------------------------------
    def text(self, tree, page: FetchedPage) -> str:
        body = select_one(tree, self.CONTENT)
        if body is None:
            raise DropDocument(
                "no-article-body", f"newarab page has no article body (not-found template?): {page.url}"
            )
        body = pruned_copy(body, self.BOILERPLATE)
        self._strip_bio_tail(body)
        return text_of(body)

    def prune(self, tree) -> None:
        """The boilerplate elements, and the author's bio at the end of the article (wherever the body is)."""
        super().prune(tree)
        for container in {p.getparent() for p in tree.iter("p") if self.BIO_TAIL.match(clean_whitespace(p.text_content()))}:
            self._strip_bio_tail(container)

    def _strip_bio_tail(self, body) -> None:
        """Remove the closing "Follow him on Twitter" line and the italic bio paragraphs just before it."""
        paragraphs = select(body, self.PARAGRAPHS)
        if not paragraphs or not self.BIO_TAIL.match(clean_whitespace(paragraphs[-1].text_content())):
            return
        paragraphs[-1].drop_tree()
        for para in reversed(paragraphs[:-1]):
            if not self._all_italic(para):
                break
            para.drop_tree()

    @staticmethod
    def _all_italic(para) -> bool:
        italic = "".join(el.text_content() for el in para.xpath("./em | ./i"))
        return bool(clean_whitespace(italic)) and clean_whitespace(italic) == clean_whitespace(
            para.text_content()
        )

    # -- metadata ----------------------------------------------------------------------------------------
    def _headline(self, tree) -> str:
        heading = select_one(tree, self.TITLE)
        if heading is not None:
            return clean_whitespace(heading.text_content())
        return self.clean_title(meta_content(tree, "og:title") or "")

    def title(self, tree, page: FetchedPage) -> str:
        return self.GENRE.sub("", self._headline(tree), count=1)

    def clean_title(self, title: str) -> str:
        """Without the site name and the genre label ("Analysis: …"), which :meth:`section` reports."""
        return self.GENRE.sub("", super().clean_title(title), count=1)

    def section(self, tree, page: FetchedPage) -> str | None:
        genre = self.GENRE.match(self._headline(tree))
        if genre:
            return genre.group(1).title()
        return meta_content(tree, "article:section")

    def declared_language(self, tree, page: FetchedPage) -> str | None:
        return document_language(tree)

    def published(self, tree, page: FetchedPage) -> datetime | None:
        time_el = select_one(tree, self.PUBLISHED_TIME)
        return meta_published(tree) or parse_date(time_el.get("datetime") if time_el is not None else None)

    def modified(self, tree, page: FetchedPage) -> datetime | None:
        return meta_modified(tree)

    def authors(self, tree, page: FetchedPage) -> list[str]:
        """Named authors from the byline ("The New Arab Staff & agencies" gives "The New Arab Staff")."""
        names = [clean_whitespace(a.text_content()) for a in select(tree, self.BYLINE)]
        names = [n for n in dict.fromkeys(names) if n]
        return names or json_ld_names((json_ld_article(tree) or {}).get("author", []))
