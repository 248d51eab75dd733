"""The layout of a text, as the matcher reads it: where one story ends and another begins.

- :func:`story_units` — a digest's bullets, a ticker's lines in capitals and a briefing's questions are stories of
  their own;
- :func:`headline_sentences` — the text's first line, whose context every entry shares;
- :func:`paragraphs` — the paragraph of each sentence: a block of lines between blank lines;
- :func:`opens_with_headline` — whether the first paragraph is a headline;
- :func:`related_lines` — a "read also" line links to another story.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from newsmon.matching.doc_cache import sentence_bounds, text

__all__ = ["headline_sentences", "lists_stories", "opens_with_headline", "paragraphs", "related_lines", "story_units"]

#: Marks that open a bullet line: each bullet of a digest is its own story.
_BULLETS = "•▪●◦■►‣⁃◆▶"
#: A newsletter's rubric: a line opening with a capitalised word of four letters or more and a full stop, its story
#: after it («Кабул. Российское посольство ...», "Banks. Sberbank cut its rates ..."); never the first line, which
#: is the headline («Онлайн. Консультации по Афганистану»).
_RUBRIC = re.compile(r"[^\W\d_][^\W\d_-]{3,}\. +(?=[^\W\d_])")
#: A live blog's entry: a line opening with the time of day and a dash or a space ("16:12 Goal!", "13.15 – Tatbikat",
#: «۱۲:۳۰ — مالک یکی از تیم‌ها»), in any script's digits.
_TIME_STAMP = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*[-–—]\s*|\s+)(?=\S)")
#: A blank line (spaces or tabs on it allowed): the break between two paragraphs.
_BLANK_LINE = re.compile(r"\n(?:[ \t]*\n)+")
#: Most words of a headline's label before its colon ("Regional roundup:", «Обзор недели:»).
_LABEL_WORDS = 6
#: A headline: one line of at most this many words, not closed by a full stop, an ellipsis or a colon.
_HEADLINE_WORDS, _NOT_HEADLINE_ENDS = 25, (".", "…", ":")


def story_units(doc: Doc, questions: tuple[str, ...] = ()) -> list[int]:
    """The story unit of each sentence of ``doc``: 0 for the lead (the text before any bullet or ticker line), then
    one unit per line that opens a new story: a bullet ("• Iran: ...", "■ Orta Asya"), a line all in capitals
    (a ticker's headline), a newsletter's rubric («Кабул. Российское посольство ...»), a live blog's time stamp
    ("16:12 Goal! ...") or a briefing's question (a line opening with one of ``questions`` and a colon or a
    bracket: "Soru (AA): ..."), up to the next such line. A digest's entries, a ticker's headlines and a briefing's
    topics are separate stories: one lends no context to another, while the lead lends it to all."""
    starts = []
    for offset, line in _lines(doc):
        stripped = line.strip()
        head = re.split(r"[:(]", stripped, maxsplit=1)[0].strip() if re.search(r"[:(]", stripped[:40]) else ""
        if stripped and (stripped[0] in _BULLETS or stripped.startswith("- ") or head in questions
                         or _in_capitals(stripped) or (offset and _rubric(stripped)) or _TIME_STAMP.match(stripped)):
            starts.append(offset)
    if not starts:
        return [0] * len(sentence_bounds(doc))
    units, unit = [], 0
    for start, _ in sentence_bounds(doc):
        while unit < len(starts) and starts[unit] <= doc[start].idx:
            unit += 1
        units.append(unit)
    return units


def headline_sentences(doc: Doc) -> set[int]:
    """The sentences of the text's first line, its headline («Онлайн. Консультации по Афганистану»): what lends its
    context to every entry of a digest, however far down."""
    newline = text(doc).find("\n")
    first_line_end = newline if newline >= 0 else len(text(doc))
    return {index for index, (start, _) in enumerate(sentence_bounds(doc)) if doc[start].idx < first_line_end}


def paragraphs(doc: Doc) -> list[int]:
    """The paragraph of each sentence of ``doc``, counted from 0: the paragraphs of a text are its blocks of lines
    between blank lines, as the extractors join an article's paragraphs and as a writer types them. A text of one
    block is one paragraph."""
    if "paragraphs" not in doc.user_data:
        breaks = [match.start() for match in _BLANK_LINE.finditer(text(doc))]
        result, paragraph = [], 0
        for start, _ in sentence_bounds(doc):
            while paragraph < len(breaks) and breaks[paragraph] < doc[start].idx:
                paragraph += 1
            result.append(paragraph)
        doc.user_data["paragraphs"] = result
    return doc.user_data["paragraphs"]


def opens_with_headline(doc: Doc) -> bool:
    """Whether the text's first paragraph is a headline: a single line of a few words that no full stop closes
    ("Week in Eurasia: Russian crude flows east, Dutch ports on alert"), then a blank line. An article's body, as the
    extractors give it, opens with its lead instead."""
    head, more = _first_paragraph(doc)
    return more and bool(head) and "\n" not in head and len(head.split()) <= _HEADLINE_WORDS \
        and not head.endswith(_NOT_HEADLINE_ENDS)


def lists_stories(doc: Doc, conjunctions: frozenset[str]) -> bool:
    """Whether the text's headline lists several stories, as a roundup's does ("Regional roundup: floods in Baghlan,
    Euroclear's windfall and a banana-box cocaine haul"): a list joined by commas, semicolons or the language's
    conjunctions, of three items or more, or of two after a label and its colon ("Week in Eurasia: Russian crude
    flows east, Dutch ports on alert"), each item of two words or more. A list of names ("Russia, China and Iran urge
    the Taliban ...") is one story's subject, and two clauses ("Russia's top court lifts Taliban ban, but Kremlin
    says ...", a Turkish headline's comma after its subject) are one story's."""
    head, _ = _first_paragraph(doc)
    label, colon, rest = head.partition(":")
    labelled = bool(colon) and len(label.split()) <= _LABEL_WORDS
    body = rest if labelled else head
    items = [item.split() for item in re.split(r"[,;،؛]", body)]
    if len(items) < 2:
        return False
    # (the last item holds the list's last conjunction, "A, B and C"; the others' conjunctions join their words)
    last = items.pop()
    cut = next((index for index, word in enumerate(last) if index and word.lower() in conjunctions), None)
    items += [last] if cut is None else [last[:cut], last[cut + 1:]]
    items = [words for words in items if words]
    return len(items) >= (2 if labelled else 3) and all(len(words) >= 2 for words in items)


def _first_paragraph(doc: Doc) -> tuple[str, bool]:
    """The text's first paragraph (stripped), and whether another follows it."""
    first = _BLANK_LINE.split(text(doc), maxsplit=1)
    return first[0].strip(), len(first) == 2


def _rubric(line: str) -> bool:
    """Whether ``line`` opens with a newsletter's rubric: a capitalised word and a full stop, then a capital."""
    match = _RUBRIC.match(line)
    return match is not None and line[0].isupper() and line[match.end()].isupper()


def _in_capitals(line: str) -> bool:
    """Whether every letter of ``line`` is a capital, and it has three letters or more (read up to the first letter
    that is not a capital)."""
    letters = 0
    for ch in line:
        if ch.isalpha():
            if not ch.isupper():
                return False
            letters += 1
    return letters >= 3


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
    for line in text(doc).split("\n"):
        yield offset, line
        offset += len(line) + 1
