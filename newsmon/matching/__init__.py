"""Actors and themes of the watchlist, found in four languages."""

from newsmon.matching.matcher import WatchlistMatcher, shared_matcher
from newsmon.matching.watchlist import Watchlist, load_watchlist

__all__ = ["Watchlist", "WatchlistMatcher", "load_watchlist", "shared_matcher"]
