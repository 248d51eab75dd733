"""Find the watchlist's actors and themes in a text, with the evidence for each.

A text is read by the pipeline of its language (:mod:`newsmon.matching.build`). The names of every language
apply to runs of their own script whatever the text's language, so a Persian tweet quoted in an English wire
story, or "Taliban" in Latin letters inside a Russian article, is read by the Persian or English pipeline
(:func:`script_runs`). Rules (:mod:`newsmon.matching.rules`) then decide the hard cases: a capital counts as
the state only where it acts as the government; a name inside an exclusion phrase (``Pakistani Taliban``) is
dropped; a theme needs what it concerns nearby; a sense rule (:mod:`newsmon.matching.senses`) drops a trigger
used in another sense, and a bare repeat of it later in the text; and a text with no Afghanistan relevance gets no
themes.

A text in none of newsmon's languages (``other``) gets only the actors its words name exactly as a language of
the same script names them, never a theme: themes are read by each language's constructions, which say nothing
about other languages.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from newsmon.languages import LANGUAGES, PROFILES, SCRIPTS, profile
from newsmon.matching import doc_cache
from newsmon.matching.build import (
    NOT_INVOLVING,
    OWN_SENTENCE,
    UNLESS,
    LanguageMatcher,
    build_language_matcher,
    prepare,
)
from newsmon.matching.layout import (
    headline_sentences,
    lists_stories,
    opens_with_headline,
    paragraphs,
    related_lines,
    story_units,
)
from newsmon.matching.names import without_namesakes
from newsmon.matching.rules import (
    YIELD_GAP,
    adjective_kept,
    capital_only_by_position,
    common_phrase,
    construction_triggers,
    glossed_as_look_alike,
    is_located,
    is_place,
    mention,
    notices,
    overlaps,
    spans_by_label,
    spelt_out_as_another,
    titled_kept,
    told_apart,
    town_in_region,
    within,
    written_as_name,
)
from newsmon.matching.senses import has_other_sense, same_sense_as_before, without_own_evidence
from newsmon.matching.watchlist import Watchlist
from newsmon.models import Mention

__all__ = ["WatchlistMatcher", "script_runs", "shared_matcher"]

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]+")
#: Letters a foreign-script run needs before it is read by a language's pipeline of its own.
_MIN_RUN_LETTERS = 3
#: A run of one script: words whose first letter is of that script, and whatever lies between them that is not a
#: letter. One alternative per script, so the regex engine finds the runs in one pass.
_BETWEEN = r"(?:\W|[\d_])*"
_RUNS = re.compile("|".join(
    rf"(?P<{name}>(?<![^\W\d_]){script.letters}[^\W\d_]*(?:{_BETWEEN}(?<![^\W\d_]){script.letters}[^\W\d_]*)*)"
    for name, script in SCRIPTS.items()))


#: The same, for every script but one (the runs a text's own pipeline does not read).
_FOREIGN_RUNS = {main: re.compile("|".join(
    rf"(?P<{name}>(?<![^\W\d_]){script.letters}[^\W\d_]*(?:{_BETWEEN}(?<![^\W\d_]){script.letters}[^\W\d_]*)*)"
    for name, script in SCRIPTS.items() if name != main)) for main in SCRIPTS}


_FOREIGN_LETTER = {main: re.compile("|".join(script.letters for name, script in SCRIPTS.items() if name != main))
                   for main in SCRIPTS}


def script_runs(text: str, besides: str | None = None) -> list[tuple[str, int, int]]:
    """``(script, start, end)`` of each stretch of ``text`` written in one script (words of that script and what
    lies between them, up to a word of another script); with ``besides``, only the stretches of the other
    scripts."""
    if besides is not None and not _FOREIGN_LETTER[besides].search(text):
        return []  # the usual case, found by a plain scan
    runs = _RUNS if besides is None else _FOREIGN_RUNS[besides]
    return [(match.lastgroup, match.start(), match.end()) for match in runs.finditer(text)]


#: A theme's context counts in the trigger's sentence and this many sentences either side, in its paragraph; across
#: a paragraph break, only in the sentence right next to it (a roundup's next paragraph is another story).
CONTEXT_SENTENCES = 2


#: Tokens between a statement word ("no longer") and a fixed disclaimer formula that it turns into news.
_STATEMENT_REACH = 3
#: Tokens after a fixed formula that a year dating the ban may take ("banned in Russia on February 14, 2003"), and
#: a year of the last two centuries, in any script's digits.
_DATE_REACH, _YEAR = 5, re.compile(r"(?:19|20)\d\d")


def _context_window(sentence: int, paragraph_of: list[int]) -> set[int]:
    """The sentences whose context a trigger in ``sentence`` reads: :data:`CONTEXT_SENTENCES` either side in its
    paragraph, and the one right next to it across a paragraph break."""
    return {index for index in range(max(0, sentence - CONTEXT_SENTENCES), sentence + CONTEXT_SENTENCES + 1)
            if index < len(paragraph_of)
            and (paragraph_of[index] == paragraph_of[sentence] or abs(index - sentence) == 1)}


def _about_afghanistan(paragraph: int, relevant: set[int], headline: bool, roundup: bool) -> bool:
    """Whether a paragraph of a text of several is about Afghanistan: it names it itself, or the text's opening
    does. The opening of a text with a ``headline`` is the headline, which also reads the paragraph after it for its
    own words (a roundup's headline names its stories: a paragraph on Brussels' frozen assets or on a ceasefire in
    Asia is another story, though the one before it is on Afghanistan); an article's body opens with its first two
    paragraphs (a lead may set the scene, "Russia on Wednesday hosted ten delegations", before the next names the
    country). A ``roundup``'s headline is a list of its stories (:func:`lists_stories`): the one on Afghanistan lends
    nothing to the others, each paragraph is about Afghanistan only by itself, and the headline's words belong to
    the paragraphs that tell its stories ("a listing in London" beside "snow on the Salang")."""
    if roundup:
        return paragraph in relevant and paragraph != 0
    return paragraph in relevant or 0 in relevant or (1 in relevant and (paragraph == 0 or not headline))


def _after_statement(span: Span, statements: list[int]) -> bool:
    """Whether a statement word stands right before ``span`` («перестало быть запрещенным в России», "no longer
    prohibited in Russia"): the formula is then news about the ban, no notice."""
    return any(0 < span.start - start <= _STATEMENT_REACH for start in statements)


def _dated(span: Span) -> bool:
    """Whether a year follows the span within reach, in its sentence: a notice has no date, a ban told as an event
    has one ("was banned in Russia in 2003")."""
    after = span.doc[span.end:min(span.end + _DATE_REACH, span.sent.end)]
    return any(_YEAR.fullmatch(token.text) for token in after)


class WatchlistMatcher:
    """Matches texts against a :class:`Watchlist`; build once, call :meth:`match` per text."""

    def __init__(self, watchlist: Watchlist):
        self.watchlist = watchlist
        self._actor_triggers: dict[str, list[str]] = defaultdict(list)
        for theme in watchlist.themes:
            for actor_id in theme.trigger_actors:
                self._actor_triggers[actor_id].append(theme.id)
        self._relevance_actors = set(watchlist.relevance.actors)
        self._look_alikes = watchlist.look_alike_stories
        #: The relevance actors that are no look-alike's: any of them keeps "the Taliban" the Afghan Taliban.
        self._afghan_actors = self._relevance_actors - set(self._look_alikes.of)
        self._yields_to = {theme.id: theme.yields_to for theme in watchlist.themes if theme.yields_to}
        self._titled_context = {actor.id: set(actor.titled_context) for actor in watchlist.actors}
        self._by_lang: dict[str, LanguageMatcher] = {}

    def match(self, text: str, lang: str) -> list[Mention]:
        """All actor and theme mentions in ``text`` (in language ``lang``), ordered by position."""
        if not text.strip():
            return []
        names_only = lang not in LANGUAGES
        main_script = None if names_only else next(p.script for p in PROFILES if p.code == lang)
        segments = [] if names_only else [(0, len(text), lang)]
        for script, start, end in script_runs(text, besides=main_script):
            if sum(len(w) for w in _WORD.findall(text[start:end])) < _MIN_RUN_LETTERS:
                continue
            run_lang = self._run_language(text[start:end], script)
            if run_lang is not None:
                segments.append((start, end, run_lang))
        read = [self._read_segment(text, start, end, run_lang) for start, end, run_lang in segments]
        mentions: list[Mention] = []
        if names_only:
            for doc, _, actor_spans, start in read:
                mentions += [mention(text, span, "actor", start) for span, kind in actor_spans if kind == "alias"]
        else:
            # A text is about Afghanistan if any of its runs is ("Moscow Format" in Latin letters in a Persian story).
            relevant = any(self._relevant(doc, matcher, actor_spans) for doc, matcher, actor_spans, _ in read)
            # A quote in another script is part of the text around it: what the main text is about is its context.
            doc, matcher, actor_spans, _ = read[0]
            outer = ({doc.vocab.strings[match_id] for match_id, _, _ in matcher.context_terms(doc)},
                     {span.label_ for span, kind in actor_spans if kind != "context"})
            for index, (doc, matcher, actor_spans, start) in enumerate(read):
                mentions += self._segment_mentions(text, doc, matcher, actor_spans, start, relevant,
                                                   outer if index else None)
        unique = {(m.start, m.end, m.kind, m.id): m for m in mentions}
        return sorted(unique.values(), key=lambda m: (m.start, m.kind, m.id))

    @staticmethod
    def _run_language(segment: str, script: str) -> str | None:
        """The language whose pipeline reads a run of ``script``: the only one of that script, else the one whose
        typing marks the run shows (Turkish ğ ş ı), else the first in the table."""
        candidates = [p for p in PROFILES if p.script == script]
        for language in candidates[1:]:
            if language.typing_marks and any(ch in language.typing_marks for ch in segment):
                return language.code
        return candidates[0].code if candidates else None

    # -- one segment ----------------------------------------------------------------------------------
    def _read_segment(self, text: str, start: int, end: int, lang: str) -> tuple[Doc, LanguageMatcher, list, int]:
        """``text[start:end]`` read as ``lang``: its doc, the language's matcher, its actor spans, its offset."""
        matcher = self._matcher(lang)
        doc = matcher.nlp(prepare(text[start:end]))
        doc.user_data["raw"] = text[start:end]
        return doc, matcher, self._actor_spans(doc, matcher), start

    def _segment_mentions(self, text: str, doc: Doc, matcher: LanguageMatcher, actor_spans: list[tuple[Span, str]],
                          start: int, relevant: bool, outer: tuple[set[str], set[str]] | None = None) -> list[Mention]:
        """Actor and theme mentions of one segment (offsets into ``text``); themes only in a relevant text."""
        actor_spans = [(span, kind) for span, kind in actor_spans if kind != "context" or relevant]
        # (a text of several paragraphs; a run in another script is read with its text)
        paragraph_of, sentence_of = paragraphs(doc), doc_cache.sentence_of(doc)
        afghan_paragraphs = self._afghan_parts(doc, matcher, actor_spans, paragraph_of) \
            if outer is None and paragraph_of and paragraph_of[-1] else None
        if afghan_paragraphs is not None:
            # a name that is an actor only in an Afghan text (a bare "Islamic State" is ISKP) is one only in a
            # paragraph about Afghanistan or next to one: a roundup's paragraph on Syria has its own Islamic State
            def near_afghan(span: Span) -> bool:
                paragraph = paragraph_of[sentence_of[span.start]]
                return not afghan_paragraphs.isdisjoint((paragraph - 1, paragraph, paragraph + 1))
            actor_spans = [(span, kind) for span, kind in actor_spans if kind != "context" or near_afghan(span)]
        theme_spans = self._theme_spans(doc, matcher, actor_spans, outer, afghan_paragraphs) if relevant else []
        # "Moscow" inside "Moscow Format" is the theme, not the state (inside a construction's stretch of words,
        # "money that Washington blocked", it is still the state).
        actor_spans = [(span, kind) for span, kind in actor_spans if not (kind == "government" and any(
            overlaps(span, t) for t in theme_spans if t.kb_id_ != "construction"))]
        mentions = [mention(text, span, "actor", start) for span, _ in actor_spans]
        return mentions + [mention(text, span, "theme", start) for span in theme_spans]

    def _actor_spans(self, doc: Doc, matcher: LanguageMatcher) -> list[tuple[Span, str]]:
        """Actor matches as (span, kind); kind is alias, government, context, titled or adjective."""
        excluded = self._excluded(doc, matcher)
        senses = self._senses(doc, matcher)
        candidates, places = [], []
        for match_id, start, end in [*matcher.actors(doc), *matcher.actors_exact(doc)]:
            actor_id, _, kind = doc.vocab.strings[match_id].partition("|")
            span = Span(doc, start, end, label=actor_id)
            if any(overlaps(span, other) for other in excluded.get(actor_id, ())):
                continue
            if has_other_sense(span, senses, matcher.sense_windows, matcher.sense_only):
                continue
            if (kind == "government" and is_place(doc, span, matcher)) or town_in_region(doc, span, matcher):
                places.append(span)
                continue
            candidates.append((span, kind))
        # a shorter name inside a place is that place too ("DELHI" of the dateline "NEW DELHI, July 4")
        candidates = [(span, kind) for span, kind in candidates
                      if kind != "government" or not any(overlaps(span, place) for place in places)]
        candidates = [(span, kind) for span, kind in candidates if not capital_only_by_position(span)
                      and not common_phrase(span, kind) and not spelt_out_as_another(span, candidates)]
        candidates = without_namesakes(doc, matcher, candidates)
        if any(kind == "adjective" for _, kind in candidates):
            # (the partners of a hyphenated adjective: the words that name Afghanistan, and the other states' names)
            partners = {term.start for term in self._relevance_terms(doc, matcher)} | {
                span.start for span, _ in candidates} | {span.end - 1 for span, _ in candidates}
            candidates = adjective_kept(doc, matcher, candidates, partners)
        # a look-alike's short name: in a text that names the Pakistani Taliban and nothing Afghan, "the Taliban" is
        # what that text calls the TTP («"Талибан" взял на себя ответственность ...»); an Afghan name is a word of
        # the relevance terms or another relevance actor ("Muttaqi, the Taliban's foreign minister")
        # (unless a sentence names both, and so tells them apart: "the Taliban deny any support for the TTP")
        # (a surname that is also a word, Persian متقی, "pious", is no Afghan name before its title or context has
        # made it one: «طالبان علوم دینی ... عالمی متقی» are seminary students and a pious scholar)
        if any(excluded.get(actor_id) for actor_id in self._look_alikes.of) and not self._relevance_terms(doc, matcher) \
                and not {span.label_ for span, kind in candidates if kind != "titled"} & self._afghan_actors \
                and not told_apart(candidates, excluded, self._look_alikes.of):
            candidates = [(span, kind) for span, kind in candidates if span.label_ not in self._look_alikes.of]
        # (and a bare name the next words gloss as the look-alike's: "local Taliban, also known as the TTP")
        glosses = profile(matcher.lang).glosses
        candidates = [(span, kind) for span, kind in candidates if span.label_ not in self._look_alikes.of
                      or not glossed_as_look_alike(span, excluded.get(span.label_, []), glosses)]
        candidates = titled_kept(doc, matcher, candidates, self._titled_context)
        kept = {(s.start, s.end, s.label_) for s in filter_spans([s for s, _ in candidates])}
        return [(s, g) for s, g in candidates if (s.start, s.end, s.label_) in kept]

    @staticmethod
    def _excluded(doc: Doc, matcher: LanguageMatcher) -> dict[str, list[Span]]:
        """Exclusion phrases by label (actor or theme id), cached on the doc: the actors, the relevance gate and the
        themes all ask for them."""
        if "excluded" not in doc.user_data:
            doc.user_data["excluded"] = spans_by_label(doc, matcher.exclusions(doc))
        return doc.user_data["excluded"]

    @staticmethod
    def _relevance_terms(doc: Doc, matcher: LanguageMatcher) -> list[Span]:
        """The words that place a text in Afghanistan, cached on the doc: the look-alike test on the actors and the
        relevance gate both ask for them."""
        if "relevance_terms" not in doc.user_data:
            doc.user_data["relevance_terms"] = [Span(doc, start, end) for _, start, end in matcher.relevance_terms(doc)]
        return doc.user_data["relevance_terms"]

    @staticmethod
    def _senses(doc: Doc, matcher: LanguageMatcher) -> dict[str, dict[str, list[tuple[int, int]]]]:
        """Sense-rule hits by the theme or actor the rule qualifies, then by rule label (``<id>|<n>``, its unless
        words ``<id>|<n>|unless``), cached on the doc."""
        if "senses" not in doc.user_data:
            senses: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
            excluded = WatchlistMatcher._excluded(doc, matcher)
            for match_id, start, end in matcher.sense_terms(doc):
                label = doc.vocab.strings[match_id]
                if label in matcher.sense_located and not is_located(doc[start:end], matcher.lang):
                    continue
                owner = label.partition("|")[0]
                # (an unless word inside one of the owner's not phrases is in that phrase's sense: a blast that "was
                # not an attack" keeps its accident)
                if label.endswith(f"|{UNLESS}") and any(
                        overlaps(doc[start:end], other) for other in excluded.get(owner, ())):
                    continue
                senses[owner][label].append((start, end))
            doc.user_data["senses"] = senses
        return doc.user_data["senses"]

    def _relevant(self, doc: Doc, matcher: LanguageMatcher, actor_spans: list[tuple[Span, str]]) -> bool:
        """Whether the text is about Afghanistan at all (without that, no themes and no context aliases)."""
        actors_present = {span.label_ for span, kind in actor_spans if kind != "context"}
        if actors_present & self._relevance_actors:
            return True
        return bool(self._involving_terms(doc, matcher))

    def _afghan_parts(self, doc: Doc, matcher: LanguageMatcher, actor_spans: list[tuple[Span, str]],
                      part_of: list[int]) -> set[int]:
        """The parts of a text that name Afghanistan (a relevance term or a relevance actor), ``part_of`` giving the
        part of each sentence: a digest's story units (:func:`story_units`) or a text's paragraphs
        (:func:`paragraphs`)."""
        sentence_of = doc_cache.sentence_of(doc)
        return {part_of[sentence_of[t.start]] for t in self._relevance_terms(doc, matcher)} | {
            part_of[sentence_of[span.start]] for span, kind in actor_spans
            if kind != "context" and span.label_ in self._relevance_actors}

    def _involving_terms(self, doc: Doc, matcher: LanguageMatcher) -> list[Span]:
        """The words that place the text in Afghanistan, but in a story about a look-alike (the Pakistani Taliban)
        not an Afghan name a border word makes a location ("near the Afghan border")."""
        terms = self._relevance_terms(doc, matcher)
        if not terms or not any(self._excluded(doc, matcher).get(actor_id) for actor_id in self._look_alikes.of):
            return terms
        borders = [Span(doc, start, end) for _, start, end in matcher.border_terms(doc)]
        return [term for term in terms if not any(within(term, border, self._look_alikes.window) for border in borders)]

    def _theme_spans(self, doc: Doc, matcher: LanguageMatcher, actor_spans: list[tuple[Span, str]],
                     outer: tuple[set[str], set[str]] | None = None,
                     relevant_paragraphs: set[int] | None = None) -> list[Span]:
        """Theme spans of one segment; ``outer`` (context labels and actors of the main text) is the context of a
        run in another script; ``relevant_paragraphs``, in a text of several, those that name Afghanistan."""
        excluded = self._excluded(doc, matcher)
        fixed, notice_words = [], defaultdict(list)
        for match_id, start, end in matcher.boilerplate(doc):
            label = doc.vocab.strings[match_id]
            if label == "boilerplate":
                fixed.append(Span(doc, start, end))
            else:
                notice_words[label.partition("|")[2]].append(start)
        # (a fixed formula right after a statement word is news about the ban: "no longer prohibited in Russia")
        statements = notice_words.get("statement", [])
        fixed = [span for span in fixed if not _after_statement(span, statements) and not _dated(span)]
        banned = notice_words.get("banned", [])
        # (an epithet holds a banned word: only a text with one is searched for epithets and the names after them)
        epithets = [start for _, start, _ in matcher.epithets(doc)] if banned else []
        names = sorted(span.start for span, _ in actor_spans) if banned else []
        name_ends = [span.end for span, _ in actor_spans] if banned else []
        boilerplate = fixed + [span for span in notices(doc, banned, notice_words.get("where", []), statements, epithets,
                                                        names, name_ends, notice_words.get("list", []))
                               if not _after_statement(span, statements)]
        boilerplate += related_lines(doc, profile(matcher.lang).related_labels)
        sentence_of = doc_cache.sentence_of(doc)
        context_hits: dict[str, set[int]] = defaultdict(set)
        terms, not_involving = [], defaultdict(list)
        for match_id, start, end in matcher.context_terms(doc):
            key = doc.vocab.strings[match_id]
            label, _, part = key.rpartition("|")
            if part == NOT_INVOLVING:  # "bordering Afghanistan": the name marks a place, not a party
                not_involving[label].append(Span(doc, start, end))
            else:
                terms.append((key, start, end))
        for label, start, end in terms:
            if not any(s.start <= start and end <= s.end for s in not_involving.get(label, ())):
                context_hits[label].add(sentence_of[start])
        actor_sentences: dict[str, set[int]] = defaultdict(set)
        for span, _ in actor_spans:
            actor_sentences[span.label_].add(sentence_of[span.start])
        senses = self._senses(doc, matcher)
        units = story_units(doc, profile(matcher.lang).question_labels)
        headline = headline_sentences(doc) if any(units) else set()
        paragraph_of = paragraphs(doc)
        headed = relevant_paragraphs is not None and opens_with_headline(doc)
        roundup = headed and lists_stories(doc, profile(matcher.lang).conjunctions)
        # the story units about Afghanistan: a digest's entry on Iran's drones is not, though the digest is
        relevant_units = self._afghan_parts(doc, matcher, actor_spans, units) if any(units) else set()
        # (label whose context applies, start, end): triggers, constructions and actors that are triggers.
        # (a proper name is never a trigger's common noun: Turkish Afyon'da, the city)
        triggers = [(doc.vocab.strings[match_id], start, end) for match_id, start, end in matcher.triggers(doc)
                    if not written_as_name(doc, start, end, matcher)]
        parts = [part for part in matcher.construction_terms(doc) if not written_as_name(doc, part[1], part[2], matcher)]
        triggers += construction_triggers(doc, parts, matcher.construction_windows, boilerplate)
        for span, _ in actor_spans:
            triggers += [(theme_id, span.start, span.end) for theme_id in self._actor_triggers.get(span.label_, ())]
        named = {sentence_of[span.start] for span, kind in actor_spans if kind != "context"}
        found, other_sense = [], []
        for label, start, end in triggers:
            theme_id, _, construction = label.partition("|")
            span = Span(doc, start, end, label=theme_id, kb_id="construction" if construction else "")
            if any(overlaps(span, other) for other in excluded.get(theme_id, ())) \
                    or has_other_sense(span, senses, matcher.sense_windows, matcher.sense_only):
                other_sense.append(span)
                continue
            # (a construction's parts were checked against the boilerplate: a notice may stand between them)
            if not construction and any(overlaps(span, other) for other in boilerplate):
                continue
            unit = units[sentence_of[start]]
            if unit and not relevant_units & {0, unit}:
                continue
            if relevant_paragraphs is not None and not _about_afghanistan(paragraph_of[sentence_of[start]],
                                                                          relevant_paragraphs, headed, roundup):
                continue
            context = matcher.contexts.get(label)
            if context is not None:
                window = _context_window(sentence_of[start], paragraph_of)
                near = context_hits.get(matcher.context_labels[label], set()) | set().union(
                    *(actor_sentences.get(a, set()) for a in context.actors))
                if unit:  # a digest's entry takes its context from itself, the lead near it or the headline (the
                    # sentences of the text's first line, however far), never from another entry
                    in_reach = (units[0] == 0 and bool(headline & near)) or any(
                        units[index] in (0, unit) for index in window & near)
                else:  # ... and the lead from itself, never from an entry after it
                    in_reach = any(units[index] == 0 for index in window & near)
                if not in_reach and not (outer and (matcher.context_labels[label] in outer[0]
                                                         or set(context.actors) & outer[1])):
                    continue
            polysemous = matcher.own_sentence.get(theme_id)
            if polysemous and without_own_evidence(
                    span, polysemous, named | context_hits.get(f"{theme_id}|{OWN_SENTENCE}", set())):
                continue
            found.append(span)
        found = [span for span in found if not same_sense_as_before(
            span, other_sense, senses, named | context_hits.get(matcher.context_labels.get(span.label_, ""), set()))]
        by_theme = defaultdict(list)
        for span in found:
            by_theme[span.label_].append(span)
        kept = []
        for theme_id, spans in by_theme.items():
            stronger = [s for other in self._yields_to.get(theme_id, ()) for s in by_theme.get(other, ())]
            # a word of a yielding theme inside or right next to the stronger one's words is part of them ("removed
            # from the list of terrorist ...": the listing, not terrorism)
            kept += [s for s in filter_spans(spans) if not any(within(s, o, YIELD_GAP) for o in stronger)]
        return kept

    def _matcher(self, lang: str) -> LanguageMatcher:
        if lang not in self._by_lang:
            self._by_lang[lang] = build_language_matcher(self.watchlist, lang)
            log.debug("built the %s matcher", lang)
        return self._by_lang[lang]


_SHARED: dict[tuple[str, float], WatchlistMatcher] = {}


def shared_matcher(watchlist_file) -> WatchlistMatcher:
    """The process-wide matcher for a watchlist file, built on first use and rebuilt if the file changes.

    Workers call this inside tasks, so the pipelines load once per worker process and never at DAG parse time.
    """
    from newsmon.matching.watchlist import load_watchlist

    path = Path(watchlist_file).resolve()
    key = (str(path), path.stat().st_mtime)
    if key not in _SHARED:
        _SHARED.clear()
        _SHARED[key] = WatchlistMatcher(load_watchlist(path))
    return _SHARED[key]
