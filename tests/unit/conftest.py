"""Fixtures the unit tests share."""

from __future__ import annotations

import pytest

from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def matcher() -> WatchlistMatcher:
    """The matcher of the project's own watchlist, built once per test module."""
    return WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))


@pytest.fixture(scope="module")
def found(matcher):
    """The ids the project's matcher finds in a text, of one kind or both: ``found(text, lang, kind=None)``."""
    def ids(text: str, lang: str, kind: str | None = None) -> set[str]:
        return {m.id for m in matcher.match(text, lang) if kind is None or m.kind == kind}
    return ids
