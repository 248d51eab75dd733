"""Leases in Elasticsearch: one document per thing held (``<alias>-crawl-locks``: one per source), created by its
holder, renewed while it works, deleted when it is done; a lease not renewed for its time to live belongs to a
worker that died, and the next one takes it over.

Every write is conditional (``if_seq_no``/``if_primary_term``, or ``create``), so two workers can never both
believe they hold the same lease: the loser of a race gets a conflict. Reads are real-time ``GET``s, no refresh.
The same pattern as the event-assignment lease of :mod:`newsmon.index.events_store`, with renewal.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from elastic_transport import TransportError
from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError

from newsmon.errors import CrawlBusy, ServiceUnavailable
from newsmon.index.connection import ensure_own_index

__all__ = ["LOCKS_SUFFIX", "ElasticCrawlLock", "LeaseBusy", "LeaseLost", "holder_identity", "unavailable_as_service"]

log = logging.getLogger(__name__)

LOCKS_SUFFIX = "-crawl-locks"
_MAPPING = {"dynamic": "strict", "properties": {
    "owner": {"type": "keyword"}, "host": {"type": "keyword"}, "pid": {"type": "long"},
    "since": {"type": "date"}, "renewed": {"type": "date"}, "expires": {"type": "date"}}}


class LeaseBusy(RuntimeError):
    """Someone else holds the lease and it has not expired."""


class LeaseLost(RuntimeError):
    """Our lease expired and another worker took it over (this worker was stalled past its time to live)."""


def unavailable_as_service(method: Callable) -> Callable:
    """Turn Elasticsearch being away (no connection, a timeout, a 5xx or 429) into
    :class:`~newsmon.errors.ServiceUnavailable`, which says what to do; conflicts and other answers pass."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ApiError as exc:
            if exc.meta.status < 500 and exc.meta.status != 429:
                raise
            problem = exc
        except TransportError as exc:
            problem = exc
        raise ServiceUnavailable(f"Elasticsearch could not be reached for the shared work state (crawl state, queue, "
                                 f"locks; {type(problem).__name__}: {problem}); nothing was lost: the task fails and Airflow retries it once the cluster "
                                 "answers (check NEWSMON_ELASTICSEARCH_URL, or `uv run newsmon es start`)") from problem

    return wrapper


def holder_identity() -> str:
    """Who holds a lease: the machine, the process and a random part (two holders in one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_ensured: set[tuple[int, str]] = set()
_ensuring = threading.Lock()


def ensure_index(client: Elasticsearch, index: str, mappings: dict) -> None:
    """Create ``index`` (one shard; replicas as the cluster's default template says) once per process and client."""
    key = (id(client), index)
    if key in _ensured:
        return
    with _ensuring:  # one thread of this process creates and waits; the others then find it ensured
        if key not in _ensured:
            _create_and_wait(client, index, mappings)
            _ensured.add(key)


def _create_and_wait(client: Elasticsearch, index: str, mappings: dict) -> None:
    ensure_own_index(client, index, mappings, settings={"number_of_shards": 1, "auto_expand_replicas": "0-1"})
    client.options(ignore_status=(404, 408)).cluster.health(index=index, wait_for_status="yellow", timeout="60s")
    # A new index answers only once its shard has started (also when another thread or worker created it): the
    # cluster's health can say yellow before the shard takes reads, so ask for a document until it can answer.
    deadline = time.monotonic() + 60
    while True:
        try:
            # no retries of the client's own (each logs a warning): this loop is the retry
            client.options(ignore_status=404, retry_on_status=()).get(index=index, id="_probe")
            break
        except ApiError as exc:
            if exc.meta.status != 503 or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class _Lease:
    """One lease document ``key`` in ``index``; :meth:`acquire`, :meth:`renew`, :meth:`release`."""

    def __init__(self, client: Elasticsearch, index: str, key: str, ttl_seconds: float):
        self.client, self.index, self.key, self.ttl = client, index, key, ttl_seconds
        self.owner = holder_identity()
        self._version: tuple[int, int] | None = None

    def _body(self, since: datetime) -> dict:
        now = _now()
        return {"owner": self.owner, "host": socket.gethostname(), "pid": os.getpid(), "since": _iso(since),
                "renewed": _iso(now), "expires": _iso(now + timedelta(seconds=self.ttl))}

    @unavailable_as_service
    def try_acquire(self) -> None:
        """Take the lease, or an expired one over; :class:`LeaseBusy` (with the holder) if it is held."""
        ensure_index(self.client, self.index, _MAPPING)
        self._since = _now()
        try:
            answer = self.client.create(index=self.index, id=self.key, document=self._body(self._since))
        except ConflictError:
            try:
                held = self.client.get(index=self.index, id=self.key)
            except NotFoundError:
                raise LeaseBusy("released just now") from None  # the caller tries again
            source = held["_source"]
            if _parse(source["expires"]) > _now():
                raise LeaseBusy(f"{source.get('owner')} since {source.get('since')}, "
                                f"lease until {source.get('expires')}") from None
            try:
                answer = self.client.index(index=self.index, id=self.key, document=self._body(self._since),
                                           if_seq_no=held["_seq_no"], if_primary_term=held["_primary_term"])
            except ConflictError:
                raise LeaseBusy("another worker took the expired lease over first") from None
            log.warning("%s: took over the lease of %s, expired at %s (its holder died or stalled)", self.key,
                        source.get("owner"), source.get("expires"))
        self._version = (answer["_seq_no"], answer["_primary_term"])

    def renew(self) -> None:
        """Push the expiry on; :class:`LeaseLost` if another worker took the lease over meanwhile."""
        if self._version is None:
            raise LeaseLost(f"{self.key}: not held")
        try:
            answer = self.client.index(index=self.index, id=self.key, document=self._body(self._since),
                                       if_seq_no=self._version[0], if_primary_term=self._version[1])
        except (ConflictError, NotFoundError):
            self._version = None
            raise LeaseLost(f"{self.key}: the lease expired and another worker took it over") from None
        self._version = (answer["_seq_no"], answer["_primary_term"])

    def release(self) -> None:
        """Delete the lease if it is still ours (a lease taken over is left to its new holder)."""
        if self._version is None:
            return
        version, self._version = self._version, None
        try:
            self.client.delete(index=self.index, id=self.key, if_seq_no=version[0], if_primary_term=version[1])
        except (ConflictError, NotFoundError):
            log.warning("%s: the lease was taken over before we released it", self.key)


class ElasticCrawlLock:
    """``with ElasticCrawlLock(client, alias, "ankasam", wait_seconds=600, ttl_seconds=120):`` — one crawl of a
    source at a time across every worker; renewed every quarter of its time to live by a thread while held.

    A worker killed mid-crawl stops renewing: ``ttl_seconds`` later the next crawl of the source takes the lock
    over (a waiting daily crawl does so by itself; a fast poll skips the source until then).
    """

    def __init__(self, client: Elasticsearch, alias: str, source: str, wait_seconds: float = 600.0,
                 ttl_seconds: float = 120.0, poll_seconds: float = 0.5):
        self.source, self.wait_seconds, self.poll_seconds = source, wait_seconds, poll_seconds
        self.index = alias + LOCKS_SUFFIX
        self._lease = _Lease(client, self.index, source, ttl_seconds)
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None
        #: Set when a renewal found the lock taken over: the crawl's state writes then fail on their own version.
        self.lost = False

    @property
    def owner(self) -> str:
        return self._lease.owner

    def __enter__(self) -> ElasticCrawlLock:
        deadline = time.monotonic() + self.wait_seconds
        announced = False
        while True:
            try:
                self._lease.try_acquire()
                break
            except LeaseBusy as exc:
                if time.monotonic() >= deadline:
                    raise CrawlBusy(f"{self.source}: another crawl holds the lock in {self.index} ({exc}); gave up "
                                    f"after {self.wait_seconds:.0f}s — it will be crawled by that run or the next "
                                    "one") from None
                if not announced:
                    log.info("%s: waiting up to %.0fs for the crawl that holds the lock (%s)", self.source,
                             self.wait_seconds, exc)
                    announced = True
                time.sleep(self.poll_seconds)
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_until_released, name=f"lease-{self.source}",
                                         daemon=True)
        self._renewer.start()
        return self

    def _renew_until_released(self) -> None:
        interval = max(self._lease.ttl / 4, 0.2)
        while not self._stop.wait(interval):
            try:
                self._lease.renew()
            except LeaseLost as exc:
                self.lost = True
                log.error("%s: %s; this crawl's state writes will be refused", self.source, exc)
                return
            except Exception as exc:  # noqa: BLE001 - Elasticsearch briefly away: try again at the next interval
                log.warning("%s: could not renew the crawl lock (%s); trying again", self.source, exc)

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
            self._renewer = None
        try:
            self._lease.release()
        except Exception as exc:  # noqa: BLE001 - it expires on its own
            log.warning("%s: could not release the crawl lock (%s); it expires in %.0fs", self.source, exc,
                        self._lease.ttl)
