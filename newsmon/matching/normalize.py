"""Per-language normalised keys for tokens, so that inflected and variant spellings meet their entry.

``fold`` removes what never distinguishes two names, by script (:data:`newsmon.languages.SCRIPTS`): case
(Turkish dotted/dotless i included), Latin diacritics, Persian/Arabic letter variants, diacritics, tatweel,
ZWNJ, digits. A :class:`Normalizer` then maps an inflected word to its watchlist form by its language's
:class:`~newsmon.languages.Morphology`: lemmas (Russian, pymorphy3, preferring readings that are watchlist
words), a chain of suffixes (Turkish, after an apostrophe or not), one suffix (Persian plural and ezafe), or
one ending (English plurals and verb endings, after the possessive clitic). A word is only cut back when what
remains is a watchlist word, so ``Kabulov`` never becomes ``Kabul``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsmon.languages import SCRIPTS, profile

__all__ = ["Normalizer", "fold"]

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_CASE_FOLDS = str.maketrans({k: v for script in SCRIPTS.values() for k, v in script.case_folds.items()})
#: Per script, in table order: what triggers it, its marks to drop and its folds; decomposition last.
_SCRIPT_FOLDS = [(re.compile(script.block), re.compile(script.marks) if script.marks else None,
                  str.maketrans(script.folds)) for script in SCRIPTS.values() if script.block and (script.folds or script.marks)]
_DECOMPOSE = [re.compile(script.block) for script in SCRIPTS.values() if script.block and script.decompose]


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case- and variant-fold ``text`` the same way for every language."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).translate(_CASE_FOLDS).lower()
    text = _DASHES.sub("-", text)
    for trigger, marks, folds in _SCRIPT_FOLDS:
        if trigger.search(text):
            text = (marks.sub("", text) if marks else text).translate(folds)
    if any(trigger.search(text) for trigger in _DECOMPOSE):
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text


def _splits_into(rest: str, morphemes: frozenset[str], depth: int = 4) -> bool:
    """Whether ``rest`` is a chain of at most ``depth`` morphemes."""
    if not rest:
        return True
    if depth == 0:
        return False
    return any(rest.startswith(m) and _splits_into(rest[len(m):], morphemes, depth - 1) for m in morphemes)


class Normalizer:
    """Maps a token to its normalised key for one language, guided by the watchlist's vocabulary."""

    def __init__(self, lang: str, vocabulary: frozenset[str] = frozenset()):
        self.lang = lang
        self.vocabulary = vocabulary
        language = profile(lang)
        self.morphology = language.morphology
        self._suffixes = tuple(suffix for suffix, _ in self.morphology.suffixes)
        self._suffix_set = frozenset(self._suffixes)
        self._analyser = None
        self._analysable = re.compile(f"^(?:{language.alphabet.lower()}|-)+$")
        if self.morphology.analyser == "pymorphy3":
            import pymorphy3

            self._analyser = pymorphy3.MorphAnalyzer()
        self._strategy = {"endings": self._by_ending, "suffix-chain": self._by_suffix_chain,
                          "suffixes": self._by_suffix, "lemmas": self._by_lemma}[self.morphology.kind]
        self.key = lru_cache(maxsize=200_000)(self._key)

    def _fold(self, token: str) -> str:
        """Fold, and drop a clitic that is never part of a name (the English possessive: "Russia's")."""
        folded = fold(token)
        for clitic in self.morphology.clitics:
            if len(folded) > 3 and folded.endswith(clitic):
                return folded[: -len(clitic)]
        return folded

    def base(self, token: str) -> str:
        """The vocabulary-independent key: folded, and lemmatised where the language has an analyser."""
        folded = self._fold(token)
        if self.morphology.kind == "suffix-chain" and "'" in folded.strip("'"):
            folded = folded.split("'")[0]
        folded = folded.strip("'")
        abbreviation = token.isupper() and len(token) <= 6  # СВО, ШОС, США: never lemmatise (СВО → свой)
        if self._analyser is not None and self._analysable.match(folded) and not abbreviation:
            return fold(self._analyser.parse(folded)[0].normal_form)
        return folded

    def _key(self, token: str) -> str:
        folded = self._fold(token)
        if folded in self.vocabulary:
            return folded
        key = self._strategy(folded)
        return key if key is not None else self.base(token)

    def _by_ending(self, folded: str) -> str | None:
        for ending, replacement in self.morphology.suffixes:
            if folded.endswith(ending) and len(folded) - len(ending) >= self.morphology.min_stem:
                candidate = folded[: len(folded) - len(ending)] + replacement
                if candidate in self.vocabulary:
                    return candidate
        return None

    def _by_suffix_chain(self, folded: str) -> str | None:
        def chain(rest: str) -> bool:
            return _splits_into(rest, self._suffix_set, self.morphology.depth)

        stem, apostrophe, _ = folded.partition("'")
        if apostrophe and stem:
            # Taliban'ın → taliban; a compound's possessive before the apostrophe too: Formatı'nın → format.
            if stem in self.vocabulary:
                return stem
            return self._stem_by_vocabulary(stem, chain) or stem
        return self._stem_by_vocabulary(folded, chain)

    def _by_suffix(self, folded: str) -> str | None:
        for suffix in self._suffixes:
            if folded.endswith(suffix) and folded[: -len(suffix)] in self.vocabulary:
                return folded[: -len(suffix)]
        return None

    def _by_lemma(self, folded: str) -> str | None:
        if self._analyser is None or not self._analysable.match(folded):
            return None
        lemmas = [fold(p.normal_form) for p in self._analyser.parse(folded)]
        for lemma in lemmas:
            if lemma in self.vocabulary:
                return lemma
        stemmed = self._stem_by_vocabulary(folded, lambda rest: rest in self._suffix_set)
        return stemmed or lemmas[0]

    def _stem_by_vocabulary(self, folded: str, suffix_ok) -> str | None:
        for cut in range(len(folded) - 1, 2, -1):
            stem = folded[:cut]
            if stem in self.vocabulary and suffix_ok(folded[cut:]):
                return stem
        return None
