"""The archive's disk fills up in the middle of a crawl, then space is freed.

The archive directory is a small tmpfs of its own: a real filesystem, so the kernel answers ``ENOSPC``. The crawl
tasks run in a worker process; once ANKASAM's first page is archived and queued, the test fills the filesystem
to the last byte. Every crawl task still to write then fails with an error that names the archive file and says
what to do; no page is remembered as fetched unless it was archived and queued. Once the filler is deleted,
the next run fetches exactly what was not archived, and everything ends indexed and mailed exactly once.

Mounting needs root (CAP_SYS_ADMIN), as in CI and the development sandbox. Without it the test falls back to a
worker whose file-size limit (``RLIMIT_FSIZE``, with ``SIGXFSZ`` ignored) makes archive writes past 24 KB fail
with ``EFBIG`` ("File too large") instead: the same crawler path (an ``OSError`` while appending to the WARC
file), but not a full disk; the fallback announces itself with a warning.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from faultkit import (
    article_requests,
    assert_indexed_exactly_once,
    assert_mailed_exactly_once,
    crawl_all,
    crawl_state,
    make_settings,
    process_all,
    queued,
    task_env,
)

from newsmon import pipeline
from newsmon.crawl.mirror import MirrorTransport
from newsmon.devstack.replay import ReplayServer
from newsmon.settings import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.timeout(420)]

#: Seconds the replay site waits before each answer: the filler is in place long before the next page arrives.
LATENCY = 0.2
FSIZE_LIMIT = 24 * 1024
_WORKER = """
import json, logging
from newsmon import pipeline
from newsmon.settings import load_settings
logging.basicConfig(level=logging.WARNING)
settings = load_settings()
{limit}
for name in pipeline.source_names(settings):
    try:
        result = {{"source": name, "ok": True, "report": pipeline.crawl(name, settings)}}
    except Exception as exc:
        result = {{"source": name, "ok": False, "type": type(exc).__name__, "error": str(exc)}}
    print("RESULT " + json.dumps(result), flush=True)
"""
_LIMIT = ("import resource, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
          f"resource.setrlimit(resource.RLIMIT_FSIZE, ({FSIZE_LIMIT}, {FSIZE_LIMIT}))")


class SmallDisk:
    """The archive directory on a 4 MB tmpfs (``mode == "tmpfs"``), or, without the right to mount, nothing
    (``mode == "rlimit"``: the crawl worker limits its file sizes instead)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.filler = directory / "filler"
        directory.mkdir(parents=True)
        try:
            mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "newsmon-fault-archive",
                                      str(directory)], capture_output=True, text=True, check=False)
            problem = mounted.stderr.strip() if mounted.returncode else ""
        except OSError as exc:  # no mount command
            problem = str(exc)
        self.mode = "rlimit" if problem else "tmpfs"
        if problem:
            warnings.warn(f"cannot mount a tmpfs ({problem}): simulating the full disk with RLIMIT_FSIZE (EFBIG) "
                          "instead of ENOSPC", stacklevel=2)

    @property
    def strerror(self) -> str:
        return os.strerror(errno.ENOSPC if self.mode == "tmpfs" else errno.EFBIG)

    def fill(self) -> None:
        """Write a filler file until the filesystem has not one byte left."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1 << 6, 1):
                chunk = bytes(size)
                try:
                    while True:
                        os.write(fd, chunk)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        if self.mode == "tmpfs" and subprocess.run(["umount", str(self.directory)], check=False).returncode:
            subprocess.run(["umount", "-l", str(self.directory)], check=False)


class CrawlWorker:
    """Every source's crawl task, one after the other, in a worker process; each result a line on its stdout."""

    def __init__(self, settings, limit_file_size: bool):
        code = _WORKER.format(limit=_LIMIT if limit_file_size else "")
        self.process = subprocess.Popen([sys.executable, "-c", code], env=task_env(settings), cwd=PROJECT_ROOT,
                                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        self.lines: list[bytes] = []
        self._reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self._reader.start()

    def results(self, timeout: float = 180) -> dict[str, dict]:
        self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        output = b"".join(self.lines).decode(errors="replace")
        results = {r["source"]: r for r in (json.loads(line[len("RESULT "):]) for line in output.splitlines()
                                            if line.startswith("RESULT "))}
        assert self.process.returncode == 0 and len(results) == 5, output[-3000:]
        return results

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@pytest.fixture
def small_disk(tmp_path):
    disk = SmallDisk(tmp_path / "data" / "archive")
    yield disk
    disk.unmount()


def _target(settings, url: str) -> str:
    """The request target (path and query) the replay site logs for the real ``url``."""
    parts = urlsplit(MirrorTransport(settings.mirror_url).mirror_url(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _queued_by_source(settings) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for item in queued(settings).values():
        found.setdefault(item["source"], []).append(item)
    return found


def test_full_archive_disk_fails_the_crawl_clearly_and_loses_nothing(tmp_path, elasticsearch_url, small_disk, sink,
                                                                     mailbox_dir, baseline):
    with ReplayServer("127.0.0.1", 0, latency=LATENCY) as site:
        settings = make_settings(tmp_path, elasticsearch_url, site, sink.port)
        names = pipeline.source_names(settings)
        worker = CrawlWorker(settings, limit_file_size=small_disk.mode == "rlimit")
        try:
            if small_disk.mode == "tmpfs":  # the disk fills up once ANKASAM's first page is archived
                while not queued(settings):
                    assert worker.process.poll() is None, b"".join(worker.lines).decode(errors="replace")
                    threading.Event().wait(0.01)
                small_disk.fill()
            results = worker.results()
        finally:
            worker.stop()
        first_log = site.requests

        archive = str(settings.data_dir / "archive")
        failed = {name for name, result in results.items() if not result["ok"]}
        assert "ankasam" in failed and (small_disk.mode == "rlimit" or failed == set(names)), results
        for name in failed:
            error = results[name]["error"]
            assert archive in error and small_disk.strerror in error and "free space" in error, results[name]
        in_queue = _queued_by_source(settings)
        for name in names:  # nothing is remembered as fetched that was not archived and queued
            state = crawl_state(settings, name)
            assert {a["canonical_url"] for a in state["articles"].values()} <= \
                {item["canonical_url"] for item in in_queue.get(name, [])}, name
        kept = {_target(settings, item["url"]) for item in in_queue["ankasam"]}
        fetched = set(article_requests(first_log, settings, "ankasam"))
        assert 1 <= len(kept) < baseline.fetched["ankasam"] and kept < fetched
        [lost] = fetched - kept  # the page in hand when the disk filled up: fetched, not archived

        # Space is back: the next run fetches what was not archived, each page once, and nothing else again.
        small_disk.free()
        site.reset_requests()
        second = crawl_all(settings)
        assert not [r for r in second.values() if isinstance(r, Exception)], second
        again = article_requests(site.requests, settings, "ankasam")
        assert lost in again and not kept & set(again) and set(again.values()) == {1}, again
        assert len(kept) + len(again) == baseline.fetched["ankasam"]
        assert second["ankasam"]["fetched"] == len(again)

    process_all(settings)
    assert queued(settings) == {}
    assert_indexed_exactly_once(settings, baseline.docs)
    sent = pipeline.alert(settings)
    assert sum(m["articles"] for m in sent["mails"]) == len(baseline.pairs), sent
    assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
