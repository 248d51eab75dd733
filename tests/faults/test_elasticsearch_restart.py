"""Elasticsearch stopped in the middle of a bulk write, and restarted on the same data.

The test runs a node of its own (the session's node is never stopped) behind a small TCP relay, the only
stand-in here: it passes bytes both ways and, once armed, stops the node (SIGTERM, waited for) as soon as a
bulk request has gone through to it, so the writer never learns what the node made of it. The processing task
of that batch fails with a clear error and keeps its pages queued; so does the next batch's, with the node
down. After the node is started again on the same data directory, the documents written before the stop are
still there, and re-running the pending batches indexes everything exactly once; alerts go out once each.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Callable

import pytest
from faultkit import (
    assert_indexed_exactly_once,
    assert_mailed_exactly_once,
    crawl_all,
    indexed_docs,
    make_settings,
    process_all,
    queued,
)

from newsmon import pipeline
from newsmon.errors import ServiceUnavailable

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

_BULK_REQUEST = re.compile(rb"^(?:POST|PUT) /\S*_bulk\b", re.MULTILINE)


class BulkTrap:
    """A TCP relay to a node; armed, it stops the node when a bulk request has reached it (see the docstring)."""

    def __init__(self, upstream_port: int, stop_node: Callable[[], None]):
        self.upstream_port, self.stop_node = upstream_port, stop_node
        self.armed, self.sprung = threading.Event(), threading.Event()
        #: Connections opened before the trap sprang never pass an answer on again.
        self._generation = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, name="bulk-trap", daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
        except OSError:
            client.close()  # the node is down: the client sees its connection closed
            return
        upstream.settimeout(None)
        generation = self._generation
        threading.Thread(target=self._pump, args=(upstream, client, False, generation), daemon=True).start()
        self._pump(client, upstream, True, generation)

    def _pump(self, source: socket.socket, target: socket.socket, from_client: bool, generation: int) -> None:
        try:
            while data := source.recv(65536):
                if not from_client and generation != self._generation:
                    break  # no answer from the node being stopped reaches the client
                if from_client and self.armed.is_set() and not self.sprung.is_set() and _BULK_REQUEST.search(data):
                    self.sprung.set()
                    self._generation += 1
                    target.sendall(data)  # the bulk request reaches the node ...
                    self.stop_node()  # ... which goes down before the client hears back
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


def test_elasticsearch_stopped_mid_bulk_then_restarted_indexes_everything_once(tmp_path, own_node, site, sink,
                                                                               mailbox_dir, baseline):
    trap = BulkTrap(own_node.port, own_node.stop)
    try:
        # The processing queue on disk (the ``files`` store): the trap must spring on the articles' bulk write, not
        # on the queue's claim (a bulk request too), and the queue must be readable while the node is down. The
        # Elasticsearch queue with the node away: tests/integration/test_shared_state.py and test_killed_worker.py.
        settings = make_settings(tmp_path, trap.url, site, sink.port, state_store="files")
        crawled = crawl_all(settings)
        assert not [r for r in crawled.values() if isinstance(r, Exception)], crawled
        batches = pipeline.pending_batches(settings, batch_size=7)
        assert len(batches) >= 3, batches

        first = pipeline.process_batch(batches[0], settings)
        assert first["created"] > 0, first
        survivors = set(batches[0]) & set(baseline.docs)

        trap.armed.set()
        with pytest.raises(ServiceUnavailable, match=rf"could not write \d+ articles to {settings.index_alias} "
                                                     r"after \d+ attempts; is Elasticsearch healthy\?"):
            pipeline.process_batch(batches[1], settings)
        assert trap.sprung.is_set() and own_node.process is None, "the node was stopped during the bulk write"
        with pytest.raises(ServiceUnavailable, match=r"is unreachable.*start the local node"):
            pipeline.process_batch(batches[2], settings)
        assert set(queued(settings)) == {item for batch in batches[1:] for item in batch}, \
            "the failed batches keep every page queued"

        own_node.start()  # same data directory, same port
        assert survivors <= set(indexed_docs(settings)), "the documents written before the stop survived"
        process_all(settings)  # the failed tasks' retries
        assert queued(settings) == {}
        assert_indexed_exactly_once(settings, baseline.docs)
        sent = pipeline.alert(settings)
        assert sum(m["articles"] for m in sent["mails"]) == len(baseline.pairs), sent
        assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
    finally:
        trap.close()
