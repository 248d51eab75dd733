"""Fixtures the unit tests share."""

from __future__ import annotations

import pytest

from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def matcher() -> WatchlistMatcher:
    """The matcher of the project's own watchlist, built once per test module."""
    return WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
