"""Find the watchlist's actors and themes in a text, with the evidence for each.

One blank spaCy pipeline per language: tokenizer → ``watchlist_normalizer`` (sets ``token.norm_`` to the
key from :mod:`newsmon.matching.normalize`) → ``sentence_starts`` (spaCy's sentencizer rule); both in
:mod:`newsmon.matching.components`. ``PhraseMatcher`` on ``NORM`` finds names,
triggers, exclusions and context terms; rules then decide the hard cases: a city name counts as the state
only where it acts as the government, a name inside an exclusion phrase (``Pakistani Taliban``) is dropped, a
theme needs its context nearby, and a text with no Afghanistan relevance gets no themes.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsmon.languages import LANGUAGES, PROFILES, SCRIPTS, profile
from newsmon.matching import components  # noqa: F401 - registers the pipeline components
from newsmon.matching.normalize import Normalizer
from newsmon.matching.tokenizer import WordTokenizer
from newsmon.matching.watchlist import Watchlist
from newsmon.models import Mention

__all__ = ["WatchlistMatcher", "shared_matcher"]

log = logging.getLogger(__name__)

_SNIPPET_CHARS = 240
#: How many tokens may separate the two parts of a ``near`` trigger.
_NEAR_WINDOW = 6
#: Same-length rewrites before tokenising, so offsets stay those of the input: exotic spaces become
#: spaces, and a Persian plural written after a space ("دارایی های") is joined with a ZWNJ like "دارایی‌های".
_SPACES = str.maketrans({c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                        "\u2009\u200a\u202f\u205f\u3000"})
_DETACHED_PLURAL = re.compile(r"(?<=[\u0600-\u06ff]) (?=(?:ها|های|هایی)(?![\u0600-\u06ff]))")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


@dataclass
class _LanguageMatcher:
    lang: str
    nlp: Language
    actors: PhraseMatcher
    actors_exact: PhraseMatcher
    exclusions: PhraseMatcher
    triggers: PhraseMatcher
    context_terms: PhraseMatcher
    relevance_terms: PhraseMatcher
    near_terms: PhraseMatcher
    place_before: frozenset[str] = frozenset()
    place_after: frozenset[str] = frozenset()


class WatchlistMatcher:
    """Matches texts against a :class:`Watchlist`; build once, call :meth:`match` per text."""

    def __init__(self, watchlist: Watchlist):
        self.watchlist = watchlist
        self._themes = {t.id: t for t in watchlist.themes}
        self._actor_triggers: dict[str, list[str]] = defaultdict(list)
        for theme in watchlist.themes:
            for actor_id in theme.trigger_actors:
                self._actor_triggers[actor_id].append(theme.id)
        self._by_lang: dict[str, _LanguageMatcher] = {}

    def match(self, text: str, lang: str) -> list[Mention]:
        """All actor and theme mentions in ``text`` (in language ``lang``), ordered by position."""
        lang = lang if lang in LANGUAGES else _language_by_script(text)
        if lang is None or not text.strip():
            return []
        matcher = self._matcher(lang)
        doc = matcher.nlp(_DETACHED_PLURAL.sub("\u200c", text.translate(_SPACES)))
        actor_spans = self._actor_spans(doc, matcher)
        relevant = self._relevant(doc, matcher, actor_spans)
        actor_spans = [(span, kind) for span, kind in actor_spans if kind != "context" or relevant]
        theme_spans = self._theme_spans(doc, matcher, actor_spans) if relevant else []
        # "Moscow" inside "Moscow Format" is the theme, not the state.
        actor_spans = [(span, kind) for span, kind in actor_spans
                       if not (kind == "government" and any(_overlaps(span, t) for t in theme_spans))]
        mentions = [_mention(text, span, "actor") for span, _ in actor_spans]
        mentions += [_mention(text, span, "theme") for span in theme_spans]
        return sorted(mentions, key=lambda m: (m.start, m.kind, m.id))

    # -- actors ---------------------------------------------------------------------------------------
    def _actor_spans(self, doc: Doc, matcher: _LanguageMatcher) -> list[tuple[Span, str]]:
        """Actor matches as (span, kind); kind is alias, government or context."""
        excluded = _spans_by_label(doc, matcher.exclusions(doc))
        candidates = []
        for match_id, start, end in [*matcher.actors(doc), *matcher.actors_exact(doc)]:
            label = doc.vocab.strings[match_id]
            actor_id, _, kind = label.partition("|")
            span = Span(doc, start, end, label=actor_id)
            if any(_overlaps(span, other) for other in excluded.get(actor_id, ())):
                continue
            if kind == "government" and _is_place(doc, span, matcher):
                continue
            candidates.append((span, kind))
        kept = {(s.start, s.end, s.label_) for s in filter_spans([s for s, _ in candidates])}
        return [(s, g) for s, g in candidates if (s.start, s.end, s.label_) in kept]

    # -- themes ---------------------------------------------------------------------------------------
    def _relevant(self, doc: Doc, matcher: _LanguageMatcher, actor_spans: list[tuple[Span, str]]) -> bool:
        """Whether the text is about Afghanistan at all (without that, no themes and no context aliases)."""
        actors_present = {span.label_ for span, kind in actor_spans if kind != "context"}
        return bool(actors_present & set(self.watchlist.relevance.actors) or matcher.relevance_terms(doc))

    def _theme_spans(self, doc: Doc, matcher: _LanguageMatcher,
                     actor_spans: list[tuple[Span, str]]) -> list[Span]:
        excluded = _spans_by_label(doc, matcher.exclusions(doc))
        sentences = list(doc.sents)
        sentence_of = {}
        for index, sentence in enumerate(sentences):
            for token_index in range(sentence.start, sentence.end):
                sentence_of[token_index] = index
        context_hits: dict[str, set[int]] = defaultdict(set)
        for match_id, start, _ in matcher.context_terms(doc):
            context_hits[doc.vocab.strings[match_id]].add(sentence_of[start])
        actor_sentences: dict[str, set[int]] = defaultdict(set)
        for span, _ in actor_spans:
            actor_sentences[span.label_].add(sentence_of[span.start])
        triggers = [(doc.vocab.strings[match_id], start, end) for match_id, start, end in matcher.triggers(doc)]
        triggers += _near_triggers(doc, matcher.near_terms(doc))
        for span, _ in actor_spans:
            triggers += [(theme_id, span.start, span.end) for theme_id in self._actor_triggers.get(span.label_, ())]
        found = []
        for theme_id, start, end in triggers:
            span = Span(doc, start, end, label=theme_id)
            if any(_overlaps(span, other) for other in excluded.get(theme_id, ())):
                continue
            context = self._themes[theme_id].context
            if context is not None:
                window = {sentence_of[start] - 1, sentence_of[start], sentence_of[start] + 1}
                near = context_hits.get(theme_id, set()) | set().union(
                    *(actor_sentences.get(a, set()) for a in context.actors))
                if not window & near:
                    continue
            found.append(span)
        by_theme = defaultdict(list)
        for span in found:
            by_theme[span.label_].append(span)
        return [s for spans in by_theme.values() for s in filter_spans(spans)]

    # -- building -------------------------------------------------------------------------------------
    def _matcher(self, lang: str) -> _LanguageMatcher:
        if lang not in self._by_lang:
            self._by_lang[lang] = self._build(lang)
        return self._by_lang[lang]

    def _build(self, lang: str) -> _LanguageMatcher:
        nlp = spacy.blank(profile(lang).spacy_lang)
        nlp.tokenizer = WordTokenizer(nlp.vocab)
        component = nlp.add_pipe("watchlist_normalizer")
        nlp.add_pipe("sentence_starts")
        watchlist = self.watchlist
        phrases: list[str] = []
        for actor in watchlist.actors:
            phrases += actor.aliases.get(lang, []) + actor.government_aliases.get(lang, [])
            phrases += actor.not_.get(lang, [])
        for theme in watchlist.themes:
            phrases += theme.triggers.get(lang, []) + theme.not_.get(lang, [])
            phrases += [alt.strip() for rule in theme.near.get(lang, []) for alt in rule.replace("~", "|").split("|")]
            if theme.context:
                phrases += theme.context.terms.get(lang, [])
        phrases += watchlist.relevance.terms.get(lang, [])
        phrases += watchlist.places.before.get(lang, []) + watchlist.places.after.get(lang, [])
        for actor in watchlist.actors:
            phrases += actor.context_aliases.get(lang, [])
        vocabulary = {component.normalizer.base(t.text) for p in phrases for t in nlp.make_doc(p)}
        component.normalizer = Normalizer(lang, frozenset(vocabulary))

        built = _LanguageMatcher(
            lang=lang, nlp=nlp, actors=PhraseMatcher(nlp.vocab, attr="NORM"), actors_exact=PhraseMatcher(nlp.vocab, attr="ORTH"),
            exclusions=PhraseMatcher(nlp.vocab, attr="NORM"), triggers=PhraseMatcher(nlp.vocab, attr="NORM"),
            context_terms=PhraseMatcher(nlp.vocab, attr="NORM"), relevance_terms=PhraseMatcher(nlp.vocab, attr="NORM"),
            near_terms=PhraseMatcher(nlp.vocab, attr="NORM"),
            place_before=frozenset(component.normalizer.key(w) for w in watchlist.places.before.get(lang, [])),
            place_after=frozenset(component.normalizer.key(w) for w in watchlist.places.after.get(lang, [])))

        def add(matcher: PhraseMatcher, label: str, texts: list[str], exact: bool = False) -> None:
            if texts:
                docs = [nlp.make_doc(t) for t in texts] if exact else list(nlp.pipe(texts))
                matcher.add(label, docs)

        for actor in watchlist.actors:
            add(built.actors, f"{actor.id}|alias", actor.aliases.get(lang, []))
            add(built.actors, f"{actor.id}|government", actor.government_aliases.get(lang, []))
            add(built.actors, f"{actor.id}|context", actor.context_aliases.get(lang, []))
            add(built.actors_exact, f"{actor.id}|alias", actor.case_sensitive.get(lang, []), exact=True)
            add(built.exclusions, actor.id, actor.not_.get(lang, []))
        for theme in watchlist.themes:
            add(built.triggers, theme.id, theme.triggers.get(lang, []))
            add(built.exclusions, theme.id, theme.not_.get(lang, []))
            if theme.context:
                add(built.context_terms, theme.id, theme.context.terms.get(lang, []))
            for number, rule in enumerate(theme.near.get(lang, [])):
                for side, alternatives in zip("ab", rule.split("~")):
                    add(built.near_terms, f"{theme.id}|{number}|{side}", [a.strip() for a in alternatives.split("|")])
        add(built.relevance_terms, "relevance", watchlist.relevance.terms.get(lang, []))
        log.debug("built %s matcher with %d vocabulary keys", lang, len(vocabulary))
        return built


_SHARED: dict[tuple[str, float], WatchlistMatcher] = {}


def shared_matcher(watchlist_file) -> WatchlistMatcher:
    """The process-wide matcher for a watchlist file, built on first use and rebuilt if the file changes.

    Workers call this inside tasks, so the pipelines load once per worker process and never at DAG parse time.
    """
    from pathlib import Path

    from newsmon.matching.watchlist import load_watchlist

    path = Path(watchlist_file).resolve()
    key = (str(path), path.stat().st_mtime)
    if key not in _SHARED:
        _SHARED.clear()
        _SHARED[key] = WatchlistMatcher(load_watchlist(path))
    return _SHARED[key]


def _spans_by_label(doc: Doc, matches) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = defaultdict(list)
    for match_id, start, end in matches:
        spans[doc.vocab.strings[match_id]].append(Span(doc, start, end))
    return spans


def _near_triggers(doc: Doc, matches) -> list[tuple[str, int, int]]:
    """Theme triggers from ``near`` rules: both parts of a rule within :data:`_NEAR_WINDOW` tokens."""
    parts: dict[tuple[str, str], dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for match_id, start, end in matches:
        theme_id, number, side = doc.vocab.strings[match_id].split("|")
        parts[(theme_id, number)][side].append((start, end))
    found = []
    for (theme_id, _), sides in parts.items():
        for a_start, a_end in sides.get("a", []):
            for b_start, b_end in sides.get("b", []):
                gap = b_start - a_end if b_start >= a_end else a_start - b_end
                if 0 <= gap <= _NEAR_WINDOW:
                    found.append((theme_id, min(a_start, b_start), max(a_end, b_end)))
    return found


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _is_place(doc: Doc, span: Span, matcher: _LanguageMatcher) -> bool:
    """Whether a city name (Moscow, Москва, مسکو) is used as a place rather than as the government."""
    previous = doc[span.start - 1] if span.start > 0 else None
    following = doc[span.end] if span.end < len(doc) else None
    # A dateline: "MOSCOW, Nov 3 —" at the start of the text or of a line.
    at_line_start = previous is None or previous.is_space or "\n" in previous.whitespace_
    if at_line_start and following is not None and following.text in {",", "—", "-", "–", "(", ":"}:
        return True
    if previous is not None and previous.norm_ in matcher.place_before:
        return True
    if following is not None and following.norm_ in ("'s", "'", "’s") and span.end + 1 < len(doc):
        following = doc[span.end + 1]
    if following is not None and following.norm_ in matcher.place_after:
        return True
    place_suffixes = profile(matcher.lang).place_suffixes
    if place_suffixes:  # a case ending that makes a city a place: Moskova'da, Moskova'ya, Moskova'dan
        surface = doc[span.end - 1].text.translate(_APOSTROPHES).lower()
        if "'" in surface and surface.endswith(place_suffixes):
            return True
    return False


def _mention(text: str, span: Span, kind: str) -> Mention:
    """A mention with surface and snippet taken from the original ``text`` (same offsets as the doc's)."""
    sentence = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    snippet = " ".join(text[sentence.start_char: sentence.end_char].split())
    if len(snippet) > _SNIPPET_CHARS:
        offset = max(0, span.start_char - sentence.start_char - _SNIPPET_CHARS // 2)
        snippet = "…" + " ".join(text[sentence.start_char + offset: sentence.start_char + offset + _SNIPPET_CHARS]
                                 .split()) + "…"
    return Mention(id=span.label_, kind=kind, surface=text[span.start_char: span.end_char],
                   start=span.start_char, end=span.end_char, snippet=snippet)


def _language_by_script(text: str) -> str | None:
    """For texts in another language: the first language (in table order) of the script with most letters."""
    sample = text[:2000]
    counts = {name: len(re.findall(script.letters, sample)) for name, script in SCRIPTS.items()}
    script, count = max(counts.items(), key=lambda kv: kv[1])
    return next((p.code for p in PROFILES if p.script == script), None) if count else None
