"""Processing one fetched page: extract → language → match, each a small stage with one hook.

``ExtractionStage.process(page) -> Article``, then ``process(article) -> Article`` for the language and matching
stages. A stage that finds bad content raises :class:`~newsmon.errors.DropDocument`, which the caller counts by
reason. The same stages run in ``news_process`` (:func:`newsmon.pipeline.process_batch`) and behind
``newsmon analyze`` (:mod:`newsmon.analyze`). Heavy libraries (trafilatura, lingua, spaCy) load on first use.
"""

from __future__ import annotations

from pathlib import Path

from newsmon.models import Article, FetchedPage
from newsmon.settings import Settings
from newsmon.sources import SourceRegistry

__all__ = ["ArticleProcessor", "ExtractionStage", "LanguageStage", "MatchingStage"]


class ExtractionStage:
    """Page → Article with the source's extractor (generic trafilatura as the fallback)."""

    def __init__(self, registry: SourceRegistry | None):
        self.registry = registry

    def process(self, page: FetchedPage) -> Article:
        from newsmon.extraction import extract_article

        name = "generic"
        if self.registry is not None and page.source in self.registry.names():
            name = self.registry.get(page.source).extractor
        return extract_article(page, name, page.fetched_at.date() if page.fetched_at else None)


class LanguageStage:
    """Sets ``lang`` from the page's declared language, the script and the text."""

    def process(self, article: Article) -> Article:
        from newsmon.language import detect_language

        guess = detect_language(f"{article.title}\n\n{article.text}", article.declared_lang)
        article.lang, article.lang_confidence = guess.lang, guess.confidence
        return article


class MatchingStage:
    """Adds the watchlist's actor and theme mentions found in the text."""

    def __init__(self, watchlist_file: Path):
        self.watchlist_file = watchlist_file

    @property
    def matcher(self):
        from newsmon.matching import shared_matcher

        return shared_matcher(self.watchlist_file)

    def process(self, article: Article) -> Article:
        article.mentions = self.matcher.match(article.text, article.lang)
        return article


class ArticleProcessor:
    """Runs page → article through extraction, language and matching."""

    def __init__(self, settings: Settings, registry: SourceRegistry | None = None):
        self.extraction = ExtractionStage(registry)
        self.stages = [LanguageStage(), MatchingStage(settings.watchlist_file)]

    def process(self, page: FetchedPage) -> Article:
        article = self.extraction.process(page)
        for stage in self.stages:
            article = stage.process(article)
        return article
