"""Build one language's matching pipeline and phrase matchers from the watchlist.

The pipeline is a blank spaCy language: :class:`~newsmon.matching.tokenizer.WordTokenizer` →
``watchlist_normalizer`` (``token.norm_`` is the watchlist key, :mod:`newsmon.matching.normalize`) →
``sentence_starts``. Every watchlist phrase goes through the same pipeline, so ``PhraseMatcher`` on ``NORM``
finds inflected and variant forms. Text and phrases are first prepared alike by :func:`prepare` (same length,
so offsets stay those of the input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from newsmon.languages import profile
from newsmon.matching import components  # noqa: F401 - registers the pipeline components
from newsmon.matching.normalize import Normalizer, is_abbreviation
from newsmon.matching.tokenizer import WordTokenizer
from newsmon.matching.watchlist import SenseRule, ThemeContext, Watchlist

__all__ = ["NOT_INVOLVING", "OWN_SENTENCE", "LanguageMatcher", "build_language_matcher", "merged_words", "prepare"]

#: The suffix of the context-term label whose phrases name Afghanistan without involving it (``<theme>|not_involving``).
NOT_INVOLVING = "not_involving"
#: The suffix of the context-term label of a theme's ``own_sentence`` terms (``<theme>|own_sentence``).
OWN_SENTENCE = "own_sentence"
#: The suffix of a sense rule's label for the words that keep its trigger's own sense (``<theme>|<n>|unless``).
UNLESS = "unless"

#: Same-length rewrites before tokenising, so offsets stay those of the input: exotic spaces become spaces, a
#: hyphen inside a word becomes a space ("facial-recognition" reads as "facial recognition", "al-Qaeda" as
#: "al Qaeda"), a Persian suffix written after a space ("دارایی های") is joined to its word with a ZWNJ, and
#: a ZWNJ between the two words of a Persian compound is read as a space.
_SPACES = str.maketrans({c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
                                        "\u2009\u200a\u202f\u205f\u3000"})
_INNER_HYPHEN = re.compile(r"(?<=\w)[-\u2010\u2011](?=\w)")
#: ... and a hyphen typed with a space on one side only, between two words ("افغان- ترانس", "Tajik -Afghan"; a dash
#: between clauses has a space on both sides): the hyphen becomes a zero-width space, which the tokenizer keeps inside
#: the word it touches and the normaliser drops, so the two words stand one space apart.
_LOOSE_HYPHEN_BEFORE = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011] (?=[^\W\d_])")
_LOOSE_HYPHEN_AFTER = re.compile(r"(?<=[^\W\d_]) [-\u2010\u2011](?=[^\W\d_])")
#: Persian suffixes written after a ZWNJ or a space (plural, ezafe, possessive, comparative): part of their word.
_FA_SUFFIX = r"(?:هایی|های|ها|ترین|تر|ای|یی|ی|ام|ات|اش|مان|تان|شان)(?![\u0600-\u06ff])"
_DETACHED_SUFFIX = re.compile(rf"(?<=[\u0600-\u06ff]) (?={_FA_SUFFIX})")
#: A ZWNJ anywhere else joins two words of a compound (راه‌آهن, اسلام‌آباد, همه‌شمول): read as two words, as
#: when they are written with a space.
_COMPOUND_ZWNJ = re.compile(rf"\u200c(?!{_FA_SUFFIX})")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")


def prepare(text: str) -> str:
    """``text`` with the same-length rewrites above (applied to watchlist phrases and texts alike)."""
    text = _INNER_HYPHEN.sub(" ", text.translate(_SPACES))
    text = _LOOSE_HYPHEN_AFTER.sub(" \u200b", _LOOSE_HYPHEN_BEFORE.sub("\u200b ", text))
    if _ARABIC_LETTER.search(text):
        text = _DETACHED_SUFFIX.sub("\u200c", _COMPOUND_ZWNJ.sub(" ", text))
    return text


@dataclass
class LanguageMatcher:
    """One language's pipeline and matchers. Match labels: actors ``<id>|alias|government|context|titled``, themes
    ``<id>``; constructions ``<theme>|<n>|a|b``; context terms ``<theme>`` (or ``<theme>|<n>`` for a
    construction's own; ``<theme>|not_involving`` for the phrases in which they do not count); senses
    ``<theme or actor>|<n>``; boilerplate ``boilerplate`` (fixed formulas) and ``disclaimer|banned``,
    ``disclaimer|where``, ``disclaimer|statement``, ``disclaimer|list`` (the words of a notice and around it,
    :func:`~newsmon.matching.rules.notices`)."""

    lang: str
    nlp: Language
    actors: PhraseMatcher
    actors_exact: PhraseMatcher
    exclusions: PhraseMatcher
    triggers: PhraseMatcher
    context_terms: PhraseMatcher
    relevance_terms: PhraseMatcher
    #: The border words of :class:`~newsmon.matching.watchlist.LookAlikeStories` (label ``border``).
    border_terms: PhraseMatcher
    construction_terms: PhraseMatcher
    sense_terms: PhraseMatcher
    titles: PhraseMatcher
    boilerplate: PhraseMatcher
    #: The watchlist's ``state_nouns`` (label ``state``).
    state_nouns: PhraseMatcher
    #: The disclaimers' ``epithet`` forms, matched as written (lower case; label ``epithet``).
    epithets: PhraseMatcher
    place_before: frozenset[str] = frozenset()
    #: The phrases (normalised words) before a name that make it the agent ("از سوی", by).
    place_agent: frozenset[tuple[str, ...]] = frozenset()
    place_after: frozenset[str] = frozenset()
    place_building: frozenset[str] = frozenset()
    #: The normalised words of the government aliases that are never a dateline (buildings: the Kremlin).
    place_not_dateline: frozenset[str] = frozenset()
    #: The normalised words of the ``places.regions`` (US states: "Moscow, Idaho" is a town there).
    place_regions: frozenset[tuple[str, ...]] = frozenset()
    #: Label → the context its matches must have nearby (themes and constructions), and the label its context
    #: terms were added under (a construction without its own ``concerning`` uses its theme's).
    contexts: dict[str, ThemeContext | None] = field(default_factory=dict)
    context_labels: dict[str, str] = field(default_factory=dict)
    #: Construction label ``<theme>|<n>`` → its window; sense label ``<theme>|<n>`` → its window.
    construction_windows: dict[str, int] = field(default_factory=dict)
    sense_windows: dict[str, int] = field(default_factory=dict)
    #: Sense label → the normalised words of the only triggers it applies to (absent: all of its theme's).
    sense_only: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    #: Sense labels whose words count only as a location (with the language's locative ending, if it has one).
    sense_located: frozenset[str] = frozenset()
    #: The normalised words the watchlist writes capitalised somewhere (names: Afgan, Donbas), which a capitalised
    #: word in the text may be (:func:`~newsmon.matching.rules.written_as_name`).
    capitalised: frozenset[str] = frozenset()
    #: Theme → the normalised words of its polysemous triggers, which need evidence in their own sentence (its
    #: ``own_sentence`` terms are context terms labelled ``<theme>|own_sentence``).
    own_sentence: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    #: Person actor → the normalised given names of its full-name aliases (``Sergey`` of "Sergey Lavrov"): a
    #: surname after another given name is a namesake (:mod:`newsmon.matching.names`).
    own_names: dict[str, frozenset[str]] = field(default_factory=dict)


def with_glued(phrases: list[str], lang: str) -> list[str]:
    """``phrases`` and, where the language's compounds may arrive glued (Persian without its ZWNJ), each phrase of
    several words once more with each one of its spaces closed (عقب نشینی → عقبنشینی; not beside a word written
    apart, :attr:`~newsmon.languages.Morphology.unglued_words`: مرز با is never مرزبا), and a phrase listed with
    the ZWNJs of its compounds once more without them, the way a copy that drops them writes it (تفاهم‌نامه →
    تفاهمنامه, سی‌اس‌کا → سیاسکا: all of them, never a part of a word glued to the rest)."""
    morphology = profile(lang).morphology
    if not morphology.glued_compounds:
        return phrases
    apart = frozenset(morphology.unglued_words)
    glued = [f"{' '.join(words[:i + 1])}{' '.join(words[i + 1:])}" for words in (phrase.split(" ") for phrase in phrases)
             for i in range(len(words) - 1) if words[i] not in apart and words[i + 1] not in apart]
    glued += [joined for phrase in phrases if "\u200c" in phrase
              if (joined := _COMPOUND_ZWNJ.sub("", phrase)) != phrase]
    return phrases + glued


def with_inner_words(phrases: list[str], lang: str) -> list[str]:
    """``phrases`` and each phrase of several words once more with each word the language puts before its last word:
    the verb prefixes a compound verb's light verb takes (Persian خارج شوند → خارج می شوند, as typed apart or as the
    tokenizer splits خارج می‌شوند; خارج نمی شوند), and the indefinite article between an adjective and its noun
    (Turkish ulusal uzlaşı → ulusal bir uzlaşı)."""
    morphology = profile(lang).morphology
    inner = morphology.verb_prefixes + ((morphology.inner_article,) if morphology.inner_article else ())
    return phrases + [f"{head} {word} {last}" for phrase in phrases
                      for head, _, last in [phrase.rpartition(" ")] if head for word in inner]


def _sense_phrases(rule: SenseRule, lang: str) -> list[str]:
    return rule.near.get(lang, []) + rule.only.get(lang, []) + rule.unless.get(lang, [])


def _phrases(watchlist: Watchlist, lang: str) -> list[str]:
    """Every phrase of the watchlist in ``lang``: the vocabulary its normaliser cuts inflected words back to."""
    phrases: list[str] = []
    for actor in watchlist.actors:
        phrases += actor.aliases.get(lang, []) + actor.government_aliases.get(lang, [])
        phrases += actor.not_.get(lang, []) + actor.context_aliases.get(lang, [])
        phrases += actor.titled_aliases.get(lang, []) + actor.titles.get(lang, [])
        phrases += actor.state_adjectives.get(lang, [])
        phrases += [p for rule in actor.senses for p in _sense_phrases(rule, lang)]
    for theme in watchlist.themes:
        phrases += theme.triggers.get(lang, []) + theme.not_.get(lang, [])
        phrases += [p for c in theme.constructions for p in c.head.get(lang, []) + c.with_.get(lang, [])]
        phrases += [p for c in theme.constructions if c.concerning for p in watchlist.context_terms(c.concerning, lang)
                    + c.concerning.not_involving.get(lang, [])]
        phrases += [p for rule in theme.senses for p in _sense_phrases(rule, lang)]
        if theme.own_sentence:
            phrases += theme.own_sentence.triggers.get(lang, []) + theme.own_sentence.terms.get(lang, [])
        phrases += watchlist.context_terms(theme.context, lang)
        phrases += theme.context.not_involving.get(lang, []) if theme.context else []
    phrases += watchlist.context_terms(watchlist.relevance, lang) + watchlist.look_alike_stories.border.get(lang, [])
    phrases += watchlist.places.before.get(lang, []) + watchlist.places.after.get(lang, [])
    phrases += watchlist.places.building.get(lang, []) + watchlist.places.not_datelines.get(lang, [])
    phrases += watchlist.boilerplate.get(lang, []) + watchlist.state_nouns.get(lang, [])
    phrases += watchlist.disclaimers.banned.get(lang, []) + watchlist.disclaimers.where.get(lang, [])
    phrases += watchlist.disclaimers.statement.get(lang, []) + watchlist.disclaimers.list_words.get(lang, [])
    return with_glued(phrases, lang)


def _base_vocabulary(words: set[str], protected: set[str], lang: str,
                     merges: dict[str, str] | None = None) -> frozenset[str]:
    """The watchlist's words in their base forms: a listed word that the language's morphology cuts back to
    another listed word (Turkish ``listesi`` → ``liste``, English ``sanctions`` → ``sanction``) is replaced by
    it, so every form of one word has one key (``merges`` records each: word → the word it became).
    ``protected`` words (false friends) are never cut back."""
    vocabulary = set(words) | protected
    probe = Normalizer(lang)
    changed = True
    while changed:
        changed = False
        for word in sorted(vocabulary - protected):
            others = frozenset(vocabulary - {word})
            probe.vocabulary = others
            reduced = probe.reduce(word)
            if reduced is not None and reduced in others:
                vocabulary.discard(word)
                if merges is not None:
                    merges[word] = reduced
                changed = True
    return frozenset(vocabulary)


def _listed_words(watchlist: Watchlist, lang: str, nlp: Language) -> tuple[list[str], set[str]]:
    """Every token of the watchlist's phrases in ``lang``, and the folded false friends (never cut back)."""
    probe = Normalizer(lang)
    tokens = [t.text for p in _phrases(watchlist, lang) for t in nlp.make_doc(prepare(p)) if not t.is_space]
    protected = {probe.fold_only(t.text) for p in watchlist.false_friends.get(lang, [])
                 for t in nlp.make_doc(prepare(p)) if not t.is_space}
    return tokens, protected


def merged_words(watchlist: Watchlist, lang: str) -> dict[str, str]:
    """Listed words the morphology merges with another listed word (folded word → the word it is read as). A merge
    of two different words (Turkish *havan*, a mortar, read as *hava*, air) makes one match the other's text:
    each is either an inflection or a false friend to list under ``false_friends``."""
    nlp = spacy.blank(profile(lang).spacy_lang)
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    probe = Normalizer(lang)
    tokens, protected = _listed_words(watchlist, lang, nlp)
    merges: dict[str, str] = {}
    _base_vocabulary({probe.base(t) for t in tokens if not is_abbreviation(t)}, protected, lang, merges)
    return merges


def build_language_matcher(watchlist: Watchlist, lang: str) -> LanguageMatcher:
    """The pipeline and phrase matchers of ``lang`` for ``watchlist``."""
    nlp = spacy.blank(profile(lang).spacy_lang)
    nlp.tokenizer = WordTokenizer(nlp.vocab)
    component = nlp.add_pipe("watchlist_normalizer")
    nlp.add_pipe("sentence_starts")
    probe = Normalizer(lang)
    tokens, protected = _listed_words(watchlist, lang, nlp)
    abbreviations = frozenset(probe.base(t) for t in tokens if is_abbreviation(t))
    vocabulary = _base_vocabulary({probe.base(t) for t in tokens if not is_abbreviation(t)}, protected, lang)
    normalizer = Normalizer(lang, vocabulary, abbreviations)
    # Proper names: keys the watchlist only ever writes capitalised (Лавров; not российский, also listed lower-case).
    words = [t.text for p in _phrases(watchlist, lang) for t in nlp.make_doc(prepare(p)) if t.is_alpha]
    lower = {normalizer.key(w) for w in words if w[:1].islower()}
    names = [t.text for actor in watchlist.actors
             for p in actor.aliases.get(lang, []) + actor.titled_aliases.get(lang, [])
             for t in nlp.make_doc(prepare(p)) if t.text[:1].isupper() and not is_abbreviation(t.text)]
    normalizer.proper = frozenset(normalizer.key(t) for t in names) - lower
    normalizer.key.cache_clear()
    component.normalizer = normalizer
    if normalizer.morphology.prefixes:
        nlp.tokenizer.split = normalizer.split

    def matcher(attr: str = "NORM") -> PhraseMatcher:
        return PhraseMatcher(nlp.vocab, attr=attr)

    built = LanguageMatcher(
        lang=lang, nlp=nlp, actors=matcher(), actors_exact=matcher("ORTH"), exclusions=matcher(),
        triggers=matcher(), context_terms=matcher(), relevance_terms=matcher(), border_terms=matcher(), construction_terms=matcher(),
        sense_terms=matcher(), titles=matcher(), boilerplate=matcher(), state_nouns=matcher(), epithets=matcher("LOWER"),
        place_before=frozenset(normalizer.key(w) for w in watchlist.places.before.get(lang, [])),
        place_agent=frozenset(tuple(normalizer.key(w) for w in phrase.split())
                              for phrase in watchlist.places.agent.get(lang, [])),
        place_after=frozenset(normalizer.key(w) for w in watchlist.places.after.get(lang, [])),
        place_building=frozenset(normalizer.key(w) for w in watchlist.places.building.get(lang, [])),
        place_not_dateline=frozenset(normalizer.key(w) for w in watchlist.places.not_datelines.get(lang, [])),
        place_regions=frozenset(tuple(normalizer.key(w) for w in prepare(region).split())
                                for region in watchlist.places.regions.get(lang, [])),
        capitalised=frozenset(normalizer.key(w) for w in words if w[:1].isupper()))

    def docs(texts: list[str], exact: bool = False) -> list:
        """Watchlist phrases as the pipeline reads them (``exact``: tokenised only, for matching on ORTH)."""
        prepared = [prepare(t) for t in with_inner_words(with_glued(texts, lang), lang)]
        return [nlp.make_doc(t) for t in prepared] if exact else list(nlp.pipe(prepared))

    def add(target: PhraseMatcher, label: str, texts: list[str], exact: bool = False) -> None:
        if texts:
            target.add(label, docs(texts, exact))

    def word_keys(texts: list[str]) -> frozenset[tuple[str, ...]]:
        """Each phrase as its normalised words (what a span's words are compared with: a sense's ``only``
        triggers, a theme's ``own_sentence`` triggers)."""
        return frozenset(tuple(t.norm_ for t in doc if not t.is_space) for doc in docs(texts))

    def add_sense(label: str, rule: SenseRule) -> None:
        """A sense rule of an actor or a theme under ``label``: its words, the words that keep the trigger's sense,
        its window, the triggers it is limited to and whether its words must say where."""
        add(built.sense_terms, label, rule.near.get(lang, []))
        add(built.sense_terms, f"{label}|{UNLESS}", rule.unless.get(lang, []))
        built.sense_windows[label] = rule.window
        if rule.located:
            built.sense_located |= {label}
        if rule.only.get(lang):
            built.sense_only[label] = word_keys(rule.only[lang])

    for actor in watchlist.actors:
        if actor.person:
            built.own_names[actor.id] = frozenset(
                normalizer.key(word) for alias in actor.aliases.get(lang, []) for word in prepare(alias).split()[:-1])
        add(built.actors, f"{actor.id}|alias", actor.aliases.get(lang, []))
        add(built.actors, f"{actor.id}|government", actor.government_aliases.get(lang, []))
        add(built.actors, f"{actor.id}|context", actor.context_aliases.get(lang, []))
        add(built.actors, f"{actor.id}|titled", actor.titled_aliases.get(lang, []))
        add(built.actors, f"{actor.id}|adjective", actor.state_adjectives.get(lang, []))
        add(built.titles, actor.id, actor.titles.get(lang, []))
        add(built.actors_exact, f"{actor.id}|alias", actor.case_sensitive.get(lang, []), exact=True)
        add(built.exclusions, actor.id, actor.not_.get(lang, []))
        for number, rule in enumerate(actor.senses):
            add_sense(f"{actor.id}|{number}", rule)
    for theme in watchlist.themes:
        add(built.triggers, theme.id, theme.triggers.get(lang, []))
        add(built.exclusions, theme.id, theme.not_.get(lang, []))
        built.contexts[theme.id], built.context_labels[theme.id] = theme.context, theme.id
        add(built.context_terms, theme.id, watchlist.context_terms(theme.context, lang))
        if theme.context:
            add(built.context_terms, f"{theme.id}|{NOT_INVOLVING}", theme.context.not_involving.get(lang, []))
        for number, construction in enumerate(theme.constructions):
            label = f"{theme.id}|{number}"
            add(built.construction_terms, f"{label}|a", construction.head.get(lang, []))
            add(built.construction_terms, f"{label}|b", construction.with_.get(lang, []))
            built.construction_windows[label] = construction.window
            built.contexts[label] = construction.concerning or theme.context
            built.context_labels[label] = label if construction.concerning else theme.id
            if construction.concerning:
                add(built.context_terms, label, watchlist.context_terms(construction.concerning, lang))
                add(built.context_terms, f"{label}|{NOT_INVOLVING}", construction.concerning.not_involving.get(lang, []))
        for number, rule in enumerate(theme.senses):
            add_sense(f"{theme.id}|{number}", rule)
        if theme.own_sentence and theme.own_sentence.triggers.get(lang):
            add(built.context_terms, f"{theme.id}|{OWN_SENTENCE}", theme.own_sentence.terms.get(lang, []))
            built.own_sentence[theme.id] = word_keys(theme.own_sentence.triggers[lang])
    add(built.relevance_terms, "relevance", watchlist.context_terms(watchlist.relevance, lang))
    add(built.border_terms, "border", watchlist.look_alike_stories.border.get(lang, []))
    add(built.boilerplate, "boilerplate", watchlist.boilerplate.get(lang, []))
    add(built.state_nouns, "state", watchlist.state_nouns.get(lang, []))
    add(built.boilerplate, "disclaimer|banned", watchlist.disclaimers.banned.get(lang, []))
    add(built.boilerplate, "disclaimer|where", watchlist.disclaimers.where.get(lang, []))
    add(built.boilerplate, "disclaimer|statement", watchlist.disclaimers.statement.get(lang, []))
    add(built.boilerplate, "disclaimer|list", watchlist.disclaimers.list_words.get(lang, []))
    add(built.epithets, "epithet", watchlist.disclaimers.epithet.get(lang, []), exact=True)
    return built
