"""One crawl of a source at a time, across processes: the daily crawl and the fast poll share the state.

The lock is an advisory ``flock`` on ``<state_dir>/crawl/<source>.lock``: the kernel drops it when the holder
exits, so a killed worker never leaves a stale lock behind. The file keeps who holds it, for the log line
of whoever waits.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

from newsmon.errors import CrawlBusy

__all__ = ["CrawlBusy", "CrawlLock"]

log = logging.getLogger(__name__)


class CrawlLock:
    """``with CrawlLock(state_dir, "ankasam", wait_seconds=600):`` — held for the whole crawl of a source."""

    def __init__(self, state_dir: Path, source: str, wait_seconds: float = 600.0, poll_seconds: float = 0.5):
        self.path = state_dir / "crawl" / f"{source}.lock"
        self.source, self.wait_seconds, self.poll_seconds = source, wait_seconds, poll_seconds
        self._handle = None

    def __enter__(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        deadline = time.monotonic() + self.wait_seconds
        announced = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = self.holder()
                if time.monotonic() >= deadline:
                    handle.close()
                    raise CrawlBusy(f"{self.source}: another crawl holds {self.path} ({holder}); gave up after "
                                    f"{self.wait_seconds:.0f}s — it will be crawled by that run or the next one")
                if not announced:
                    log.info("%s: waiting up to %.0fs for the crawl that holds %s (%s)", self.source,
                             self.wait_seconds, self.path, holder)
                    announced = True
                time.sleep(self.poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                 "since": datetime.now(UTC).isoformat(timespec="seconds")}))
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc_info) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def holder(self) -> str:
        """Who holds the lock, as its file says (best effort)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "holder unknown"
        return f"pid {data.get('pid')} on {data.get('host')} since {data.get('since')}"
