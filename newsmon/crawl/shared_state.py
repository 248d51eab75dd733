"""What crawl and processing tasks hand to each other, from the store the settings name (``state_store``):

- ``elasticsearch`` (the default): the crawl state, the processing queue and the per-source crawl locks are
  documents next to the articles (``<alias>-crawl-state``, ``<alias>-process-queue``, ``<alias>-crawl-locks``;
  :mod:`newsmon.index.crawl_state_store`, :mod:`newsmon.index.queue_store`, :mod:`newsmon.index.leases`), so
  workers share no disk but the archive location;
- ``files``: JSON files and ``flock`` under ``<data_dir>`` (one machine, or workers sharing that folder).

With Elasticsearch, a state file or queued page left on disk by an older newsmon is moved in when first met.
"""

from __future__ import annotations

import logging
import threading
from contextlib import AbstractContextManager
from pathlib import Path

from newsmon.crawl.state import CrawlStateStore, FileCrawlStateStore, VersionedCrawlStateStore
from newsmon.settings import Settings

__all__ = ["crawl_lock", "crawl_state_store", "process_queue", "read_crawl_state", "shared_client"]

_log = logging.getLogger(__name__)

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def shared_client(settings: Settings):
    """One Elasticsearch client per process and cluster (the client is thread-safe; a crawl group's threads share
    it), checked when first made."""
    from newsmon.index.connection import connect, elasticsearch_url

    key = (elasticsearch_url(settings), settings.elasticsearch_api_key, settings.elasticsearch_ca_certs)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = connect(settings)
        return _clients[key]


def _legacy_queue_dir(settings: Settings) -> Path:
    return settings.data_dir / "queue" / "process"


def crawl_state_store(settings: Settings) -> CrawlStateStore:
    if settings.state_store == "files":
        return FileCrawlStateStore(settings.state_dir)
    from newsmon.index.crawl_state_store import ElasticCrawlStateDocuments

    return VersionedCrawlStateStore(ElasticCrawlStateDocuments(shared_client(settings), settings.index_alias),
                                    settings.state_dir)


def process_queue(settings: Settings):
    """The queue of archived pages waiting for extraction and indexing (a :class:`newsmon.queue.WorkQueue` or an
    :class:`newsmon.index.queue_store.ElasticWorkQueue`: the same reads and writes)."""
    if settings.state_store == "files":
        from newsmon.queue import WorkQueue

        return WorkQueue(_legacy_queue_dir(settings))
    from newsmon.index.queue_store import ElasticWorkQueue

    return ElasticWorkQueue(shared_client(settings), settings.index_alias, _legacy_queue_dir(settings))


def crawl_lock(settings: Settings, source: str, wait_seconds: float) -> AbstractContextManager:
    """One crawl of ``source`` at a time, across processes (files) or across workers (Elasticsearch)."""
    if settings.state_store == "files":
        from newsmon.crawl.lock import CrawlLock

        return CrawlLock(settings.state_dir, source, wait_seconds)
    from newsmon.index.leases import ElasticCrawlLock

    return ElasticCrawlLock(shared_client(settings), settings.index_alias, source, wait_seconds,
                            ttl_seconds=settings.lease_seconds)


def read_crawl_state(settings: Settings, source: str):
    """The crawl state of ``source`` for display (the monitor): an empty one, logged, while its store is down."""
    from newsmon.crawl.state import CrawlState
    from newsmon.errors import ServiceUnavailable

    try:
        return crawl_state_store(settings).load(source)
    except (ServiceUnavailable, ConnectionError, OSError) as exc:
        _log.warning("crawl state of %s unavailable (%s)", source, exc)
        return CrawlState(source)
    except Exception as exc:  # noqa: BLE001 - the Elasticsearch client's transport errors
        if type(exc).__module__.startswith(("elastic_transport", "elasticsearch")):
            _log.warning("crawl state of %s unavailable (%s)", source, exc)
            return CrawlState(source)
        raise
