"""A durable work queue on disk: one JSON file per item, removed only when the item is done.

The crawl puts what it archived on the ``process`` queue; processing removes an item only after its
article is written to Elasticsearch, so a crash loses nothing and a rerun redoes only what was not done.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsmon.files import atomic_write_bytes

__all__ = ["WorkQueue"]


class WorkQueue:
    """Items keyed by id (re-putting an id replaces it), in directory ``path``."""

    def __init__(self, path: Path):
        self.path = path

    def put(self, item_id: str, payload: dict) -> None:
        atomic_write_bytes(self.path / f"{item_id}.json", json.dumps(payload, sort_keys=True).encode("utf-8"))

    def items(self) -> list[tuple[str, dict]]:
        """All pending items, oldest id first (sorted, so runs are deterministic)."""
        return [(item_id, item) for item_id in self.ids() if (item := self.get(item_id)) is not None]

    def get(self, item_id: str) -> dict | None:
        """The pending item ``item_id``, or ``None`` if it is done (or unreadable)."""
        try:
            return json.loads((self.path / f"{item_id}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):  # half-written by a crashed writer cannot happen (atomic); never crash on it
            return None

    def ids(self) -> list[str]:
        """The pending ids, sorted, without reading the items."""
        return sorted(file.stem for file in self.path.glob("*.json")) if self.path.exists() else []

    def done(self, item_id: str) -> None:
        (self.path / f"{item_id}.json").unlink(missing_ok=True)

    def __len__(self) -> int:
        return len(list(self.path.glob("*.json"))) if self.path.exists() else 0
