"""Per-language normalised keys for tokens, so that inflected and variant spellings meet their entry.

``fold`` removes what never distinguishes two names (case, Turkish dotted/dotless i, Latin diacritics,
Persian/Arabic letter variants, diacritics, tatweel, ZWNJ, digits). A :class:`Normalizer` then maps an
inflected word to its watchlist form: Russian through pymorphy3 lemmas (preferring readings that are
watchlist words), Turkish by stripping case and plural suffixes (after an apostrophe or not), Persian by
stripping plural and ezafe suffixes, English by stripping plurals, possessives and verb endings. Suffixes are
only stripped when what remains is a watchlist word, so ``Kabulov`` never becomes ``Kabul``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["Normalizer", "fold"]

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
_PERSIAN = str.maketrans({
    "ي": "ی", "ى": "ی", "ئ": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ؤ": "و", "\u0640": None, "\u200c": None, "\u200d": None, "\u200f": None, "\u200e": None,
    **{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)},
})
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_DASHES = re.compile("[\u2010-\u2015\u2212]")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case- and variant-fold ``text`` the same way for every language."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = text.replace("İ", "i").replace("I", "i").replace("ı", "i").lower()
    text = _DASHES.sub("-", text.replace("ё", "е"))
    if any("\u0600" <= ch <= "\u06ff" for ch in text):
        text = _ARABIC_MARKS.sub("", text).translate(_PERSIAN)
    if any("\u00c0" <= ch <= "\u024f" for ch in text):
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text


# Turkish case, plural, possessive and derivational suffixes, folded (ı→i, ü→u, ö→o, ş→s, ç→c, ğ→g).
_TR_SUFFIXES = frozenset(
    "lar ler in un nin nun i u yi yu a e ya ye na ne da de ta te nda nde dan den tan ten ndan nden "
    "la le yla yle ki si su ni nu yla ile daki deki taki teki ndaki ndeki li lu dir tir dur tur "
    "sin sun yken".split())
_EN_ENDINGS = (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
               ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e"))
_FA_SUFFIXES = ("هایی", "های", "ها", "ای", "یی", "ی", "ان", "اش", "شان", "تان", "مان", "ست", "ه")
_RU_ENDINGS = frozenset("а у ом ым ым е ы ов ам ами ах ой ою ей ем ю я и ого ему ом ая ую ие их ыми ими".split())
_RU_WORD = re.compile(r"^[а-яе-]+$")


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
        self._morph = None
        if lang == "ru":
            import pymorphy3

            self._morph = pymorphy3.MorphAnalyzer()
        self.key = lru_cache(maxsize=200_000)(self._key)

    def _fold(self, token: str) -> str:
        """Fold, and drop the English possessive clitic, which is never part of a name ("Russia's")."""
        folded = fold(token)
        if self.lang == "en" and len(folded) > 3 and folded.endswith(("'s", "'")):
            folded = folded[:-2] if folded.endswith("'s") else folded[:-1]
        return folded

    def base(self, token: str) -> str:
        """The vocabulary-independent key: folded, and for Russian lemmatised."""
        folded = self._fold(token)
        if self.lang == "tr" and "'" in folded.strip("'"):
            folded = folded.split("'")[0]
        folded = folded.strip("'")
        abbreviation = token.isupper() and len(token) <= 6  # СВО, ШОС, США: never lemmatise (СВО → свой)
        if self._morph is not None and _RU_WORD.match(folded) and not abbreviation:
            return self._morph.parse(folded)[0].normal_form.replace("ё", "е")
        return folded

    def _key(self, token: str) -> str:
        folded = self._fold(token)
        if folded in self.vocabulary:
            return folded
        method = getattr(self, f"_key_{self.lang}", None)
        key = method(folded) if method else folded
        return key if key is not None else self.base(token)

    def _key_en(self, folded: str) -> str | None:
        for ending, replacement in _EN_ENDINGS:
            if folded.endswith(ending) and len(folded) - len(ending) >= 3:
                candidate = folded[: len(folded) - len(ending)] + replacement
                if candidate in self.vocabulary:
                    return candidate
        return None

    def _key_tr(self, folded: str) -> str | None:
        stem, apostrophe, _ = folded.partition("'")
        if apostrophe and stem:
            # Taliban'ın → taliban; a compound's possessive before the apostrophe too: Formatı'nın → format.
            if stem in self.vocabulary:
                return stem
            return self._stem_by_vocabulary(stem, lambda rest: _splits_into(rest, _TR_SUFFIXES)) or stem
        return self._stem_by_vocabulary(folded, lambda rest: _splits_into(rest, _TR_SUFFIXES))

    def _key_fa(self, folded: str) -> str | None:
        for suffix in _FA_SUFFIXES:
            if folded.endswith(suffix) and folded[: -len(suffix)] in self.vocabulary:
                return folded[: -len(suffix)]
        return None

    def _key_ru(self, folded: str) -> str | None:
        if self._morph is None or not _RU_WORD.match(folded):
            return None
        lemmas = [p.normal_form.replace("ё", "е") for p in self._morph.parse(folded)]
        for lemma in lemmas:
            if lemma in self.vocabulary:
                return lemma
        stemmed = self._stem_by_vocabulary(folded, lambda rest: rest in _RU_ENDINGS)
        return stemmed or lemmas[0]

    def _stem_by_vocabulary(self, folded: str, suffix_ok) -> str | None:
        for cut in range(len(folded) - 1, 2, -1):
            stem = folded[:cut]
            if stem in self.vocabulary and suffix_ok(folded[cut:]):
                return stem
        return None
