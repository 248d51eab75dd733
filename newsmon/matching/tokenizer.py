"""A fast tokenizer for the matching pipelines: words (with inner apostrophes and ZWNJ) and single symbols.

spaCy's rule-based tokenizer costs most of the matching time on long articles; matching needs only
consistent word boundaries, the same for the watchlist's phrases and for the text. Words keep inner
apostrophes (``Taliban'ın``, ``Russia's``), zero-width non-joiners (``طالبان‌ها``) and the invisible characters
that sometimes sit inside a name (soft hyphen, zero-width space, word joiner: ``Ka\u00adbulov`` is one word,
which the normaliser reads as ``kabulov``); dots, Persian ، ؛ ؟ and all other punctuation are tokens of their
own, except dots inside abbreviations. Offsets are exact: every token is a slice of the input.

A hashtag's words run together with a capital for each (``#TalibanOurGuardians``, ``#РоссияТалибан``): after a
``#``, a word is read as the words its capitals begin. A language may split a word further (``split``): Persian
writes the preposition به fused to the next word (بهرسمیت), which is read as two tokens, به and رسمیت, when the
second is a watchlist word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["INVISIBLE", "WordTokenizer"]

#: Characters that never show and never separate words: soft hyphen, zero-width space, word joiner, BOM.
INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_WORD = rf"[\w\u064b-\u065f\u0670\u200c\u200d{INVISIBLE}]+"  # letters, digits, Arabic diacritics, ZWNJ/ZWJ
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"                    # abbreviations with dots: U.S., U.N., e.g.
    r"|\d+(?:[.,]\d+)+"                        # 1,000 and 2.5
    rf"|{_WORD}(?:['’ʼ‘]{_WORD})*"             # words, with inner apostrophes: Taliban'ın, Russia's
    r"|\S")                                   # any other character on its own


class WordTokenizer:
    """``nlp.tokenizer`` replacement: regex word boundaries, exact character offsets."""

    def __init__(self, vocab: Vocab, split: Callable[[str], list[str] | None] | None = None):
        self.vocab = vocab
        #: Returns the pieces a word is read as (concatenating to the word), or ``None`` to keep it whole.
        self.split = split

    def __call__(self, text: str) -> Doc:
        words = _TOKEN.findall(text)
        gaps = _TOKEN.split(text)  # one more than words: before the first, between each two, after the last
        words, gaps = _hashtag_words(words, gaps)
        spaces = [gap == " " for gap in gaps[1:]]
        # Any other whitespace (newlines, double spaces, leading blanks) is a token of its own, as in spaCy.
        for index in reversed([i for i, gap in enumerate(gaps) if gap and (gap != " " or i == 0)]):
            gap = gaps[index]
            if index and gap.startswith(" "):
                spaces[index - 1] = True
                gap = gap[1:]
            words.insert(index, gap)
            spaces.insert(index, False)
        if self.split is not None:
            words, spaces = self._split(words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _split(self, words: list[str], spaces: list[bool]) -> tuple[list[str], list[bool]]:
        out_words, out_spaces = [], []
        for word, space in zip(words, spaces):
            pieces = self.split(word) if len(word) > 3 else None
            if pieces:
                out_words += pieces
                out_spaces += [False] * (len(pieces) - 1) + [space]
            else:
                out_words.append(word)
                out_spaces.append(space)
        return out_words, out_spaces


def _hashtag_words(words: list[str], gaps: list[str]) -> tuple[list[str], list[str]]:
    """``words`` with each word right after a ``#`` cut where its capitals begin words, and ``gaps`` to match."""
    if "#" not in words:
        return words, gaps
    out_words, out_gaps = [], [gaps[0]]
    for index, word in enumerate(words):
        pieces = _camel_words(word) if index and words[index - 1] == "#" and not gaps[index] else [word]
        out_words += pieces
        out_gaps += [""] * (len(pieces) - 1) + [gaps[index + 1]]
    return out_words, out_gaps


def _camel_words(word: str) -> list[str]:
    """``word`` cut before each capital that follows a small letter (TalibanOurGuardians: Taliban, Our, Guardians)."""
    cuts = [i for i in range(1, len(word)) if word[i].isupper() and word[i - 1].islower()]
    return [word[start:end] for start, end in zip([0, *cuts], [*cuts, len(word)])]
