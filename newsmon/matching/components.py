"""The two pipeline components of the matching pipelines, written against token arrays, not Token objects.

A blank pipeline with spaCy's own components spends most of its time creating a Python ``Token`` per token
and component. These read the ``ORTH`` column once, look each distinct word up in a per-pipeline cache and
write their column back with ``Doc.from_array``: the same annotations for a fraction of the cost.
"""

from __future__ import annotations

import numpy
from spacy.attrs import NORM, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from newsmon.languages import profile
from newsmon.matching.normalize import Normalizer

__all__ = ["NormalizerComponent", "SentenceStarts"]

#: Distinct words remembered per pipeline before the cache starts over (a bound on memory, not a tuning knob).
_CACHE_LIMIT = 200_000


@Language.factory("watchlist_normalizer")
def _make_normalizer(nlp: Language, name: str) -> NormalizerComponent:
    return NormalizerComponent(Normalizer(nlp.lang))


@Language.factory("sentence_starts")
def _make_sentence_starts(nlp: Language, name: str) -> SentenceStarts:
    return SentenceStarts(after_list=profile(nlp.lang).conjunctions | {",", "،"})


class NormalizerComponent:
    """``token.norm_`` becomes the watchlist key of the token; whitespace tokens keep their default norm."""

    def __init__(self, normalizer: Normalizer):
        self.normalizer = normalizer

    @property
    def normalizer(self) -> Normalizer:
        return self._normalizer

    @normalizer.setter
    def normalizer(self, normalizer: Normalizer) -> None:
        self._normalizer = normalizer
        self._norm_by_orth: dict[int, int] = {}  # keys depend on the normalizer's vocabulary

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings, cache = doc.vocab.strings, self._norm_by_orth
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        norms = []
        for orth in doc.to_array(ORTH).tolist():
            norm = cache.get(orth)
            if norm is None:
                text = strings[orth]
                norm = doc.vocab[orth].norm if text.isspace() else strings.add(self._normalizer.key(text))
                cache[orth] = norm
            norms.append(norm)
        doc.from_array([NORM], numpy.array(norms, dtype=numpy.uint64).reshape(-1, 1))
        return doc


#: What a token is to the sentence rule (ordered: a line break ends a sentence more surely than a full stop).
_WORD, _PUNCT, _LOWER_WORD, _FINAL, _LINE_BREAK = 0, 1, 2, 3, 4


class SentenceStarts:
    """spaCy's rule-based ``sentencizer``, same rule and punctuation: a sentence starts at the first token that is
    not punctuation after one of the sentence-final characters. A line break ends a sentence too: a headline, a
    dateline or a list item has no full stop, and is not one sentence with the line after it. An ellipsis right
    after a conjunction or a comma (``after_list``) is a list's "and so on", no end: «پشتون، تاجیک، ازبک و ... اصلاً
    مطرح نیست». And no sentence starts with a lower-case letter: the full stop of an abbreviation ("872 тыс. тонн",
    "3 млн. долларов", "vb. gibi") or a question quoted inside one («"Кто виноват?" — спросил он») ends none, nor
    does a stop with a number glued to it ("TAi.024")."""

    def __init__(self, punct_chars: frozenset[str] = frozenset(Sentencizer.default_punct_chars),
                 after_list: frozenset[str] = frozenset()):
        self.punct_chars = punct_chars
        self.after_list = after_list
        self._kind_by_orth: dict[int, int] = {}  # _WORD, _PUNCT, _FINAL, _LINE_BREAK or _LOWER_WORD

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache = self._kind_by_orth
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        starts = [-1] * len(doc)
        starts[0] = 1
        seen = _WORD  # the end seen since the last start: _FINAL, _LINE_BREAK (the stronger), or none (_WORD)
        orths = doc.to_array(ORTH).tolist()
        spaces = doc.to_array(SPACY).tolist()
        for index, orth in enumerate(orths):
            kind = cache.get(orth)
            if kind is None:
                kind = cache[orth] = self._kind(doc.vocab[orth])
            if seen and (kind == _WORD or (kind == _LOWER_WORD and seen == _LINE_BREAK)):
                starts[index] = 1
                seen = _WORD
            elif seen and kind == _LOWER_WORD:  # "872 тыс. тонн": the full stop ended nothing
                seen = _WORD
            elif kind == _LINE_BREAK or (kind == _FINAL and not self._etcetera(doc, orths, index)
                                         and not self._glued_to_a_number(doc, orths, spaces, index)):
                seen = max(seen, kind)
        doc.from_array([SENT_START], numpy.array(starts, dtype=numpy.int64).reshape(-1, 1).astype(numpy.uint64))
        return doc

    def _kind(self, lexeme) -> int:
        # (a run of spaces is no punctuation to spaCy's rule: a sentence may start at it, as before)
        if lexeme.is_space:
            return _LINE_BREAK if "\n" in lexeme.orth_ else _WORD
        if lexeme.orth_ in self.punct_chars:
            return _FINAL
        if lexeme.is_punct:
            return _PUNCT
        return _LOWER_WORD if lexeme.orth_[:1].islower() else _WORD

    @staticmethod
    def _glued_to_a_number(doc: Doc, orths: list[int], spaces: list[int], index: int) -> bool:
        """Whether the stop at ``index`` has a number right after it, with no space between: a code or a number
        ("TAi.024", the UN list's reference of a listed Taliban leader; "v.2"), which ends no sentence."""
        return not spaces[index] and index + 1 < len(orths) and doc.vocab.strings[orths[index + 1]][:1].isdigit()

    def _etcetera(self, doc: Doc, orths: list[int], index: int) -> bool:
        """Whether the full stop at ``index`` is one of an ellipsis's ("...", tokenised as full stops; "…" ends no
        sentence anyway) right after a list word."""
        strings = doc.vocab.strings
        if strings[orths[index]] != ".":
            return False
        first, last = index, index
        while first > 0 and strings[orths[first - 1]] == ".":
            first -= 1
        while last + 1 < len(orths) and strings[orths[last + 1]] == ".":
            last += 1
        return last > first and first > 0 and strings[orths[first - 1]].lower() in self.after_list
