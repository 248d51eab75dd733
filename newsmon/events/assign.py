"""Assign every indexed article to an event, incrementally, as articles arrive (no re-clustering of the index).

For each article without an event, oldest first (by publication time, else fetch time):

1. **Decided before** — an article re-indexed (updated, reprocessed) keeps the event and original it was given:
   decisions are recorded apart from the article (the membership record) and never rewritten.
2. **Near-duplicate** — an earlier article in the same language whose word shingles it shares (estimated
   Jaccard ≥ :data:`DUPLICATE_JACCARD`, found through MinHash bands) makes it a duplicate of that article's
   original: ``duplicate_of`` is set and it joins the original's event. A duplicate never mails on its own.
3. **Same story** — a language version of a story already placed (``story_id``: the site's translation links)
   joins that story's event.
4. **Same event** — otherwise the candidate events are those seen within :data:`WINDOW` of the article that
   share one of its themes. Each is scored by the cosine between the article's signals (theme and actor ids,
   the same in every language, weighted by mentions and position and by rarity in the recent index, plus the
   numbers it quotes) and the event's centroid; the best at or above :data:`JOIN_SCORE` takes it, else the
   article founds a new event. An article with no theme joins only by steps 1–3.

:class:`EventAssigner` holds this logic over an :class:`EventSource` (what is already known), so it runs the
same against Elasticsearch (:class:`newsmon.index.events_store.EventStore`) and in unit tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

import numpy as np

from newsmon.events.signals import (
    estimated_jaccard,
    event_features,
    lsh_bands,
    minhash,
    signature_from_hex,
    signature_to_hex,
)

__all__ = ["DUPLICATE_JACCARD", "JOIN_SCORE", "WINDOW", "Decision", "Event", "EventAssigner", "EventSource",
           "Member", "article_time"]

#: Estimated Jaccard of word 3-shingles from which an article is a copy of another (a syndicated or re-posted
#: text with a changed headline or a sentence added or cut stays far above it; two reports of one event in
#: their own words stay far below).
DUPLICATE_JACCARD = 0.6
#: An article joins an event seen within this time of its own (before or after: crawls arrive out of order).
WINDOW = timedelta(hours=72)
#: Cosine between an article's signals and an event's centroid from which the article joins the event.
JOIN_SCORE = 0.5


def article_time(article: dict) -> datetime:
    """When an article happened, as far as we know: published, else fetched, else indexed (UTC)."""
    for key in ("published", "fetched_at", "indexed_at"):
        value = article.get(key)
        if value:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.now(UTC)


@dataclass
class Member:
    """The recorded decision for one article (kept apart from the article, so re-indexing cannot undo it)."""

    article_id: str
    event_id: str
    lang: str
    story_id: str
    at: datetime
    duplicate_of: str | None = None
    signature: str | None = None  # MinHash signature, hex
    bands: list[str] = field(default_factory=list)
    reason: str = ""
    score: float = 0.0


@dataclass
class Event:
    """An event as its articles describe it so far."""

    id: str
    first_seen: datetime
    last_seen: datetime
    #: Sum of its members' unit signal vectors (feature → weight).
    centroid: dict[str, float] = field(default_factory=dict)
    themes: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    titles: dict[str, str] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    story_ids: set[str] = field(default_factory=set)
    article_count: int = 0
    duplicate_count: int = 0

    def add(self, article: dict, vector: dict[str, float], at: datetime, duplicate: bool) -> None:
        self.first_seen, self.last_seen = min(self.first_seen, at), max(self.last_seen, at)
        self.article_count += 1
        self.duplicate_count += duplicate
        if article.get("lang") and article.get("title"):
            self.titles.setdefault(article["lang"], article["title"])
        self.sources.add(article.get("source") or "")
        self.languages.add(article.get("lang") or "")
        self.story_ids.add(article.get("story_id") or article["_id"])
        if duplicate:
            return  # a copy adds no evidence of what the event is about
        self.themes.update(article.get("themes") or [])
        self.actors.update(article.get("actors") or [])
        for key, value in vector.items():
            self.centroid[key] = self.centroid.get(key, 0.0) + value

    def similarity(self, vector: dict[str, float]) -> float:
        norm = math.sqrt(sum(v * v for v in self.centroid.values()))
        if not norm:
            return 0.0
        return sum(weight * self.centroid.get(key, 0.0) for key, weight in vector.items()) / norm

    def distance(self, at: datetime) -> timedelta:
        """How far ``at`` lies outside the event's first and last sighting (zero inside)."""
        if at < self.first_seen:
            return self.first_seen - at
        return max(timedelta(0), at - self.last_seen)


@dataclass
class Decision:
    article_id: str
    event_id: str
    duplicate_of: str | None
    reason: str  # decided-before, duplicate, story, joined, new
    score: float = 0.0


class EventSource(Protocol):
    """What the assigner asks about the articles and events placed before this run."""

    def members(self, article_ids: list[str]) -> dict[str, Member]: ...

    def duplicate_candidates(self, bands: list[str], lang: str) -> list[Member]: ...

    def story_events(self, story_ids: list[str]) -> dict[str, str]: ...

    def candidate_events(self, start: datetime, end: datetime, themes: list[str]) -> list[Event]: ...

    def event(self, event_id: str) -> Event | None: ...

    def document_frequencies(self) -> tuple[int, dict[str, int]]: ...


class EventAssigner:
    """Places articles into events; call :meth:`assign` with the unplaced articles, then write :attr:`events`
    and :attr:`new_members` (what changed) to the store."""

    def __init__(self, source: EventSource):
        self.source = source
        self.events: dict[str, Event] = {}  # touched in this run
        self.new_members: dict[str, Member] = {}
        self._run_members: list[Member] = []  # placed in this run, for duplicate and story lookups
        self._df_total, self._df = source.document_frequencies()

    # -- the decision ---------------------------------------------------------------------------------------
    def assign(self, articles: Iterable[dict]) -> list[Decision]:
        articles = sorted(articles, key=lambda a: (article_time(a), a["_id"]))
        recorded = self.source.members([a["_id"] for a in articles])
        signatures = {a["_id"]: minhash(a.get("text") or "") for a in articles if a["_id"] not in recorded}
        bands = {i: lsh_bands(s) if s is not None else [] for i, s in signatures.items()}
        prepare = getattr(self.source, "prepare", None)
        if prepare is not None and signatures:  # one lookup for the whole batch instead of three per article
            times = [article_time(a) for a in articles]
            prepare({b for found in bands.values() for b in found}, {a.get("story_id") or a["_id"] for a in articles},
                    min(times) - WINDOW, max(times) + WINDOW)
        decisions = []
        for article in articles:
            before = recorded.get(article["_id"]) or self.new_members.get(article["_id"])
            if before is not None:
                decisions.append(Decision(article["_id"], before.event_id, before.duplicate_of, "decided-before",
                                          before.score))
                continue
            decisions.append(self._place(article, signatures[article["_id"]], bands[article["_id"]]))
        return decisions

    def _place(self, article: dict, signature: np.ndarray | None, bands: list[str]) -> Decision:
        at = article_time(article)
        vector = self._vector(article)
        story_id = article.get("story_id") or article["_id"]
        duplicate = self._original(article, signature, bands)
        if duplicate is not None:
            original, score = duplicate
            event_id, reason, duplicate_of = original.event_id, "duplicate", original.duplicate_of or original.article_id
        elif (event_id := self._story_event(story_id)) is not None:
            reason, duplicate_of, score = "story", None, 1.0
        else:
            duplicate_of = None
            event_id, score = self._best_event(article, vector, at)
            reason = "joined" if event_id else "new"
        event = self._event(event_id) if event_id else None
        if event is None:  # a new event, or one no longer in the store: found it again
            event_id = event_id or f"ev-{article['_id'][:24]}"
            event = self.events[event_id] = Event(event_id, at, at)
        event.add(article, vector, at, duplicate_of is not None)
        member = Member(article["_id"], event_id, article.get("lang") or "", story_id, at, duplicate_of,
                        signature_to_hex(signature) if signature is not None else None, bands, reason, round(score, 4))
        self.new_members[member.article_id] = member
        self._run_members.append(member)
        return Decision(member.article_id, event_id, duplicate_of, reason, member.score)

    def _original(self, article: dict, signature: np.ndarray | None, bands: list[str]) -> tuple[Member, float] | None:
        """The earlier same-language article this one copies, with the estimated Jaccard, if any."""
        if signature is None:
            return None
        lang = article.get("lang") or ""
        wanted = set(bands)
        candidates = [m for m in self._run_members if m.lang == lang and wanted & set(m.bands)]
        candidates += self.source.duplicate_candidates(bands, lang)
        best: tuple[Member, float] | None = None
        for candidate in candidates:
            if candidate.article_id == article["_id"] or not candidate.signature:
                continue
            similarity = estimated_jaccard(signature, signature_from_hex(candidate.signature))
            if similarity >= DUPLICATE_JACCARD and (best is None or similarity > best[1]):
                best = (candidate, similarity)
        return best

    def _story_event(self, story_id: str) -> str | None:
        for member in self._run_members:
            if member.story_id == story_id:
                return member.event_id
        return self.source.story_events([story_id]).get(story_id)

    def _best_event(self, article: dict, vector: dict[str, float], at: datetime) -> tuple[str | None, float]:
        themes = article.get("themes") or []
        if not themes or not vector:
            return None, 0.0
        candidates = {e.id: e for e in self.source.candidate_events(at - WINDOW, at + WINDOW, themes)}
        candidates.update({e.id: e for e in self.events.values()})  # this run's state is the newest
        best_id, best_score = None, 0.0
        for event in candidates.values():
            if event.distance(at) > WINDOW or not set(themes) & event.themes:
                continue
            score = event.similarity(vector)
            if score > best_score:
                best_id, best_score = event.id, score
        if best_score >= JOIN_SCORE:
            self.events.setdefault(best_id, candidates[best_id])
            return best_id, best_score
        return None, best_score

    def _event(self, event_id: str) -> Event | None:
        if event_id not in self.events:
            found = self.source.event(event_id)
            if found is None:
                return None
            self.events[event_id] = found
        return self.events[event_id]

    # -- signals --------------------------------------------------------------------------------------------
    def _vector(self, article: dict) -> dict[str, float]:
        """The article's signals weighted by rarity (idf over the recent index), as a unit vector."""
        weighted = {key: weight * self._idf(key) for key, weight in event_features(article).items()}
        norm = math.sqrt(sum(v * v for v in weighted.values()))
        return {key: value / norm for key, value in weighted.items()} if norm else {}

    def _idf(self, feature: str) -> float:
        df = self._df.get(feature, 0)
        return 1.0 + math.log((self._df_total + 1) / (df + 1))
