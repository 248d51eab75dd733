"""The rules that decide the hard cases on a matched document, each a small function over spans.

- :func:`is_place` — a capital that is a place, not the government (datelines, "in Moscow", "Moscow metro",
  Turkish case endings such as Moskova'da);
- :func:`town_in_region` — any name that is a town of another country ("Moscow, Idaho", "China, Maine");
- :func:`construction_triggers` — a construction's two parts within its window;
- :func:`is_located` — whether a sense rule's word says where something is;
- :func:`notices` — the disclaimers some media must print after a name, in brackets, a footnote or an apposition;
- :func:`capital_only_by_position`, :func:`common_phrase` — a capital that is no evidence of a name;
- :func:`spelt_out_as_another` — an abbreviation the text defines as another name ("International Energy Agency
  (IEA)") is that name;
- :func:`within` — a yielding theme's word inside or next to the stronger theme's words;
- :func:`told_apart`, :func:`glossed_as_look_alike` — a bare name that is the actor's own beside a look-alike's name,
  or the look-alike's, glossed by it ("also known as");
- :func:`adjective_kept` — a people's adjective names its state right next to a state's noun;
- :func:`titled_kept` — a surname that is also a word counts next to a title, after the full name or with its people;
- :func:`mention` — the :class:`~newsmon.models.Mention` of a span, surface and snippet from the original text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from spacy.attrs import NORM, ORTH
from spacy.tokens import Doc, Span, Token

from newsmon.languages import profile
from newsmon.matching.build import LanguageMatcher
from newsmon.matching.doc_cache import sentence_bounds, sentence_of, texts
from newsmon.matching.normalize import LOWER_CASE_MARK
from newsmon.matching.tokenizer import INVISIBLE
from newsmon.models import Mention

__all__ = ["YIELD_GAP", "adjective_kept", "capital_only_by_position", "common_phrase", "construction_triggers", "crosses_sentence", "is_located",
           "is_place", "mention", "notices", "overlaps", "spans_by_label", "spelt_out_as_another", "titled_kept", "token_gap",
           "town_in_region", "within"]

_SNIPPET_CHARS = 240
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
_DATELINE_PUNCTUATION = {",", ".", "—", "-", "–", "(", ":", "/"}
#: ... of which these end a sentence's subject too ("Moskova, ..." is the government; "Москва. 5 октября." is a
#: dateline): after them a date or an agency's dash must follow.
_DATELINE_LIST_MARKS = {",", "."}
#: Tokens after a dateline's comma within which its date or agency dash comes ("MOSCOW, Nov 3 (Reuters) —").
_DATELINE_TAIL = 5
#: A dateline whose agency is joined to the city by dashes, as the text writes it (the hyphens inside a word are read as
#: spaces before matching): «تهران-ایرنا-», "MOSCOW-TASS-".
_DASHED_DATELINE = re.compile(r"\s*[-–—]\s*[^\W\d_]+\s*[-–—]")


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def spans_by_label(doc: Doc, matches) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = defaultdict(list)
    for match_id, start, end in matches:
        spans[doc.vocab.strings[match_id]].append(Span(doc, start, end))
    return spans


def is_place(doc: Doc, span: Span, matcher: LanguageMatcher) -> bool:
    """Whether a city name (Moscow, Москва, مسکو) is used as a place rather than as the government."""
    previous = doc[span.start - 1] if span.start > 0 else None
    following = doc[span.end] if span.end < len(doc) else None
    # A dateline: "MOSCOW, Nov 3 —", "MOSKOVA (AA) -" at the start of the text or of a line. After a comma, a date
    # or an agency's dash must follow: a sentence may open with its subject and a comma ("Moskova, Kabil'deki
    # yönetimle ilişkilerini ... ilk başkent oldu": Moscow, the government).
    at_line_start = previous is None or previous.is_space or "\n" in previous.whitespace_
    if at_line_start and following is not None and following.text in _DATELINE_PUNCTUATION \
            and span[-1].norm_ not in matcher.place_not_dateline:
        if following.text not in _DATELINE_LIST_MARKS:
            return True
        after = doc[span.end + 1: span.end + 1 + _DATELINE_TAIL]
        if any(token.like_num or token.text in _DATELINE_PUNCTUATION for token in after):
            return True
    # (a dash with a space after it is read as an invisible mark at the end of the name: the raw text has the dash)
    if at_line_start and _DASHED_DATELINE.match(doc.user_data.get("raw", doc.text),
                                                span.start_char + len(span.text.rstrip(INVISIBLE))):
        return True
    if any(span.start >= len(agent) and tuple(t.norm_ for t in doc[span.start - len(agent):span.start]) == agent
           for agent in matcher.place_agent):
        return False  # "از سوی مسکو", by Moscow: the agent
    if previous is not None and previous.norm_ in matcher.place_building and span.start >= 2:
        previous = doc[span.start - 2]  # "در کاخ کرملین": the place word comes before the building's
    if previous is not None and previous.norm_ in matcher.place_before:
        return True
    language = profile(matcher.lang)
    # a name in a list joined by commas or a conjunction shares the place word of the list's first ("travel to
    # Tashkent or Dushanbe", «в Ташкент или Душанбе», "architects from Kazan, Tashkent and Almaty")
    # (the names before may be of two words, «دهلی نو، اسلام آباد، تاشکند»; the comma may be the Arabic one, ،)
    index = span.start
    # (a comma alone joins the name to the list only where the list goes on after it: "According to TASS, Moscow
    # has accepted", «به گزارش ایرنا، مسکو روز پنجشنبه ...» hold a source before the subject, no list)
    if index > 0 and doc[index - 1].text in _LIST_COMMAS and not (
            following is not None and (following.text in _LIST_COMMAS or following.lower_ in language.conjunctions)):
        index = 0
    for _ in range(_LIST_NAMES):
        if index < 3 or not (doc[index - 1].text in _LIST_COMMAS or doc[index - 1].lower_ in language.conjunctions) \
                or doc[index - 2].text[:1].islower() or doc[index - 2].text in language.calendar_words:
            break
        first = index - 2
        while first > 0 and index - 1 - first < _NAME_WORDS and not doc[first - 1].is_punct \
                and not doc[first - 1].text[:1].islower() and doc[first - 1].norm_ not in matcher.place_before \
                and doc[first - 1].lower_ not in language.conjunctions:
            first -= 1
        index = first
        if index > 0 and doc[index - 1].norm_ in matcher.place_before:
            return True
    following = _after_route(doc, span.end) if following is not None and following.text in _ROUTE_DASHES else following
    if following is not None and following.norm_ in ("'s", "'", "’s") and span.end + 1 < len(doc):
        following = doc[span.end + 1]
    if following is not None and following.norm_ in matcher.place_after:
        return True
    place_suffixes = language.place_suffixes
    if place_suffixes:  # a case ending that makes a city a place: Moskova'da, Moskova'ya, Moskova'dan
        if _has_place_suffix(doc[span.end - 1], place_suffixes):
            return True
        # ... which two names joined by a conjunction share, written on the second only ("Taşkent ve Moskova'daki
        # temaslar": suspended affixation)
        if span.end + 1 < len(doc) and doc[span.end].lower_ in language.conjunctions \
                and _has_place_suffix(doc[span.end + 1], place_suffixes):
            return True
    return False


def town_in_region(doc: Doc, span: Span, matcher: LanguageMatcher) -> bool:
    """Whether a name is a town of another country, its region after a comma as an address writes it ("Moscow,
    Idaho", "China, Maine": :attr:`~newsmon.matching.watchlist.PlaceWords.regions`)."""
    if span.end + 1 >= len(doc) or doc[span.end].text not in _LIST_COMMAS:
        return False
    words = [token.norm_ for token in doc[span.end + 1: span.end + 1 + _REGION_WORDS]]
    return any(tuple(words[:len(region)]) == region for region in matcher.place_regions)


def written_as_name(doc: Doc, start: int, end: int, matcher: LanguageMatcher) -> bool:
    """Whether a one-word match is a proper name by the language's spelling: capitalised, with its suffixes after an
    apostrophe (Turkish Afyon'da, the city, is no afyon, opium), and not a word the watchlist itself writes
    capitalised (Afgan'ın, Donbas'ta)."""
    if end - start != 1 or not profile(matcher.lang).apostrophe_names:
        return False
    word, apostrophe, _ = doc[start].text.translate(_APOSTROPHES).partition("'")
    return bool(apostrophe) and word[:1].isupper() and not word.isupper() and doc[start].norm_ not in matcher.capitalised


def is_located(span: Span, lang: str) -> bool:
    """Whether a place name says where something is: with the language's locative ending (Turkish Duşanbe'deki),
    or as written in a language without one (its phrase holds the preposition: "in Dushanbe")."""
    suffixes = profile(lang).locative_suffixes
    return not suffixes or _has_place_suffix(span[-1], suffixes)


def _has_place_suffix(token: Token, place_suffixes: tuple[str, ...]) -> bool:
    surface = token.text.translate(_APOSTROPHES).lower()
    return "'" in surface and surface.endswith(place_suffixes)


_ROUTE_DASHES = {"–", "—", "-"}
#: The most names a list may hold before the one that shares its first name's place word.
_LIST_NAMES = 8
#: Longest name (words) in such a list, and the commas that join it (Latin and Arabic).
_NAME_WORDS, _LIST_COMMAS = 2, frozenset({",", "،"})
#: Longest region name (words): "North Carolina".
_REGION_WORDS = 2


def _after_route(doc: Doc, index: int) -> Token | None:
    """The word after a chain of names joined by dashes that starts at ``index`` ("–Tashkent–Moscow route"):
    what says whether the chain is a route (places) or a pair of governments ("Moscow–Kabul relations")."""
    while index + 1 < len(doc) and doc[index].text in _ROUTE_DASHES and doc[index + 1].text[:1].isupper():
        index += 2
    return doc[index] if index < len(doc) else None


def token_gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Tokens between two stretches ``[a_start, a_end)`` and ``[b_start, b_end)``, in either order; negative
    when they overlap."""
    return b_start - a_end if b_start >= a_end else a_start - b_end


#: Quotation marks and brackets: they wrap a name or an aside and are no words between a construction's parts
#: (read by the token's key, in which every double quote, «, », “, „ ..., is the one the normaliser makes of it).
_WRAPPERS = frozenset('"()[]')


def construction_triggers(doc: Doc, matches, windows: dict[str, int],
                          notices: Sequence[Span] = ()) -> list[tuple[str, int, int]]:
    """``(construction label, start, end)`` for each head and ``with`` part within the construction's window. A
    notice (boilerplate) between the two parts does not count in the window («назначенный талибами (организация
    ... запрещена в РФ) дипломат»), nor do quotation marks and brackets («исключить движение «Талибан» из
    перечня»: the name is one word, as in English), and a part inside a notice is no part."""
    parts: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    covered = {index for notice in notices for index in range(notice.start, notice.end)}
    for match_id, start, end in matches:
        if covered and not covered.isdisjoint(range(start, end)):
            continue
        label, _, side = doc.vocab.strings[match_id].rpartition("|")
        parts[label][side].append((start, end))
    found = []
    openers = profile(doc.lang_).clause_openers
    for label, sides in parts.items():
        window = windows[label]
        for a_start, a_end in sides.get("a", []):
            for b_start, b_end in sides.get("b", []):
                gap = token_gap(a_start, a_end, b_start, b_end)
                # (the wrappers: at most a few pairs between two parts, so no gap over twice the window is read)
                if window < gap <= 2 * window + len(covered):
                    gap -= sum(1 for index in range(min(a_end, b_end), max(a_start, b_start))
                               if index in covered or doc[index].norm_ in _WRAPPERS)
                start, end = min(a_start, b_start), max(a_end, b_end)
                if 0 <= gap <= window and not crosses_sentence(doc, start, end) \
                        and not _crosses_clause(doc, start, end, openers):
                    found.append((label, start, end))
    return found


#: Longest bracket (tokens) read as one notice, and longest apposition between commas or dashes.
_NOTICE_TOKENS, _APPOSITION_TOKENS = 24, 10
#: Longest footnote line (a line opening with ``*``): a footnote may give the court and the date of the listing.
_FOOTNOTE_TOKENS = 40
#: Longest bracket read as a notice on its banned word alone («(признан террористическим)», "(banned)", «(движение
#: внесено в список террористических организаций)»).
_BARE_NOTICE_TOKENS = 6
#: Brackets, and quotes around a notice («запрещенной в РФ террористической организацией»).
_OPENING, _CLOSING = {"(": ")", "[": "]", "«": "»"}, {")", "]", "»"}
#: Longest quote read as a notice: a longer one is somebody's words («Члены Совета Безопасности ... осудили
#: террористический акт у посольства России»), which a notice never is.
_QUOTE_NOTICE_TOKENS = 10
#: A footnote may follow a sentence on the same line ("... ties with Kabul.* designated extremists by the UN").
_SENTENCE_ENDS = {".", "!", "?", "؟"}
#: A notice may also be a sentence of its own, a name and a dash («"Талибан" — террористическая организация,
#: запрещенная в ряде стран, в том числе в России»): the name's longest length (tokens) before the dash.
_NAME_TOKENS, _DASHES = 6, {"—", "–"}
_APPOSITION_BREAKS = {",", ";", "(", ")", "[", "]"} | _DASHES
#: Longest epithet (tokens from its first word to the name, quotes included): «запрещенной террористической
#: организации "Талибан"», "the banned terrorist group Taliban".
_EPITHET_TOKENS = 5
#: How far before an apposition's comma a list's word may stand and still be what it describes («списке
#: организаций,»: the list's word and the noun it governs).
_LIST_NOUN_TOKENS = 2
_QUOTES = {'"', "'", "«", "“", "„"}


def notices(doc: Doc, banned: list[int], where: list[int], statement: list[int] = (), epithets: list[int] = (),
            names: list[int] = (), name_ends: list[int] = (), lists: list[int] = ()) -> list[Span]:
    """Stretches of ``doc`` that are a notice: a bracket, a footnote line (a line opening with ``*``) or an
    apposition between commas or dashes, or what follows a name and a dash to the end of its sentence, short enough,
    holding a ``banned`` word and a ``where`` word (token indices). «Талибан» (запрещенная в России террористическая
    организация), "the Taliban, a terrorist organisation banned in Russia, said", "* «Талибан» — организация
    находится под санкциями ООН ...", «"Талибан" — террористическая группировка, деятельность которой запрещена в ряде
    стран, в том числе в России.». A bracket of a few words after a name needs no ``where`` word: «Талибан» (признан
    террористическим), "the Taliban (banned)"; it follows the name (``name_ends``: the token after each actor's name),
    a quote or a bracket, or a capitalised word, and after any other word it is a name of its own: the list's in
    «فهرست «گروه‌های ممنوعه»», the list of "banned groups". A stretch holding a ``statement`` word is a statement about the
    listing, no notice (", including Kazakhstan's removal of the Taliban from its list of terrorist organisations,").
    An apposition right after a ``lists`` word (its first token, a list's noun and the word it governs: «в списке
    организаций, признанных в РФ террористическими») describes the list and is no notice.
    The dash follows a name: an actor's (``names``: the first tokens of the actors' names) or a quoted or
    capitalised one. An ``epithets`` word (the banned word as an attribute) a few words before a name, with only
    words or quotes between, is a notice as well: «запрещенной террористической
    организации "Талибан"»; a verb is none ("Russia banned the Taliban in 2003")."""
    if not banned:
        return []
    units: list[tuple[int, int]] = []
    bare: list[tuple[int, int]] = []
    for index in epithets:
        name = next((n for n in names if 0 < n - index <= _EPITHET_TOKENS), None)
        if name is not None and all(doc[i].is_alpha or doc[i].text in _QUOTES for i in range(index, name)):
            units.append((index, name))
            bare.append((index, name))
    words = texts(doc)
    for index, word in enumerate(words):
        if word in _OPENING:
            closing = _OPENING[word]
            longest = _QUOTE_NOTICE_TOKENS if word == "«" else _NOTICE_TOKENS
            end = next((i for i in range(index + 1, min(len(doc), index + longest)) if words[i] == closing), None)
            if end is not None:
                units.append((index + 1, end))
                if end - index - 1 <= _BARE_NOTICE_TOKENS and _after_a_name(words, index, name_ends):
                    bare.append((index + 1, end))
        # (a token's trailing whitespace is a space or nothing: a line break is a token of its own)
        elif word == "*" and (index == 0 or "\n" in words[index - 1] or words[index - 1] in _SENTENCE_ENDS):
            end = next((i for i in range(index + 1, len(doc)) if "\n" in words[i]), len(doc))
            if end - index <= _FOOTNOTE_TOKENS:
                units.append((index + 1, end))
    for first, last in sentence_bounds(doc):
        dash = next((i for i in range(first + 1, min(last, first + _NAME_TOKENS + 1)) if words[i] in _DASHES), None)
        if dash is not None and last - dash <= _NOTICE_TOKENS and (
                any(first <= name < dash for name in names) or _names_before(words, dash)):
            units.append((dash + 1, last))
        start = first
        for index in range(first, last + 1):
            if index == last or words[index] in _APPOSITION_BREAKS:
                if 0 < index - start <= _APPOSITION_TOKENS and start > first and index < last \
                        and not any(0 < start - 1 - word <= _LIST_NOUN_TOKENS for word in lists):
                    units.append((start, index))
                start = index + 1
    return [Span(doc, start, end) for start, end in units
            if any(start <= i < end for i in banned) and (any(start <= i < end for i in where) or (start, end) in bare)
            and not any(start <= i < end for i in statement)]


def _ends_a_name(word: str) -> bool:
    """Whether ``word`` can be the last of a name: a closing quote or bracket, or a word holding a capital."""
    return word in _CLOSING or word in _QUOTES or word == "”" or any(ch.isupper() for ch in word)


def _after_a_name(words: list[str], index: int, name_ends: list[int]) -> bool:
    """Whether the bracket opening at ``index`` follows a name: an actor's, a quoted or bracketed one, or a
    capitalised word («"Талибан" (признан террористическим)», "Hizb ut-Tahrir (banned)")."""
    return index in name_ends or (index > 0 and _ends_a_name(words[index - 1]))


def _names_before(words: list[str], dash: int) -> bool:
    """Whether what stands before a sentence's dash can be a name that is not the watchlist's: a quoted one
    («"Хизб ут-Тахрир" — ...»), or one whose last word holds a capital or is a word of a script with no case (not a
    comma or a number before the dash). In «Вообще, ситуация интересная — в 2003 году Верховный суд признал ...»
    the dash opens the writer's own statement."""
    word = words[dash - 1]
    return _ends_a_name(word) or (any(ch.isalpha() for ch in word) and word.upper() == word.lower())


def crosses_sentence(doc: Doc, start: int, end: int) -> bool:
    """Whether a sentence opens inside ``(start, end)``: the first and the last token lie in different sentences."""
    if end - start < 2:
        return False
    sentence = sentence_of(doc)
    return sentence[start] != sentence[end - 1]


def _crosses_clause(doc: Doc, start: int, end: int, openers: frozenset[str]) -> bool:
    """Whether a semicolon or a comma and a clause-opening conjunction (", but") stands between ``start`` and ``end``:
    the head and the other words of a construction stand in one clause ("hasn't sent its envoys, but members of the
    government-appointed council attend" appoints no envoy). A conjunction between commas is an aside in the clause
    («дипмиссия, однако, продолжила работать»)."""
    words = texts(doc)
    return any(words[i] == ";" or (words[i] == "," and words[i + 1].lower() in openers
                                   and not (i + 2 < len(doc) and words[i + 2] == ","))
               for i in range(start + 1, end - 1))


def mention(text: str, span: Span, kind: str, offset: int = 0) -> Mention:
    """A mention with surface and snippet taken from ``text`` (the span's doc reads ``text[offset:]``)."""
    sentence = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    start, end = sentence.start_char + offset, sentence.end_char + offset
    snippet = " ".join(text[start:end].split())
    if len(snippet) > _SNIPPET_CHARS:
        begin = max(0, span.start_char + offset - start - _SNIPPET_CHARS // 2)
        snippet = "…" + " ".join(text[start + begin: start + begin + _SNIPPET_CHARS].split()) + "…"
    return Mention(id=span.label_, kind=kind, surface=text[span.start_char + offset: span.end_char + offset],
                   start=span.start_char + offset, end=span.end_char + offset, snippet=snippet)


def common_phrase(span: Span, kind: str) -> bool:
    """A context alias of several words written in lower case is the common phrase, not the name: «в исламском
    государстве» (in an Islamic state) is not the Islamic State, nor is "an islamic state"."""
    return kind == "context" and len(span) > 1 and span.text[:1].islower()


#: Tokens between a yielding theme's word and the stronger theme's words within which it yields.
YIELD_GAP = 2


def within(a: Span, b: Span, gap: int) -> bool:
    """Whether ``a`` overlaps ``b`` or lies within ``gap`` tokens of it, in the same sentence."""
    if overlaps(a, b):
        return True
    return (token_gap(a.start, a.end, b.start, b.end) <= gap
            and not crosses_sentence(a.doc, min(a.start, b.start), max(a.end, b.end)))


def told_apart(candidates: list[tuple[Span, str]], excluded: dict[str, list[Span]], actor_ids) -> bool:
    """Whether a sentence names an actor by its bare name and then a look-alike's name, and so tells the two apart
    ("the Taliban deny any support for the Tehrik-i-Taliban Pakistan"): the bare name is then the actor's own. Not
    the other order, where the bare name is the look-alike's short form ("a spokesman of the Pakistani Taliban said
    the Taliban ..."), nor a look-alike's name in brackets, which glosses the name before it."""
    if not candidates:
        return False
    doc = candidates[0][0].doc
    sentence = sentence_of(doc)
    for span, _ in candidates:
        if span.label_ in actor_ids and any(
                sentence[other.start] == sentence[span.start] and other.start >= span.end
                and not _in_brackets(doc, other.start) for other in excluded.get(span.label_, [])):
            return True
    return False


#: Longest stretch (tokens) between a bare name and the look-alike's name that glosses it.
_GLOSS_TOKENS = 6
#: What may follow a gloss before the name it gives: quotes, a colon or a dash, an article.
_GLOSS_TAIL = r"""[\s"'«“„:,\-–—]*(?:the\s+)?$"""


@lru_cache(maxsize=8)
def _gloss_pattern(glosses: tuple[str, ...]) -> re.Pattern:
    """The words between a name and the other name they give it: a bracket, or up to two words ("also", "who are")
    and a gloss ("known as")."""
    gloss = "|".join(re.escape(g) for g in glosses) or "(?!)"
    return re.compile(rf"^[\s,]*(?:[(\[]|(?:\w+\s+){{0,2}}?(?:{gloss})){_GLOSS_TAIL}", re.IGNORECASE)


def glossed_as_look_alike(span: Span, look_alike_names: list[Span], glosses: tuple[str, ...]) -> bool:
    """Whether the words after a bare name give a look-alike's name as another name for it, in a bracket or after
    a gloss ("local Taliban, also known as the Tehrik-i-Taliban Pakistan", «местных талибов, также известных как
    Техрик-и-Талибан Пакистан», "the Taliban (TTP)"): the bare name is then the look-alike's, whatever else the
    text names."""
    if not look_alike_names:
        return False
    doc = span.doc
    sentence = sentence_of(doc)
    raw = doc.user_data.get("raw", doc.text)
    pattern = _gloss_pattern(glosses)
    return any(0 <= other.start - span.end <= _GLOSS_TOKENS and sentence[other.start] == sentence[span.start]
               and pattern.match(raw[span.end_char:other.start_char]) for other in look_alike_names)


def _in_brackets(doc: Doc, index: int) -> bool:
    """Whether token ``index`` stands inside round brackets opened in its sentence."""
    first, _ = sentence_bounds(doc)[sentence_of(doc)[index]]
    depth = 0
    for word in reversed(texts(doc)[first:index]):
        depth += {"(": 1, ")": -1}.get(word, 0)
        if depth > 0:
            return True
    return False


#: Words an abbreviation skips when it is spelt out ("International Atomic Energy Agency", «агентство по ...»).
_ABBREVIATION_SKIPS = frozenset({"of", "for", "and", "the", "on", "in", "и", "по", "ve"})


def spelt_out_as_another(span: Span, candidates: list[tuple[Span, str]]) -> bool:
    """Whether ``span`` is an abbreviation that the text spells out, in brackets after its full name, as a name that
    is not the actor's: after "the International Energy Agency (IEA)" every IEA of the text is the agency, not the
    Islamic Emirate; after "the Islamic Emirate of Afghanistan (IEA)" the full name is itself a mention of the
    actor, and the abbreviation stays its own. A writer's definition of an abbreviation holds for the whole text."""
    # (with its suffix: "IEA's", "IEA'nın")
    word = texts(span.doc)[span.start].translate(_APOSTROPHES).partition("'")[0]
    if not word.isupper() or span.text.translate(_APOSTROPHES)[len(word):][:1] not in ("", "'"):
        return False
    expansions = _spelt_out(span.doc).get(word)
    return bool(expansions) and not any(other.label_ == span.label_ and any(overlaps(other, full) for full in expansions)
                                        for other, _ in candidates)


def _spelt_out(doc: Doc) -> dict[str, list[Span]]:
    """The abbreviations a text defines, ``Full Name (ABBR)``, each with the spans of its full names: the
    words before the bracket whose initials spell it (the words of :data:`_ABBREVIATION_SKIPS` aside)."""
    if "spelt_out" not in doc.user_data:
        words = texts(doc)
        found = defaultdict(list)
        for index in range(1, len(words) - 2):
            abbreviation = words[index + 1]
            if words[index] != "(" or words[index + 2] != ")" or not abbreviation.isupper():
                continue
            letters = [letter for letter in abbreviation if letter.isalpha()]
            start, initials = index, []
            while start > 0 and len(initials) < len(letters) and words[start - 1][:1].isalpha():
                start -= 1
                if words[start].lower() not in _ABBREVIATION_SKIPS:
                    initials.insert(0, words[start][0].upper())
            if initials == [letter.upper() for letter in letters]:
                found[abbreviation].append(Span(doc, start, index))
        doc.user_data["spelt_out"] = found
    return doc.user_data["spelt_out"]


def capital_only_by_position(span: Span) -> bool:
    """A one-word name capitalised only because it opens a sentence, in a text that writes the same word in lower
    case elsewhere: a common noun (Russian «Путину открыли ...» after «лососевая путина», the fishing season, is
    not Putin). Truecasing's rule: a sentence-initial capital is no evidence of a name."""
    if len(span) != 1 or not span[0].is_sent_start or not span.text[:1].isupper():
        return False
    # (the normaliser marks a lower-case word that only looks like a capitalised name: compare without the mark)
    return span[0].norm_.rstrip(LOWER_CASE_MARK) in _lower_case_words(span.doc)


def _lower_case_words(doc: Doc) -> set[str]:
    """The normalised forms of the words a text writes in lower case, once per doc (without the normaliser's
    mark)."""
    if "lower_case_words" not in doc.user_data:
        # (from the doc's arrays of string ids: a Token object per word costs more than the whole test)
        # (each distinct word once: a text repeats most of its words)
        strings = doc.vocab.strings
        doc.user_data["lower_case_words"] = {
            strings[norm].rstrip(LOWER_CASE_MARK)
            for orth, norm in set(map(tuple, doc.to_array([ORTH, NORM]).tolist())) if strings[orth][:1].islower()}
    return doc.user_data["lower_case_words"]


#: The hyphens that join the two adjectives of a compound ("Tajik-Afghan", «таджикско-афганский»).
_HYPHENS = {"-", "\u2010", "\u2011"}


def adjective_kept(doc: Doc, matcher: LanguageMatcher, candidates: list[tuple[Span, str]],
                   partners: set[int]) -> list[tuple[Span, str]]:
    """A people's adjective kept as its state right next to a state's noun, before or after it ("the Tajik foreign
    ministry", «طرف ازبک», the Uzbek side), or joined by a hyphen to another state's or Afghanistan's name (the
    ``partners``, token indices: "the Tajik-Afghan border", «узбекско-афганские переговоры»); elsewhere it is the
    people ("Uzbek and Tajik commanders", "a Tajik-speaking district"). Adjectives joined by a conjunction share the
    noun: "Kyrgyz and Tajik border guards", «مرزبانان قرقیز و تاجیک»."""
    nouns = [(start, end) for _, start, end in matcher.state_nouns(doc)]
    conjunctions = profile(matcher.lang).conjunctions

    def names_state(span: Span) -> bool:
        if any(token_gap(span.start, span.end, start, end) == 0
               and not crosses_sentence(doc, min(start, span.start), max(end, span.end)) for start, end in nouns):
            return True
        # (a hyphen between words is a space to the pipeline: the text as written says where one was)
        raw = doc.user_data.get("raw", doc.text)
        return (span.end in partners and raw[span.end_char:span.end_char + 1] in _HYPHENS) or (
                span.start - 1 in partners and raw[span.start_char - 1:span.start_char] in _HYPHENS)

    adjectives = [span for span, kind in candidates if kind == "adjective"]
    stating = {(span.start, span.end) for span in adjectives if names_state(span)}
    # (one conjunction between two adjectives: the one next to the noun lends it to the other, in either order)
    while added := [span for span in adjectives if (span.start, span.end) not in stating and any(
            (other.start == span.end + 1 or span.start == other.end + 1)
            and doc[min(span.end, other.end)].lower_ in conjunctions for other in adjectives
            if (other.start, other.end) in stating)]:
        stating |= {(span.start, span.end) for span in added}
    return [(span, "alias" if kind == "adjective" else kind) for span, kind in candidates
            if kind != "adjective" or (span.start, span.end) in stating]


def titled_kept(doc: Doc, matcher: LanguageMatcher, candidates: list[tuple[Span, str]],
                titled_context: dict[str, set[str]]) -> list[tuple[Span, str]]:
    """Titled aliases (a surname that is also a word) kept next to a title, after the full name, or in a text
    that names one of the actor's ``titled_context`` actors."""
    if not any(kind == "titled" for _, kind in candidates):
        return candidates
    titles = spans_by_label(doc, matcher.titles(doc))
    named = {span.label_ for span, kind in candidates if kind == "alias"}
    kept = []
    for span, kind in candidates:
        if kind == "titled" and span.label_ not in named and not titled_context.get(span.label_, set()) & named \
                and not any(
                0 <= token_gap(span.start, span.end, t.start, t.end) <= 3
                for t in titles.get(span.label_, ())):
            continue
        kept.append((span, "alias" if kind == "titled" else kind))
    return kept
