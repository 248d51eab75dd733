"""Per-language normalised keys for tokens, so that inflected and variant spellings meet their entry.

``fold`` removes what never distinguishes two names, by script (:data:`newsmon.languages.SCRIPTS`): case
(Turkish dotted/dotless i included), Latin diacritics, Persian/Arabic letter variants, diacritics, tatweel,
ZWNJ, digits; invisible characters inside a word (soft hyphen, zero-width space); and Latin/Cyrillic look-alike
letters mixed into a word (a Cyrillic К in ``Кabulov``, a Latin ``o`` in ``Кабулоv``), which are read in the
word's majority script. A :class:`Normalizer` then maps an inflected word to its watchlist form by its language's
:class:`~newsmon.languages.Morphology`: lemmas (Russian, pymorphy3, preferring readings that are watchlist
words), a chain of suffixes (Turkish, after an apostrophe or not), one suffix (Persian plural and ezafe), or
one ending (English plurals and verb endings, after the possessive clitic). A word is only cut back when what
remains is a watchlist word, so ``Kabulov`` never becomes ``Kabul``. Abbreviations of the watchlist (СВО, ШОС,
ABD) are whole words: a word is only read as one when it is written in capitals (``ABD'nin`` is, ``свои`` is never
cut back to ``сво``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsmon.languages import SCRIPTS, profile
from newsmon.matching.tokenizer import INVISIBLE

__all__ = ["LOWER_CASE_MARK", "Normalizer", "fold", "is_abbreviation"]

#: Appended to the key of a lower-case word that only looks like a capitalised-only name (an invisible separator:
#: the lower-case word is another word).
LOWER_CASE_MARK = "\u2063"

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
#: Double quotes of every typography read as one: «Талибан», "Талибан" and „Талибан“ are the same listed phrase.
_QUOTES = str.maketrans(dict.fromkeys("«»“”„‟″", '"'))
_DASHES = re.compile("[\u2010-\u2015\u2212]")
_CASE_FOLDS = str.maketrans({k: v for script in SCRIPTS.values() for k, v in script.case_folds.items()})
#: Per script, in table order: what triggers it, its marks to drop and its folds; decomposition last.
_SCRIPT_FOLDS = [(re.compile(script.block), re.compile(script.marks) if script.marks else None,
                  str.maketrans(script.folds)) for script in SCRIPTS.values() if script.block and (script.folds or script.marks)]
_DECOMPOSE = [re.compile(script.block) for script in SCRIPTS.values() if script.block and script.decompose]
_INVISIBLE = str.maketrans(dict.fromkeys(INVISIBLE))
#: Latin and Cyrillic letters that look the same: a word mixing the two scripts is read in its majority script.
_LOOKALIKES = ("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")
_TO_CYRILLIC = str.maketrans(_LOOKALIKES[0], _LOOKALIKES[1])
_TO_LATIN = str.maketrans(_LOOKALIKES[1], _LOOKALIKES[0])
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _one_script(text: str) -> str:
    """A word mixing Latin and Cyrillic letters, with its look-alike letters in the majority script."""
    latin, cyrillic = len(_LATIN.findall(text)), len(_CYRILLIC.findall(text))
    if not latin or not cyrillic:
        return text
    return text.translate(_TO_LATIN if latin > cyrillic else _TO_CYRILLIC)


#: The least probability (pymorphy3's score) of a reading as a given name or patronymic that counts.
_NAME_SCORE = 0.1


@lru_cache(maxsize=1)
def _pymorphy():
    """One pymorphy3 analyser per process (loading its dictionaries takes a while)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def is_abbreviation(token: str) -> bool:
    """A watchlist token written in capitals (two to six letters): matched only as a capitalised word."""
    # (a suffix after an apostrophe is not part of it: ABD'nin is the abbreviation ABD)
    letters = [ch for ch in re.split("['’ʼ]", token)[0] if ch.isalpha()]
    return 2 <= len(letters) <= 6 and all(ch.isupper() for ch in letters)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case- and variant-fold ``text`` the same way for every language."""
    text = _one_script(unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_APOSTROPHES)
                       .translate(_QUOTES))
    text = text.translate(_CASE_FOLDS).lower()
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

    def __init__(self, lang: str, vocabulary: frozenset[str] = frozenset(),
                 abbreviations: frozenset[str] = frozenset()):
        self.lang = lang
        #: The watchlist's word keys: what an inflected word may be cut back to.
        self.vocabulary = vocabulary
        #: The watchlist's abbreviation keys (СВО → сво): whole capitalised words only, never a stem.
        self.abbreviations = abbreviations
        #: Keys of proper names (Лавров): a word written in lower case (лавров, "of laurels") is not the name.
        self.proper: frozenset[str] = frozenset()
        language = profile(lang)
        self.morphology = language.morphology
        self._suffix_set = frozenset(suffix for suffix, _ in self.morphology.suffixes)
        self._suffix_min_stems = dict(self.morphology.suffix_min_stems)
        self._spellings = [(re.compile(pattern), repl) for pattern, repl in self.morphology.spellings]
        self._analyser = None
        self._analysable = re.compile(f"^(?:{language.alphabet.lower()}|-)+$")
        if self.morphology.analyser == "pymorphy3":
            self._analyser = _pymorphy()
        self._strategy = {"endings": self._by_ending, "suffix-chain": self._by_suffix_chain,
                          "suffixes": self._by_suffix, "lemmas": self._by_lemma}[self.morphology.kind]
        self.key = lru_cache(maxsize=200_000)(self._key)
        self.name_part = lru_cache(maxsize=20_000)(self._name_part)

    def split(self, word: str) -> list[str] | None:
        """``word`` as two tokens when it is a fused prefix and a watchlist word (بهرسمیت → به, رسمیت); else None.
        A word that is itself a listed word, inflected or not, is never split: میزبانی (hosting) is no می and زبان."""
        morphology = self.morphology
        if self.key(word) in self.vocabulary:
            return None
        for prefix, min_rest in [*((p, 2) for p in morphology.prefixes),
                                 *((p, morphology.verb_min_rest) for p in morphology.verb_prefixes)]:
            rest = word[len(prefix):]
            if word.lower().startswith(prefix) and len(rest.lstrip("\u200c")) >= min_rest:
                head = prefix + ("\u200c" if rest.startswith("\u200c") else "")
                if self.key(word[len(head):]) in self.vocabulary:
                    return [head, word[len(head):]]
        return None

    def _fold(self, token: str) -> str:
        """Fold, bring a spelling family to one spelling, and drop a clitic that is never part of a name (the
        English possessive: "Russia's")."""
        folded = fold(token)
        for pattern, repl in self._spellings:
            folded = pattern.sub(repl, folded)
        for clitic in self.morphology.clitics:
            if len(folded) > 3 and folded.endswith(clitic):
                return folded[: -len(clitic)]
        return folded

    def fold_only(self, token: str) -> str:
        """The folded form of ``token`` as written (no morphology): how a false friend is kept."""
        return self._fold(token)

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

    @property
    def tags_names(self) -> bool:
        """Whether the language's dictionary tags given names (:meth:`name_part` answers)."""
        return self._analyser is not None

    def _name_part(self, token: str) -> str | None:
        """What the language's dictionary says ``token`` is in a person's name: ``"given"`` (Андрей), ``"patronymic"``
        (Викторович), ``"place"`` (a place name first: Туркменистана, Индии) or ``""`` (none of them); None where the
        language has no dictionary."""
        if self._analyser is None or not self._analysable.match(token.lower()):
            return None
        parses = self._analyser.parse(token)
        if "Surn" in parses[0].tag:  # (Лавров: a surname first, and only then the plural of the name Лавр)
            return ""
        if "Geox" in parses[0].tag:
            return "place"
        # (a reading the dictionary itself deems unlikely is none: Из, "from", is also a form of the name Иза)
        tags = {tag for parse in parses if parse.score >= _NAME_SCORE for tag in ("Name", "Patr") if tag in parse.tag}
        return "given" if "Name" in tags else "patronymic" if "Patr" in tags else ""

    def reduce(self, folded: str) -> str | None:
        """The vocabulary word the morphology cuts the folded word ``folded`` back to, if any."""
        reduced = self._strategy(folded)
        return reduced if reduced is not None and reduced != folded else None

    def _key(self, token: str) -> str:
        key = self._word_key(token)
        if self.proper and key in self.proper and token[:1].islower():
            return key + LOWER_CASE_MARK
        return key

    def _word_key(self, token: str) -> str:
        folded = self._fold(token)
        if self.abbreviations and not token.islower():
            bare = folded.split("'")[0] if self.morphology.kind == "suffix-chain" else folded
            if bare in self.abbreviations:
                return bare
        if folded in self.vocabulary:
            return folded
        key = self._strategy(folded) or self._short_root(token, folded)
        return key if key is not None else self.base(token)

    def _short_root(self, token: str, folded: str) -> str | None:
        """The listed verb root of two letters ``token`` is a form of (alınması → al), read as written: folding
        would make acıyor (it hurts) a form of aç- (open)."""
        written = token.lower()
        for root in self.morphology.short_roots:
            key = fold(root)
            if written.startswith(root) and key in self.vocabulary \
                    and _splits_into(folded[len(key):], self._suffix_set, self.morphology.depth):
                return key
        return None

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

    def _by_suffix(self, folded: str, outer: bool = True) -> str | None:
        for suffix, replacement in self.morphology.suffixes:
            stem = folded[: len(folded) - len(suffix)]
            # (a replacement rebuilds a verb's infinitive from its stem: never from a stem too short to be one, بی;
            # and no suffix is cut down to one letter: میدان‌های, fields, is no plural of د, "of" in د افغانستان بانک)
            if folded.endswith(suffix) and len(stem) > 1 and (not replacement or len(stem) >= self.morphology.min_stem) \
                    and len(stem) >= self._suffix_min_stems.get(suffix, 0):
                if stem + replacement in self.vocabulary:
                    return stem + replacement
        if outer:  # a plural or possessive after another suffix: آمریکایی‌ها → آمریکایی → آمریکا
            for suffix in self.morphology.stackable:
                stem = folded[: len(folded) - len(suffix)]
                if folded.endswith(suffix) and len(stem) >= max(self.morphology.min_stem,
                                                                self._suffix_min_stems.get(suffix, 0)):
                    if found := self._by_suffix(stem, outer=False):
                        return found
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
            if not suffix_ok(folded[cut:]):
                continue
            if stem in self.vocabulary:
                return stem
            for before_suffix, base in self.morphology.alternations:  # büyükelçiliği → büyükelçilik
                if stem.endswith(before_suffix) and (alternate := stem[:-1] + base) in self.vocabulary:
                    return alternate
            narrowing, vowels = self.morphology.narrowing  # sağlıyor → sağla; imzalıyor → imzala → imza
            if len(stem) >= self.morphology.min_stem and folded[cut:].startswith(narrowing):
                for vowel in vowels:
                    if stem + vowel in self.vocabulary:
                        return stem + vowel
                    if found := self._stem_by_vocabulary(stem + vowel, suffix_ok):
                        return found
        return None
