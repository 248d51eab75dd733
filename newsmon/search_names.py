"""Which watchlist actors and themes the words of a search name, in any of the languages newsmon reads.

"Moscow Format", "Московский формат", "Moskova Formatı" and "فرمت مسکو" name the theme ``moscow_format``;
"Kabulov", "Кабулов" and "Кабулова" name the actor ``zamir_kabulov``. A search that names an actor or theme also
finds the articles tagged with its id in every language (:func:`newsmon.index.queries.find_articles`), so one
query finds the Russian, Turkish and Persian reports of what its English words name.

The query is read by each language's matching pipeline (:func:`newsmon.matching.build.build_language_matcher`:
the same folding and morphology as the articles) and its phrase matchers for actor names (aliases, titled
names, case-sensitive abbreviations) and theme triggers. A name inside one of its entry's exclusion phrases in
any language ("Russian roulette") does not count. Unlike in an article, no context is asked for: a query is a
few words, and naming the thing is its point. Two kinds of names are not taken: a capital that stands for its
government only in context ("Moscow" alone is a city, not Russia), and names that count only in a text about
Afghanistan (context aliases such as ISIS).

The pipelines load spaCy: they are built on the first :meth:`SearchNameFinder.find` (a few seconds), never
on import.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsmon.languages import LANGUAGES

if TYPE_CHECKING:
    from newsmon.matching.build import LanguageMatcher
    from newsmon.matching.watchlist import Watchlist

__all__ = ["NAMING_KINDS", "SearchNameFinder", "SearchNames", "search_name_finder"]

#: The kinds of actor names a query may use to name an actor (see the module docstring).
NAMING_KINDS = frozenset({"alias", "titled"})


@dataclass(frozen=True)
class SearchNames:
    """The watchlist ids a query names, and the words that name them (as written in the query)."""

    actors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    #: id → the query's words that name it.
    surfaces: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.actors or self.themes)

    @property
    def ids(self) -> tuple[str, ...]:
        return self.actors + self.themes

    def to_dict(self) -> dict:
        return {"actors": list(self.actors), "themes": list(self.themes)}


class SearchNameFinder:
    """Finds the actors and themes a query names; build once (per watchlist), call :meth:`find` per query."""

    def __init__(self, watchlist: Watchlist, languages: tuple[str, ...] = LANGUAGES):
        self.watchlist = watchlist
        self.languages = languages
        self._matchers: list[LanguageMatcher] | None = None
        self._lock = threading.Lock()

    def _language_matchers(self) -> list[LanguageMatcher]:
        with self._lock:
            if self._matchers is None:
                from newsmon.matching.build import build_language_matcher

                self._matchers = [build_language_matcher(self.watchlist, lang) for lang in self.languages]
            return self._matchers

    def find(self, query: str) -> SearchNames:
        """The actor and theme ids ``query`` names, each once, in the order of their first word."""
        if not query.strip():
            return SearchNames()
        from newsmon.matching.build import prepare

        text = prepare(query)
        named: list[tuple[int, int, str, str]] = []  # (start, end, kind, id)
        excluded: list[tuple[int, int, str]] = []
        matchers = self._language_matchers()
        with self._lock:  # one query at a time through the pipelines (the monitor serves requests in threads)
            for matcher in matchers:
                self._read(matcher, text, named, excluded)
        kept = sorted((start, end, kind, entry_id) for start, end, kind, entry_id in named
                      if not any(s <= start and end <= e and other == entry_id for s, e, other in excluded))
        actors = tuple(dict.fromkeys(entry_id for _, _, kind, entry_id in kept if kind == "actor"))
        themes = tuple(dict.fromkeys(entry_id for _, _, kind, entry_id in kept if kind == "theme"))
        surfaces = tuple(dict.fromkeys((entry_id, query[start:end]) for start, end, _, entry_id in kept))
        return SearchNames(actors, themes, surfaces)

    @staticmethod
    def _read(matcher: LanguageMatcher, text: str, named: list, excluded: list) -> None:
        """Add the names (actor names of :data:`NAMING_KINDS`, theme triggers) and exclusion phrases that
        ``matcher``'s language finds in ``text``, as character spans."""
        doc = matcher.nlp(text)
        strings = doc.vocab.strings
        for match_id, start, end in [*matcher.actors(doc), *matcher.actors_exact(doc)]:
            entry_id, _, kind = strings[match_id].partition("|")
            if kind in NAMING_KINDS:
                named.append((doc[start:end].start_char, doc[start:end].end_char, "actor", entry_id))
        for match_id, start, end in matcher.triggers(doc):
            named.append((doc[start:end].start_char, doc[start:end].end_char, "theme", strings[match_id]))
        for match_id, start, end in matcher.exclusions(doc):
            excluded.append((doc[start:end].start_char, doc[start:end].end_char, strings[match_id]))


_FINDERS: dict[tuple[str, float], SearchNameFinder] = {}
_FINDERS_LOCK = threading.Lock()


def search_name_finder(watchlist_file: Path | str) -> SearchNameFinder:
    """The process-wide finder for a watchlist file, made on first use and again when the file changes.

    Raises :class:`~newsmon.errors.ConfigError` (with file and line) for a watchlist that does not load.
    """
    from newsmon.matching.watchlist import load_watchlist

    path = Path(watchlist_file).resolve()
    key = (str(path), path.stat().st_mtime)
    with _FINDERS_LOCK:
        if key not in _FINDERS:
            _FINDERS.clear()
            _FINDERS[key] = SearchNameFinder(load_watchlist(path))
        return _FINDERS[key]
