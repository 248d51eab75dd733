"""What the rules ask of a doc's tokens again and again, computed once per doc from its arrays and kept in
``doc.user_data``: the text, each token's text, each token's sentence and each sentence's bounds.

A :class:`~spacy.tokens.Token` object per question costs more than most of the rules' own tests: a 1,000-word
article used to build six Token objects per word for these questions alone.
"""

from __future__ import annotations

from spacy.attrs import ORTH, SENT_START, SPACY
from spacy.tokens import Doc

__all__ = ["sentence_bounds", "sentence_of", "text", "texts"]


def text(doc: Doc) -> str:
    """``doc.text``, which spaCy joins anew from a Token object per word each time it is read."""
    if "text" not in doc.user_data:
        doc.user_data["text"] = "".join(word + " " if space else word
                                        for word, space in zip(texts(doc), doc.to_array(SPACY).tolist()))
    return doc.user_data["text"]


def texts(doc: Doc) -> list[str]:
    """The text of each token of ``doc``."""
    if "texts" not in doc.user_data:
        strings = doc.vocab.strings
        doc.user_data["texts"] = [strings[orth] for orth in doc.to_array(ORTH).tolist()]
    return doc.user_data["texts"]


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """``(start, end)`` token indices of each sentence of ``doc``, as ``doc.sents`` gives them: a sentence opens at
    the first token and at each token whose ``sent_start`` is 1."""
    if "sentence_bounds" not in doc.user_data:
        opens = [index for index, flag in enumerate(doc.to_array(SENT_START).tolist()) if flag == 1 and index]
        starts = [0, *opens]
        doc.user_data["sentence_bounds"] = [(start, end) for start, end in zip(starts, [*opens, len(doc)])
                                            if start < end] if len(doc) else []
    return doc.user_data["sentence_bounds"]


def sentence_of(doc: Doc) -> list[int]:
    """The index (into :func:`sentence_bounds`) of the sentence of each token of ``doc``."""
    if "sentence_of" not in doc.user_data:
        doc.user_data["sentence_of"] = [index for index, (start, end) in enumerate(sentence_bounds(doc))
                                        for _ in range(start, end)]
    return doc.user_data["sentence_of"]
