"""The feed watcher as an Airflow event trigger: it runs in the triggerer and fires when a feed shows something new.

``Asset("newsmon://feeds/changed", watchers=[AssetWatcher(name=..., trigger=FeedWatchTrigger())])``
(:data:`newsmon.assets.FEEDS_CHANGED`) schedules ``news_fast``. The trigger polls every source of the sources file
(or those named by ``sources``), each every ``politeness.feed_poll_seconds`` (``poll_seconds`` overrides it for
all), with :class:`~newsmon.crawl.watch.SourceWatch` on the triggerer's event loop, and yields one
:class:`TriggerEvent` per batch of news: ``{"sources": [...], "items": n, "urls": [first 20], "detected_at": ISO
time}``. Nothing new: no event, so no DAG run.

It is rebuilt in the triggerer from :meth:`serialize`'s kwargs alone and keeps nothing that matters in memory:
validators and announcements are in the shared crawl state (:mod:`newsmon.crawl.watch`). Settings and sources come
from the triggerer's own environment (``NEWSMON_*``), as for every other component. A source whose poll fails
(its crawl state unreachable, every feed down) is logged and polled again after a back-off that doubles up to
:data:`MAX_BACKOFF_SECONDS`; the other sources go on, and the trigger itself never ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from airflow.triggers.base import BaseEventTrigger, TriggerEvent

__all__ = ["MAX_BACKOFF_SECONDS", "FeedWatchTrigger"]

#: Sources that found something within this many seconds of each other are announced in one event.
GATHER_SECONDS = 0.5
#: The longest wait between two polls of a source that keeps failing.
MAX_BACKOFF_SECONDS = 600.0


def _backoff(interval: float, failures: int) -> float:
    """The wait before the next poll of a source after ``failures`` failed polls in a row: doubling, bounded."""
    return min(MAX_BACKOFF_SECONDS, interval * 2 ** min(failures, 10))


class FeedWatchTrigger(BaseEventTrigger):
    """Polls the feeds of ``sources`` (empty: every source) every ``poll_seconds`` (``None``: each source's
    ``politeness.feed_poll_seconds``); fires when one lists something the crawl has not fetched."""

    def __init__(self, poll_seconds: float | None = None, sources: list[str] | None = None):
        super().__init__()
        self.poll_seconds = poll_seconds
        self.sources = list(sources or [])

    def serialize(self) -> tuple[str, dict]:
        return (f"{type(self).__module__}.{type(self).__qualname__}",
                {"poll_seconds": self.poll_seconds, "sources": self.sources})

    async def run(self, store=None, client=None) -> AsyncIterator[TriggerEvent]:
        """Poll for ever. ``store`` (a :class:`~newsmon.crawl.watch.WatchStore`) and ``client`` (an
        ``httpx.AsyncClient``) replace the shared crawl state and the network (tests)."""
        import httpx

        from newsmon.crawl.watch import SharedWatchStore, SourceWatch
        from newsmon.settings import load_settings
        from newsmon.sources import load_registry

        settings = load_settings()
        registry = load_registry(settings)
        names = self.sources or registry.names()
        own_client = client is None
        client = client or httpx.AsyncClient(headers={"User-Agent": settings.user_agent,
                                                      "Accept-Encoding": "gzip, deflate"})
        store = store or SharedWatchStore(settings)
        watches = [SourceWatch(registry.get(name), settings, client, store) for name in names]
        found: asyncio.Queue = asyncio.Queue()
        loops = [asyncio.create_task(self._watch(watch, found), name=f"watch-{watch.source.name}")
                 for watch in watches]
        self.log.info("watching the feeds of %s (every %s s)", ", ".join(names), self.poll_seconds or
                      {w.source.name: w.source.politeness.feed_poll_seconds for w in watches})
        try:
            while True:
                batch = [await found.get()]
                await asyncio.sleep(GATHER_SECONDS)
                while not found.empty():
                    batch.append(found.get_nowait())
                urls = [url for poll in batch for url in poll.new_items]
                sources = sorted({poll.source for poll in batch})
                self.log.info("new in the feeds of %s: %d item(s)", ", ".join(sources), len(urls))
                yield TriggerEvent({"sources": sources, "items": len(urls), "urls": urls[:20],
                                    "detected_at": datetime.now(UTC).isoformat(timespec="seconds")})
        finally:
            for loop in loops:
                loop.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
            if own_client:
                await client.aclose()

    async def _watch(self, watch, found: asyncio.Queue) -> None:
        """Poll one source for ever, at its interval (measured from the start of each poll), backing off while
        its polls fail."""
        interval = float(self.poll_seconds or watch.source.politeness.feed_poll_seconds)
        loop = asyncio.get_running_loop()
        failures = 0
        while True:
            started = loop.time()
            try:
                poll = await watch.poll()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the store down, or anything else: log, back off, go on
                failures += 1
                pause = _backoff(interval, failures)
                self.log.warning("polling the feeds of %s failed (%s: %s; %d in a row); trying again in %.0f s",
                                 watch.source.name, type(exc).__name__, exc, failures, pause)
                await asyncio.sleep(pause)
                continue
            targets = len(watch.targets)
            if poll.failed and len(poll.failed) == targets:
                failures += 1
                pause = _backoff(interval, failures)
                self.log.warning("%s: every feed failed (%s); trying again in %.0f s", watch.source.name,
                                 "; ".join(poll.failed[:3]), pause)
            else:
                if poll.failed:
                    self.log.warning("%s: %s", watch.source.name, "; ".join(poll.failed[:3]))
                elif failures:
                    self.log.info("%s: its feeds answer again", watch.source.name)
                failures, pause = 0, interval
            if not poll.recorded:
                self.log.info("%s: a crawl holds the source; the watcher's record is written on a later poll",
                              watch.source.name)
            if poll.new_items:
                await found.put(poll)
            await asyncio.sleep(max(0.0, pause - (loop.time() - started)))
