"""Sense rules: a trigger used in another sense is no evidence of its theme (or actor).

- :func:`has_other_sense` — a sense rule's words near a trigger give it another sense (unless its ``unless`` words
  stand there too);
- :func:`same_sense_as_before` — one sense per discourse: a bare repeat of a word keeps the sense the text gave it
  before;
- :func:`without_own_evidence` — a polysemous trigger whose own sentence names no actor and holds none of the words
  that give it the theme's sense.
"""

from __future__ import annotations

from spacy.tokens import Span

from newsmon.matching.build import UNLESS
from newsmon.matching.doc_cache import sentence_of
from newsmon.matching.rules import crosses_sentence, token_gap

__all__ = ["has_other_sense", "same_sense_as_before", "without_own_evidence"]

#: Sense rules with at least this window are about the topic around a trigger, not a collocation with it.
_TOPICAL_WINDOW = 4
#: How a rule's unless words are labelled: ``<id>|<n>|unless``.
_UNLESS_SUFFIX = f"|{UNLESS}"


def has_other_sense(span: Span, senses: dict[str, dict[str, list[tuple[int, int]]]], windows: dict[str, int],
                    only: dict[str, frozenset[tuple[str, ...]]] | None = None) -> bool:
    """Whether a sense rule of the span's theme (or actor) has words within its window of the span, in its sentence
    (a rule with ``only`` triggers applies to the spans that hold one of them alone), and none of its ``unless``
    words. ``senses``: the doc's hits of each rule (``<id>|<n>``, its unless words ``<id>|<n>|unless``), by the id
    the rule qualifies."""
    rules = senses.get(span.label_)
    if not rules:
        return False
    for label, hits in rules.items():
        if label.endswith(_UNLESS_SUFFIX):
            continue
        if only and label in only and not _holds_any(span, only[label]):
            continue
        window = windows[label]
        if _any_near(span, hits, window) and not _any_near(span, rules.get(f"{label}|{UNLESS}", ()), window):
            return True
    return False


def same_sense_as_before(span: Span, other_sense: list[Span], senses: dict[str, dict[str, list[tuple[int, int]]]],
                         named: set[int]) -> bool:
    """One sense per discourse (Gale, Church and Yarowsky): a trigger repeated with nothing of its own to go on
    keeps the other sense the text gave the same word before it. "... waiting for recognition of their degrees ...
    'Recognition takes time,' a spokesman said": the second is the degrees' too.

    ``other_sense``: the trigger spans of the text a sense rule or a ``not`` phrase gave another sense. A repeat
    stands on its own in a sentence of ``named`` (those that name an actor or the theme's context: "the Taliban
    still seek recognition") or one that holds a sense rule's ``unless`` words ("recognition of our government").
    A construction is never a bare repeat."""
    sentence = sentence_of(span.doc)
    if span.kb_id_ or sentence[span.start] in named or any(
            sentence[start] == sentence[span.start] for label, hits in senses.get(span.label_, {}).items()
            if label.endswith(_UNLESS_SUFFIX) for start, _ in hits):
        return False
    words = _words(span)
    return any(other.start < span.start and other.label_ == span.label_ and _words(other) == words
               for other in other_sense)


def without_own_evidence(span: Span, polysemous: frozenset[tuple[str, ...]], evidence: set[int]) -> bool:
    """Whether ``span`` holds one of a theme's ``polysemous`` triggers (normalised words) and its sentence is none of
    ``evidence`` (the sentences that name an actor or hold one of the theme's ``own_sentence`` terms): "her talent
    was recognised early by coaches in Kabul" is no state's recognition, "Russia's recognition of the Taliban" and
    "no state has recognised the movement" are. A construction is never a bare trigger."""
    return (not span.kb_id_ and sentence_of(span.doc)[span.start] not in evidence
            and _holds_any(span, polysemous))


def _words(span: Span) -> tuple[str, ...]:
    return tuple(t.norm_ for t in span if not t.is_space)


def _any_near(span: Span, hits, window: int) -> bool:
    """Whether one of ``hits`` stands within ``window`` tokens of the span, in its sentence."""
    for start, end in hits:
        gap = token_gap(span.start, span.end, start, end)
        # A sense of the topic around (a window of several words: aid, drugs, farmers) also holds inside a
        # construction's stretch of words (Persian puts them there: «تجارت ... مواد مخدر را ... ممنوع کرد»); a
        # collocation (a window of a word or two: "head of") only holds right next to the words it qualifies.
        if gap < 0 and window >= _TOPICAL_WINDOW and start >= span.start and end <= span.end:
            gap = 0
        # ... and words that share a word with the trigger's stretch are right next to it ("Soviet troops" of the
        # construction "troops left")
        if gap < 0 and (start < span.start < end < span.end or span.start < start < span.end < end):
            gap = 0
        if 0 <= gap <= window and not crosses_sentence(span.doc, min(start, span.start), max(end, span.end)):
            return True
    return False


def _holds_any(span: Span, phrases: frozenset[tuple[str, ...]]) -> bool:
    """Whether the span's words hold one of ``phrases`` (normalised words), e.g. the "imports" of a construction's
    stretch "the ministry was unable to pay for imports"."""
    words = _words(span)
    return any(words[i:i + len(phrase)] == phrase for phrase in phrases for i in range(len(words) - len(phrase) + 1))
