"""What one crawl run of one source did: counts for Airflow and the crawl state, and one event per article URL."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

__all__ = ["CrawlReport"]


@dataclass
class CrawlReport:
    """What one crawl of one source did; returned to Airflow as a small dict (counts, not events)."""

    source: str
    feeds_checked: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    #: Items listed by the feeds read (parsed) in this run.
    discovered: int = 0
    #: Items of unchanged feeds, taken from the state (the feed was not parsed again).
    remembered: int = 0
    fetched: int = 0
    unchanged: int = 0
    queued: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    #: One dict per article URL met (see the module docstring); not part of :meth:`to_dict`.
    events: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"source": self.source, "feeds_checked": self.feeds_checked,
                "feeds_unchanged": self.feeds_unchanged, "feeds_failed": self.feeds_failed,
                "discovered": self.discovered, "remembered": self.remembered, "fetched": self.fetched,
                "unchanged": self.unchanged, "queued": len(self.queued), "skipped": dict(self.skipped),
                "problems": self.problems[:50], "requests": self.requests}
