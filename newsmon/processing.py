"""Processing one fetched page: extract → language → match, each a small stage with one hook.

``ExtractionStage.process(page) -> Article``, then ``process(article) -> Article`` for the language and matching
stages. A stage that finds bad content raises :class:`~newsmon.errors.DropDocument`, which the caller counts by
reason. The same stages run in ``news_process`` (:func:`newsmon.pipeline.process_batch`) and behind
``newsmon analyze`` (:mod:`newsmon.analyze`). Heavy libraries (trafilatura, lingua, spaCy) load on first use.

No article is dropped for its length: a text longer than :data:`MATCH_PIECE_CHARS` (spaCy refuses texts over a
million characters) is matched in pieces cut at paragraph breaks, and an article keeps at most
:data:`MAX_MENTIONS` mentions (Elasticsearch stores at most 10,000 nested objects per document) — the first of
every actor and theme always among them. Both are recorded in ``Article.processing_notes`` and logged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from newsmon.models import Article, FetchedPage, Mention
from newsmon.settings import Settings
from newsmon.sources import SourceRegistry

__all__ = ["MATCH_PIECE_CHARS", "MAX_MENTIONS", "ArticleProcessor", "ExtractionStage", "LanguageStage",
           "MatchingStage", "text_pieces"]

log = logging.getLogger(__name__)

#: The longest text matched in one go (spaCy's own limit is 1,000,000 characters); longer ones go in pieces.
MATCH_PIECE_CHARS = 200_000
#: Mentions kept per article (Elasticsearch's default ``index.mapping.nested_objects.limit`` is 10,000).
MAX_MENTIONS = 5_000


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
        text = article.text
        if len(text) <= MATCH_PIECE_CHARS:
            article.mentions = self.matcher.match(text, article.lang)
        else:
            pieces = text_pieces(text, MATCH_PIECE_CHARS)
            article.mentions = [_shifted(mention, start) for start, end in pieces
                                for mention in self.matcher.match(text[start:end], article.lang)]
            article.processing_notes.append(f"matched-in-pieces:{len(pieces)}")
            log.info("%s: %d characters, matched in %d pieces of at most %d", article.url or "text", len(text),
                     len(pieces), MATCH_PIECE_CHARS)
        if len(article.mentions) > MAX_MENTIONS:
            found = len(article.mentions)
            article.mentions = _capped(article.mentions, MAX_MENTIONS)
            article.processing_notes.append(f"mentions-capped:{found}")
            log.warning("%s: %d mentions, kept the first %d (every actor and theme keeps its first one)",
                        article.url or "text", found, MAX_MENTIONS)
        return article


def text_pieces(text: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text``, each at most ``size`` characters, cut after the last
    paragraph break (else line break, else space) in the second half of a piece, so sentences stay whole."""
    pieces, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = next((found + len(mark) for mark in ("\n\n", "\n", " ")
                    if (found := window.rfind(mark)) >= size // 2), size)
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, len(text)))
    return pieces


def _shifted(mention: Mention, offset: int) -> Mention:
    """``mention`` found in a piece starting at ``offset``, with offsets into the whole text."""
    mention.start += offset
    mention.end += offset
    return mention


def _capped(mentions: list[Mention], limit: int) -> list[Mention]:
    """The first mention of every actor and theme, then the earliest others, ``limit`` in all, in text order."""
    firsts = {}
    for position, mention in enumerate(mentions):
        firsts.setdefault((mention.kind, mention.id), position)
    keep = set(list(firsts.values())[:limit])
    for position in range(len(mentions)):
        if len(keep) >= limit:
            break
        keep.add(position)
    return [mentions[position] for position in sorted(keep)]


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
