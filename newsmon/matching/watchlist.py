"""The watchlist: actors and themes with their names in every language, loaded from one YAML file.

The ids of ``../shared/WATCHLIST.md`` are a contract: :data:`REQUIRED_ACTORS` and :data:`REQUIRED_THEMES`
must all be present, and loading fails (with file and line) on duplicate ids, empty alias lists, unknown
languages or context actors that do not exist.
"""

from __future__ import annotations

import os
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from newsmon.configfile import load_model
from newsmon.languages import LANGUAGES

__all__ = ["REQUIRED_ACTORS", "REQUIRED_THEMES", "Actor", "Construction", "Disclaimers", "SenseRule", "Theme", "Watchlist",
           "load_watchlist"]

REQUIRED_ACTORS = (
    "taliban russia zamir_kabulov amir_khan_muttaqi sergey_lavrov vladimir_putin jamal_nasir_gharwal "
    "dmitry_zhirnov iskp al_qaeda united_states china pakistan iran india tajikistan uzbekistan kazakhstan "
    "kyrgyzstan turkmenistan sco csto un_security_council northern_alliance nato"
).split()
REQUIRED_THEMES = (
    "moscow_format recognition terrorist_designation regional_security drug_trafficking economic_agreements "
    "frozen_reserves diplomatic_missions us_withdrawal inclusive_government ukraine_war"
).split()

def _check_languages(value: dict[str, list[str]]) -> dict[str, list[str]]:
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language key(s) {unknown}; use {list(LANGUAGES)}")
    for lang, phrases in value.items():
        if not phrases:
            raise ValueError(f"empty list under {lang!r}; give at least one phrase or leave the language out")
        blank = [p for p in phrases if not str(p).strip()]
        if blank:
            raise ValueError(f"empty phrase under {lang!r}")
    return value


#: Phrases per language code, e.g. ``{"en": ["Taliban"], "ru": ["Талибан"]}``.
PhrasesByLanguage = Annotated[dict[str, list[str]], AfterValidator(_check_languages)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    #: Phrases containing a name that mean something else; matches inside them are dropped.
    not_: PhrasesByLanguage = Field(default_factory=dict, alias="not")


class Actor(_Entry):
    """A person, state or organisation."""

    aliases: PhrasesByLanguage
    #: Matched only in this exact case (abbreviations that are also words).
    case_sensitive: PhrasesByLanguage = Field(default_factory=dict)
    #: Names that count only where they stand for the government, not the place (Moscow, Kremlin).
    government_aliases: PhrasesByLanguage = Field(default_factory=dict)
    #: Names that count only in a text about Afghanistan (ISIS/Daesh mean ISKP there, not in Iraq).
    context_aliases: PhrasesByLanguage = Field(default_factory=dict)
    #: Surnames that are also common words (Persian متقی, "pious"): they count next to one of the ``titles``
    #: (within three tokens) or once the full name has been used in the text.
    titled_aliases: PhrasesByLanguage = Field(default_factory=dict)
    titles: PhrasesByLanguage = Field(default_factory=dict)
    #: The adjective of the state's people (Tajik, узбекский): the state only right next to one of the watchlist's
    #: ``state_nouns`` ("the Tajik foreign ministry", «узбекская сторона», «طرف ازبک»); a people is no state.
    state_adjectives: PhrasesByLanguage = Field(default_factory=dict)
    #: ... or when the text names one of these actors (the political sense of the word: Dari پوتین, "boots", is
    #: the president in a text that names the Taliban or Russia).
    titled_context: list[str] = Field(default_factory=list)
    #: Words that give a name another sense nearby: "Russian" next to "language" is a language, not the state.
    senses: list["SenseRule"] = Field(default_factory=list)
    #: A person: the surname alone, right after another given name, is a namesake ("Igor Zhirnov"); the words before
    #: the surname in the full-name aliases are the person's own given names (``Sergey`` of "Sergey Lavrov").
    person: bool = False

    @model_validator(mode="after")
    def _has_names(self) -> "Actor":
        if not any(self.aliases.values()) and not any(self.case_sensitive.values()):
            raise ValueError(f"actor {self.id!r} has no aliases; give at least one name")
        return self


class ThemeContext(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    actors: list[str] = Field(default_factory=list)
    terms: PhrasesByLanguage = Field(default_factory=dict)
    #: The watchlist's gazetteer of Afghan places (``afghan_places``) counts too: a province or border crossing
    #: places the text in Afghanistan as its name does.
    afghan_places: bool = False
    #: Phrases in which a term names Afghanistan without involving it: a neighbour's border ("a province bordering
    #: Afghanistan"), a point on the map ("west of Afghanistan"), a person's origin ("an Afghan-born trader"). A term
    #: inside one does not count as the context.
    not_involving: PhrasesByLanguage = Field(default_factory=dict)


class Construction(BaseModel):
    """A theme stated in other words: a ``head`` word with a ``with`` word near it (within ``window`` tokens, in
    either order), about something the ``concerning`` actors or terms name in the same sentence or up to two
    sentences either side (the theme's own ``context`` when not given). "the pull-out of the US-led coalition": head
    ``pull-out``, with ``coalition``, concerning Afghanistan."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    head: PhrasesByLanguage
    with_: PhrasesByLanguage = Field(alias="with")
    concerning: ThemeContext | None = None
    window: int = Field(default=6, ge=1, le=20)


class SenseRule(BaseModel):
    """Words that, within ``window`` tokens of a trigger (either side, in its sentence), give it another sense, so
    the trigger is dropped: "recognize … as a terrorist organisation" is designation, not recognition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    near: PhrasesByLanguage
    #: (at most a long sentence: a Persian clause closes with its verb twenty words after the subject it qualifies)
    window: int = Field(default=4, ge=0, le=30)
    #: Only the matches that hold one of these words take the other sense (all of the theme's, if empty): "promote
    #: regional stability" is a benefit hoped for, while an attack near "promote" is still an attack.
    only: PhrasesByLanguage = Field(default_factory=dict)
    #: ... and none of them takes it where one of these words stands within the window too: another state's embassy
    #: "in Dushanbe" is no Afghan mission, the Afghan embassy in Dushanbe is one.
    unless: PhrasesByLanguage = Field(default_factory=dict)
    #: The ``near`` words name where the trigger is: in a language that marks it by a case ending (Turkish
    #: Duşanbe'deki) they count only with it; the others write the preposition in the phrase ("in Dushanbe").
    located: bool = False


class OwnSentence(BaseModel):
    """Triggers too polysemous for the theme's context two sentences away: "recognition" is also a talent's, a
    degree's, a problem's. One of ``triggers`` (not a construction) counts only in a sentence of its own that names an
    actor or holds one of ``terms`` (the words of states and their acts: government, official, diplomatic)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    triggers: PhrasesByLanguage
    terms: PhrasesByLanguage


class Theme(_Entry):
    """A subject analysts follow, signalled by trigger phrases (or constructions) in a required context."""

    triggers: PhrasesByLanguage
    constructions: list[Construction] = Field(default_factory=list)
    #: Actors whose mention is itself a trigger (an ISKP or al-Qaeda mention is a security matter).
    trigger_actors: list[str] = Field(default_factory=list)
    context: ThemeContext | None = None
    senses: list[SenseRule] = Field(default_factory=list)
    own_sentence: OwnSentence | None = None
    #: Themes whose expressions absorb this theme's triggers: "terrorist" in "terrorist list" is designation,
    #: not a statement about security.
    yields_to: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_triggers(self) -> "Theme":
        if not any(self.triggers.values()):
            raise ValueError(f"theme {self.id!r} has no triggers; give at least one phrase")
        return self


class PlaceWords(BaseModel):
    """Words right before or after a government alias that make it a place ("in Moscow", "Moscow metro")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    before: PhrasesByLanguage = Field(default_factory=dict)
    after: PhrasesByLanguage = Field(default_factory=dict)
    #: Words that name a building with the capital before it (Persian کاخ کرملین, the Kremlin palace): a place after
    #: a ``before`` word ("در کاخ کرملین", in the Kremlin), the government otherwise ("کاخ کرملین اعلام کرد").
    building: PhrasesByLanguage = Field(default_factory=dict)
    #: Phrases right before a name that make it the agent, though they end in a ``before`` word: Persian از سوی
    #: مسکو, "by Moscow" (سوی alone is "towards", a place).
    agent: PhrasesByLanguage = Field(default_factory=dict)
    #: Government aliases that are buildings, not cities, and so never a dateline: "KREMLIN: no decision yet" is the
    #: Kremlin speaking, as "MOSCOW: ..." at the head of a line is the place the story was filed from.
    not_datelines: PhrasesByLanguage = Field(default_factory=dict)
    #: Regions of other countries whose towns share an actor's name, as the address writes them after a comma: any
    #: actor's name so followed is that town ("Moscow, Idaho", "China, Maine", "Kremlin, Montana").
    regions: PhrasesByLanguage = Field(default_factory=dict)


class Disclaimers(BaseModel):
    """The words of the notices some media must print after a name («(запрещено в РФ)», "a terrorist organisation
    banned in Russia", "* under UN sanctions for terrorist activity"): a bracket, a footnote line or a short
    apposition holding a ``banned`` word and a ``where`` word is a notice, and no theme word inside it counts. A
    stretch that holds a ``statement`` word (a removal from the list, a suspension) says something about the listing
    and is never a notice. An ``epithet`` (the banned word as an attribute: "the banned", «запрещённой»; written as it
    stands, matched lower-case) a few words before a name is a notice too: «представители запрещенной
    террористической организации "Талибан"»."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    banned: PhrasesByLanguage = Field(default_factory=dict)
    where: PhrasesByLanguage = Field(default_factory=dict)
    statement: PhrasesByLanguage = Field(default_factory=dict)
    epithet: PhrasesByLanguage = Field(default_factory=dict)
    #: The list a clause between commas may describe: right after the list's words it is the list's description,
    #: no notice («находился в списке организаций, признанных в РФ террористическими, с 2003 года»).
    list_words: PhrasesByLanguage = Field(default_factory=dict)


class LookAlikeStories(BaseModel):
    """A story about a look-alike of a relevance actor inside its own country (the Pakistani Taliban in Pakistan)
    names the Afghan border without being about Afghanistan: in a text that names one of the look-alikes of
    ``of`` (their ``not`` names) and no relevance actor, an Afghan name within ``window`` tokens of a ``border``
    word only places the event ("near the Afghan border") and does not pass the relevance gate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    of: list[str] = Field(default_factory=list)
    border: PhrasesByLanguage = Field(default_factory=dict)
    window: int = Field(default=2, ge=0, le=6)


class Watchlist(BaseModel):
    """All actors and themes, plus the relevance gate (a text with none of it gets no themes).

    Top-level keys starting with ``x-`` are for YAML anchors the entries share (``&afghanistan``), and ignored.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data):
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if not str(key).startswith("x-")}
        return data

    version: int = 1
    actors: list[Actor] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    relevance: ThemeContext
    look_alike_stories: LookAlikeStories = LookAlikeStories()
    #: Afghan provinces, cities and border crossings, per language: terms of every context with ``afghan_places``.
    afghan_places: PhrasesByLanguage = Field(default_factory=dict)
    places: PlaceWords = PlaceWords()
    #: Fixed formulas inside which no theme trigger counts: the disclaimers some media must print after a name
    #: («признано террористическим и запрещено в РФ», "banned in Russia").
    boilerplate: PhrasesByLanguage = Field(default_factory=dict)
    disclaimers: Disclaimers = Disclaimers()
    #: Words that look like an inflected form of a watchlist word but are another word (Turkish ``kabile``,
    #: tribe, is not ``Kabil``, Kabul; Russian ``Кабулов`` is not ``Кабул``): never cut back.
    false_friends: PhrasesByLanguage = Field(default_factory=dict)
    #: The institutions, officials and territory of a state, next to which a people's adjective names the state
    #: (an actor's ``state_adjectives``): government, border guards, side, capital.
    state_nouns: PhrasesByLanguage = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> "Watchlist":
        ids = [a.id for a in self.actors] + [t.id for t in self.themes]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate id(s) {duplicates}; every actor and theme needs its own id")
        actor_ids = {a.id for a in self.actors}
        references = [(t.id, t.context.actors) for t in self.themes if t.context]
        references += [(t.id, c.concerning.actors) for t in self.themes for c in t.constructions if c.concerning]
        references += [(t.id, t.trigger_actors) for t in self.themes] + [("relevance", self.relevance.actors)]
        references += [(a.id, a.titled_context) for a in self.actors]
        references += [("look_alike_stories", self.look_alike_stories.of)]
        for owner, actors in references:
            unknown = sorted(set(actors) - actor_ids)
            if unknown:
                raise ValueError(f"{owner}: names unknown actor(s) {unknown}")
        if any(self.relevance.not_involving.values()):
            raise ValueError("relevance: not_involving applies to a theme's context only; a text that names "
                             "Afghanistan only near a border is a look_alike_stories matter")
        theme_ids = {t.id for t in self.themes}
        for theme in self.themes:
            unknown = sorted(set(theme.yields_to) - theme_ids)
            if unknown:
                raise ValueError(f"{theme.id}: yields_to names unknown theme(s) {unknown}")
        missing = sorted(set(REQUIRED_ACTORS) - actor_ids) + sorted(set(REQUIRED_THEMES) - {t.id for t in self.themes})
        if missing:
            raise ValueError(f"missing contract id(s) {missing} (see WATCHLIST.md); they may not be removed")
        return self


    def context_terms(self, context: ThemeContext | None, lang: str) -> list[str]:
        """The terms of ``context`` in ``lang``, with the gazetteer of Afghan places where it asks for them."""
        if context is None:
            return []
        return context.terms.get(lang, []) + (self.afghan_places.get(lang, []) if context.afghan_places else [])


Actor.model_rebuild()


def load_watchlist(path: str | os.PathLike) -> Watchlist:
    """Load and validate the watchlist file."""
    return load_model(path, Watchlist)
