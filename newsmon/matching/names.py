"""Whose name a one-word match is. A person's surname, or a capital's name, right after another given name is
another person's: "Igor Zhirnov", «Андрей Лавров», "Sardor Kabulov", "Curtis Washington".

A given name is known from the language's dictionary where it tags given names (Russian, pymorphy3). There the rule
holds for every actor's one-word name, so «Шамиль Талибов» is a wrestler, not the Taliban. Elsewhere it is known from
the word's shape: capitalised (at a sentence's start only where openers take a comma), not a stop word, a month or
a title (:attr:`~newsmon.languages.LanguageProfile.name_titles`), not one of the names the text matched, and not
inside a run of capitalised words (a headline's title case, "Foreign Minister Lavrov"). The shape is evidence enough only
before a person's surname or a capital's name, the names that are surnames too. Scripts without capitals (Persian)
list their namesakes under the actor's ``not``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsmon.languages import profile
from newsmon.matching.build import LanguageMatcher
from newsmon.matching.normalize import Normalizer

__all__ = ["another_persons_name", "without_namesakes"]

#: The endings of a patronymic written in the Latin script, which may stand between the given name and the surname
#: ("Zamir Nabievich Kabulov").
_PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna")
_POSSESSIVES = ("'s", "’s")
#: Letters at the start of a given name that its transliterations share (Sergey, Sergei, Serguei).
_SAME_NAME_LETTERS = 3


def without_namesakes(doc: Doc, matcher: LanguageMatcher, candidates: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
    """The actor matches (span, kind) without the namesakes' surnames (:func:`another_persons_name`), and without the
    same surname alone later in the text: a person's, unless the text names the person in full ("Sardor Kabulov won
    gold ... Kabulov beat his opponent"); another actor's word, where it is written capitalised inside a sentence
    («Ринат Талибов ... Сам Талибов»)."""
    normalizer = matcher.nlp.get_pipe("watchlist_normalizer").normalizer
    matched = {i for span, _ in candidates for i in range(span.start, span.end)}
    namesakes = [span for span, kind in candidates if another_persons_name(doc, span, kind, matcher, matched, normalizer)]
    if not namesakes:
        return candidates
    persons = {span.label_ for span in namesakes if span.label_ in matcher.own_names} \
        - {span.label_ for span, _ in candidates if len(span) > 1}
    surnames = {(span.label_, span[0].norm_) for span in namesakes if span.label_ not in matcher.own_names}

    def again(span: Span) -> bool:
        return len(span) == 1 and (span.label_ in persons or (
            (span.label_, span[0].norm_) in surnames and span[0].text[:1].isupper() and not span[0].is_sent_start))

    return [(span, kind) for span, kind in candidates if span not in namesakes and not again(span)]


def another_persons_name(doc: Doc, span: Span, kind: str, matcher: LanguageMatcher, matched: set[int],
                         normalizer: Normalizer) -> bool:
    """Whether the one-word match ``span`` (an actor's name of ``kind``) is another person's surname: written
    capitalised, right after a given name (a patronymic may stand between) that is not the actor's own.
    ``matched`` holds the positions of the words the text matched as names (they are no given name)."""
    if len(span) != 1 or not _capitalised(span[0].text):
        return False
    if not normalizer.tags_names and not (kind == "government" or span.label_ in matcher.own_names):
        return False
    # (a state's name the dictionary reads as a place is no surname, whatever stands before it: «Халк Маслахаты
    # Туркменистана», the parliament of Turkmenistan; a capital's name may be one, «Дензел Вашингтон»)
    if kind != "government" and span.label_ not in matcher.own_names \
            and normalizer.name_part(span[0].text) == "place":
        return False
    index = span.start - 1
    if index > 0 and _patronymic(doc[index], normalizer.name_part(doc[index].text)):
        index -= 1
    if index < 0 or index in matched or _own_name(doc[index].norm_, matcher.own_names.get(span.label_, ())):
        return False
    token = doc[index]
    part = normalizer.name_part(token.text)
    if part is not None:
        return part == "given" and _capitalised(token.text)
    return _shaped_as_given_name(doc, token, matcher)


def _own_name(key: str, own: frozenset[str]) -> bool:
    """Whether ``key`` is one of the person's given names, in any transliteration: the first letters tell them apart
    (Dmitrii and Dmitriy Zhirnov are the ambassador, Igor Zhirnov is not)."""
    return any(key[:_SAME_NAME_LETTERS] == name[:_SAME_NAME_LETTERS] for name in own)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _patronymic(token: Token, part: str | None) -> bool:
    return part == "patronymic" if part is not None else \
        _capitalised(token.text) and token.text.lower().endswith(_PATRONYMIC_ENDINGS)


def _shaped_as_given_name(doc: Doc, token: Token, matcher: LanguageMatcher) -> bool:
    """A capitalised word that is no stop word, month, weekday or title, after a word that is not capitalised (in
    "Foreign Minister Lavrov" and a headline's title case, capitals run), or at a sentence's start where the
    language sets its openers off with a comma (a sentence's first word is capitalised whatever it is: Turkish
    "Görüşmede Muttaki", in the meeting)."""
    language = profile(matcher.lang)
    word = token.text
    if not (word.isalpha() and len(word) > 1 and _capitalised(word)) or word in language.calendar_words \
            or word.lower() in matcher.nlp.Defaults.stop_words or word.lower() in language.name_titles:
        return False
    if token.i == 0 or token.is_sent_start or "\n" in doc[token.i - 1].whitespace_ or doc[token.i - 1].is_space:
        return language.openers_take_comma
    before = doc[token.i - 1].text  # (a possessive is no part of a run: "Uzbekistan's Bekzod Kabulov")
    return not (before[:1].isupper() or before[:1].isdigit()) or before.endswith(_POSSESSIVES)
