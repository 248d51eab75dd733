"""The layout of a text, as the matcher reads it: where one story ends and another begins.

- :func:`story_units` — a digest's bullets, a ticker's lines in capitals and a briefing's questions are stories of
  their own;
- :func:`related_lines` — a "read also" line links to another story.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

__all__ = ["related_lines", "story_units"]

#: Marks that open a bullet line: each bullet of a digest is its own story.
_BULLETS = "•▪●◦■►‣⁃◆▶"


def story_units(doc: Doc, questions: tuple[str, ...] = ()) -> list[int]:
    """The story unit of each sentence of ``doc``: 0 for the lead (the text before any bullet or ticker line), then
    one unit per line that opens a new story: a bullet ("• Iran: ...", "■ Orta Asya"), a line all in capitals
    (a ticker's headline) or a briefing's question (a line opening with one of ``questions`` and a colon or a
    bracket: "Soru (AA): ..."), up to the next such line. A digest's entries, a ticker's headlines and a briefing's
    topics are separate stories: one lends no context to another, while the lead lends it to all."""
    starts = []
    for offset, line in _lines(doc):
        stripped = line.strip()
        letters = [ch for ch in stripped if ch.isalpha()]
        head = re.split(r"[:(]", stripped, maxsplit=1)[0].strip() if re.search(r"[:(]", stripped[:40]) else ""
        if stripped and (stripped[0] in _BULLETS or stripped.startswith("- ") or head in questions
                         or (len(letters) >= 3 and all(ch.isupper() for ch in letters))):
            starts.append(offset)
    units, unit = [], 0
    for sentence in doc.sents:
        while unit < len(starts) and starts[unit] <= sentence.start_char:
            unit += 1
        units.append(unit)
    return units


def related_lines(doc: Doc, labels: tuple[str, ...]) -> list[Span]:
    """Lines that link to another story ("Also read: Trump warns Moscow over the Ukraine war", «Читайте также: ...»):
    a line opening with one of the language's ``related_labels`` and a colon. Its words are another story's."""
    folded = tuple(label.casefold() for label in labels)
    spans = []
    for offset, line in _lines(doc):
        head, colon, _ = line.strip().partition(":")
        if colon and head.strip().casefold() in folded:
            span = doc.char_span(offset, offset + len(line), alignment_mode="expand")
            if span is not None:
                spans.append(span)
    return spans


def _lines(doc: Doc):
    """Each line of the text with the offset of its first character."""
    offset = 0
    for line in doc.text.split("\n"):
        yield offset, line
        offset += len(line) + 1
