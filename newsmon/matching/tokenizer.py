"""A fast tokenizer for the matching pipelines: words (with inner apostrophes and ZWNJ) and single symbols.

spaCy's rule-based tokenizer costs most of the matching time on long articles; matching needs only
consistent word boundaries, the same for the watchlist's phrases and for the text. Words keep inner
apostrophes (``Taliban'ın``, ``Russia's``) and zero-width non-joiners (``طالبان‌ها``); hyphens, dots and all
other punctuation (Persian ، ؛ ؟ included) are tokens of their own, except dots inside abbreviations, so ``Taliban-led`` and ``Аль-Каида`` split the same way in
phrases and texts. Offsets are exact: every token is a slice of the input.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["WordTokenizer"]

_WORD = r"[\w\u064b-\u065f\u0670\u200c\u200d]+"  # letters, digits, Arabic diacritics, ZWNJ/ZWJ
_TOKEN = re.compile(
    r"(?:[^\W\d_]\.){2,}"                    # abbreviations with dots: U.S., U.N., e.g.
    r"|\d+(?:[.,]\d+)+"                        # 1,000 and 2.5
    rf"|{_WORD}(?:['’ʼ‘]{_WORD})*"             # words, with inner apostrophes: Taliban'ın, Russia's
    r"|\S")                                   # any other character on its own


class WordTokenizer:
    """``nlp.tokenizer`` replacement: regex word boundaries, exact character offsets."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = _TOKEN.findall(text)
        gaps = _TOKEN.split(text)  # one more than words: before the first, between each two, after the last
        spaces = [gap == " " for gap in gaps[1:]]
        # Any other whitespace (newlines, double spaces, leading blanks) is a token of its own, as in spaCy.
        for index in reversed([i for i, gap in enumerate(gaps) if gap and (gap != " " or i == 0)]):
            gap = gaps[index]
            if index and gap.startswith(" "):
                spaces[index - 1] = True
                gap = gap[1:]
            words.insert(index, gap)
            spaces.insert(index, False)
        return Doc(self.vocab, words=words, spaces=spaces)
