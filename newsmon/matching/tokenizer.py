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
        words, spaces = [], []
        matches = list(_TOKEN.finditer(text))
        for index, match in enumerate(matches):
            end = match.end()
            following = matches[index + 1].start() if index + 1 < len(matches) else len(text)
            gap = text[end:following]
            if gap and not gap.isspace():  # cannot happen with this pattern; keep offsets exact regardless
                raise ValueError(f"tokenizer skipped {gap!r}")
            words.append(match.group())
            spaces.append(gap == " ")
            if gap and gap != " ":
                words.append(gap[1:] if gap.startswith(" ") else gap)
                spaces.append(False)
                if gap.startswith(" "):
                    spaces[-2] = True
        leading = text[: matches[0].start()] if matches else text
        if leading:
            words.insert(0, leading)
            spaces.insert(0, False)
        return Doc(self.vocab, words=words, spaces=spaces)
