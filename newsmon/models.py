"""The core types every stage takes and returns.

Stages never pass raw dicts to each other: a crawl yields :class:`FetchedPage`, extraction turns it into an
:class:`Article`, matching adds :class:`Mention` objects, and alerting works on :class:`AlertRule`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Literal

from newsmon.languages import OTHER

__all__ = [
    "Article",
    "FetchedPage",
    "Mention",
    "document_id",
]

MentionKind = Literal["actor", "theme"]


def document_id(canonical_url: str) -> str:
    """Return the stable document id of an article: the SHA-1 hex digest of its canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class FetchedPage:
    """One HTTP response the crawler kept, as stored in the archive."""

    source: str
    url: str
    canonical_url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime
    headers: dict[str, str] = field(default_factory=dict)
    redirects: list[str] = field(default_factory=list)
    #: What the feed or sitemap said about the item (title, published, language), used as fallbacks.
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return document_id(self.canonical_url)


@dataclass(slots=True)
class Mention:
    """One place in an article's text where an actor or theme of the watchlist was found."""

    id: str
    kind: MentionKind
    surface: str
    start: int
    end: int
    snippet: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Article:
    """An extracted article: what is indexed and what alerts are about."""

    url: str
    canonical_url: str
    source: str
    title: str
    text: str
    lang: str = OTHER
    lang_confidence: float = 0.0
    declared_lang: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    #: Canonical URLs of the same article in other languages (WPML links, hreflang alternates).
    translations: dict[str, str] = field(default_factory=dict)
    paywalled: bool = False
    footnotes: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    fetched_at: datetime | None = None
    extractor: str = ""
    #: What processing had to do to the article beyond the usual, for the log and the process report (e.g.
    #: ``matched-in-pieces``, ``mentions-capped``); not indexed.
    processing_notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return document_id(self.canonical_url)

    @property
    def story_id(self) -> str:
        """The id shared by all language versions of one story: the smallest id among them."""
        urls = {self.canonical_url, *self.translations.values()}
        return min(document_id(u) for u in urls)

    @property
    def actors(self) -> list[str]:
        return sorted({m.id for m in self.mentions if m.kind == "actor"})

    @property
    def themes(self) -> list[str]:
        return sorted({m.id for m in self.mentions if m.kind == "theme"})
