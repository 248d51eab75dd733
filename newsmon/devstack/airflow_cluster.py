"""A real Airflow with the CeleryExecutor on loopback, each part a plain process in its own process group: the
API server, the scheduler, the DAG processor (the triggerer if asked) and N Celery workers, each worker with
its own Celery hostname, queues, working directory and environment (say, its own ``NEWSMON_DATA_DIR``).

The metadata database (PostgreSQL) and the broker (Redis) are given by URL; the tests start them with
:class:`~newsmon.devstack.postgres_server.PostgresServer` and :class:`~newsmon.devstack.redis_server.RedisServer`.
``../shared/CELERY.md`` explains the settings. Airflow's task supervisor puts every task process in a process
group of its own, so stopping a worker's group does not reach its tasks: :meth:`AirflowCluster.stop` and
:meth:`AirflowCluster.kill_worker` collect the groups of every process below a part before signalling any.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Self

from newsmon.devstack.airflow_runner import api_server_environment
from newsmon.devstack.cluster_api import ClusterApi
from newsmon.devstack.processes import descendants, free_port, group_members, proc_stat

__all__ = ["TEST_SPEED_SETTINGS", "AirflowCluster", "CeleryWorkerSpec", "ClusterStartError"]

log = logging.getLogger(__name__)

#: Settings that make a test cluster notice new DAG files and dead tasks in seconds instead of minutes.
TEST_SPEED_SETTINGS = {
    "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",  # default 300 s before a new DAG file is seen
    "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "10",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",  # default 300 s before a dead task is retried
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
}
_ALL_PARTS_HEALTHY = ("scheduler", "dag_processor")


class ClusterStartError(RuntimeError):
    """A part of the cluster exited or did not get ready in time; the message names its log."""


@dataclass(frozen=True)
class CeleryWorkerSpec:
    """One Celery worker: ``name`` (its Celery hostname is ``<name>@<machine>``), the queues it serves, the
    folder it runs in and what it adds to the environment."""

    name: str
    queues: tuple[str, ...]
    workdir: Path
    environment: dict[str, str] = field(default_factory=dict)
    concurrency: int = 2
    #: The host name its task instances record (``TaskInstance.hostname``); empty: the machine's. Two workers on
    #: one machine are told apart by it.
    hostname: str = ""


@dataclass
class _Part:
    name: str
    process: subprocess.Popen
    log_path: Path
    log_offset: int
    started: float

    @property
    def pgid(self) -> int:
        return self.process.pid  # started in a session of its own

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_since_start(self) -> str:
        try:
            with self.log_path.open("rb") as handle:
                handle.seek(self.log_offset)
                return handle.read().decode(errors="replace")
        except OSError:
            return ""


class AirflowCluster:
    """``with AirflowCluster(home, dags, db_url, broker_url, workers) as cluster: cluster.api.trigger(...)``."""

    def __init__(self, airflow_home: Path, dags_folder: Path, database_url: str, broker_url: str,
                 workers: list[CeleryWorkerSpec], environment: dict[str, str] | None = None,
                 triggerer: bool = False, port: int | None = None):
        self.airflow_home = Path(airflow_home).absolute()
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.worker_specs = {spec.name: spec for spec in workers}
        self.with_triggerer = triggerer
        self.logs_dir = self.airflow_home / "cluster-logs"
        self.parts: dict[str, _Part] = {}
        #: Seconds each part took from its start to ready, and ``db migrate``: figures for BENCHMARKS.
        self.timings: dict[str, float] = {}
        self.api = ClusterApi(self.base_url)
        from cryptography.fernet import Fernet

        self.env = {
            **os.environ,
            **api_server_environment(self.airflow_home, self.port, all_admins=True),
            "AIRFLOW__CORE__DAGS_FOLDER": str(Path(dags_folder).absolute()),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),  # trigger kwargs are stored encrypted
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database_url,
            "AIRFLOW__CELERY__BROKER_URL": broker_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + database_url,
            # Longer than any task, or a running task's message is redelivered to another worker.
            "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT": "3600",
            # The supervisor notices a finished task within this many seconds (default 5: 5 s lost per task).
            "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",  # a worker says "ready." at INFO
            "PYTHONUNBUFFERED": "1",
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            **(environment or {}),
        }

    # -- life cycle ------------------------------------------------------------------------------------------
    def start(self, timeout: float = 300.0) -> Self:
        """Migrate the database, start every part at once and wait until all are ready."""
        started = time.monotonic()
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.migrate_database()
            self._start_part("api-server", ["api-server"])
            self._start_part("scheduler", ["scheduler"])
            self._start_part("dag-processor", ["dag-processor"])
            if self.with_triggerer:
                self._start_part("triggerer", ["triggerer"],
                                 {"AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port())})
            for spec in self.worker_specs.values():
                self.start_worker(spec.name, wait=False)
            self.wait_ready(deadline=time.monotonic() + timeout)
        except BaseException:
            self.stop()
            raise
        self.timings["cluster start (migrate included)"] = time.monotonic() - started
        log.info("Airflow cluster ready at %s: %s", self.base_url,
                 ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.timings.items()))
        return self

    def migrate_database(self) -> None:
        """``airflow db migrate`` on the (empty or older) metadata database."""
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=self.env,
                              cwd=self.airflow_home, capture_output=True, text=True, check=False)
        if done.returncode:
            raise ClusterStartError(f"`airflow db migrate` failed for {self.airflow_home}:\n{done.stderr[-3000:]}")
        self.timings["db migrate"] = time.monotonic() - started

    def start_worker(self, name: str, wait: bool = True, timeout: float = 180.0) -> None:
        """Start (or start again) the Celery worker ``name`` of the specs given at construction."""
        spec = self.worker_specs[name]
        spec.workdir.mkdir(parents=True, exist_ok=True)
        # No log server (the log folder is shared on one machine) and no bundle cleanup: 2 processes fewer.
        command = ["celery", "worker", "--celery-hostname", f"{name}@%h", "--queues", ",".join(spec.queues),
                   "--concurrency", str(spec.concurrency), "--skip-serve-logs"]
        environment = {"AIRFLOW__DAG_PROCESSOR__STALE_BUNDLE_CLEANUP_INTERVAL": "0", **spec.environment}
        if spec.hostname:
            environment.update({"AIRFLOW__CORE__HOSTNAME_CALLABLE": "newsmon.devstack.worker_host.hostname",
                                "NEWSMON_WORKER_HOSTNAME": spec.hostname})
        self._start_part(f"worker-{name}", command, environment, cwd=spec.workdir)
        if wait:
            self.wait_worker_ready(name, deadline=time.monotonic() + timeout)

    def restart_worker(self, name: str, queues: tuple[str, ...], timeout: float = 180.0) -> None:
        """Stop the worker ``name`` politely (it finishes nothing: call it idle) and start it serving ``queues``."""
        self.stop_worker(name)
        self.worker_specs[name] = replace(self.worker_specs[name], queues=queues)
        self.start_worker(name, wait=True, timeout=timeout)

    def stop_worker(self, name: str, grace: float = 30.0) -> None:
        """SIGTERM the worker's process group and its tasks' groups; SIGKILL what is left after ``grace``."""
        part = self.parts.pop(f"worker-{name}")
        groups = _groups_below(part.pgid)
        _signal_groups(groups, signal.SIGTERM)
        left = _wait_groups_gone(groups, grace, [part.process])
        if left:
            _signal_groups(left, signal.SIGKILL)
            _wait_groups_gone(left, 10.0, [part.process])
        self.timings.pop(part.name, None)

    def _start_part(self, name: str, command: list[str], environment: dict[str, str] | None = None,
                    cwd: Path | None = None) -> None:
        if name in self.parts and self.parts[name].alive():
            raise ClusterStartError(f"{name} is already running (pid {self.parts[name].process.pid})")
        log_path = self.logs_dir / f"{name}.log"
        offset = log_path.stat().st_size if log_path.exists() else 0
        with log_path.open("ab") as output:
            process = subprocess.Popen([sys.executable, "-m", "airflow", *command],
                                       env={**self.env, **(environment or {})}, cwd=cwd or self.airflow_home,
                                       stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.parts[name] = _Part(name, process, log_path, offset, time.monotonic())

    def wait_ready(self, deadline: float) -> None:
        """Wait until the API server answers, reports the scheduler, DAG processor (and triggerer) healthy, and
        every worker's log says ``ready.``; notes when each part got there in :attr:`timings`."""
        wanted = _ALL_PARTS_HEALTHY + (("triggerer",) if self.with_triggerer else ())
        workers = [name for name in self.parts if name.startswith("worker-")]
        last = "no answer yet"
        while time.monotonic() < deadline:
            self._check_alive(list(self.parts))
            now = time.monotonic()
            for name in workers:
                if name not in self.timings and self._worker_said_ready(name):
                    self.timings[name] = now - self.parts[name].started
            health = self.api.health()
            if health is not None:
                self.timings.setdefault("api-server", now - self.parts["api-server"].started)
                statuses = {part: (health.get(part) or {}).get("status") for part in wanted}
                for part, status in statuses.items():
                    if status == "healthy":
                        self.timings.setdefault(part, now - self.parts["api-server"].started)
                last = f"{statuses}, workers not ready: {[w for w in workers if w not in self.timings]}"
                if all(status == "healthy" for status in statuses.values()) and \
                        all(name in self.timings for name in workers):
                    return
            time.sleep(0.5)
        raise ClusterStartError(f"Airflow at {self.base_url} not ready in time ({last}); logs in {self.logs_dir}")

    def wait_worker_ready(self, name: str, deadline: float) -> None:
        """Wait until the worker's log says ``ready.`` (Celery connected to the broker and consumes)."""
        part = self.parts[f"worker-{name}"]
        while not self._worker_said_ready(part.name):
            self._check_alive([part.name])
            if time.monotonic() > deadline:
                raise ClusterStartError(f"Celery worker {name} not ready in time; see {part.log_path}:\n"
                                        f"{_tail(part.log_since_start())}")
            time.sleep(0.5)
        self.timings[part.name] = time.monotonic() - part.started

    def _worker_said_ready(self, part_name: str) -> bool:
        return " ready." in self.parts[part_name].log_since_start()

    def _check_alive(self, names: list[str]) -> None:
        for name in names:
            part = self.parts[name]
            if not part.alive():
                raise ClusterStartError(f"{name} exited with status {part.process.returncode}; see {part.log_path}:"
                                        f"\n{_tail(part.log_since_start())}")

    def worker_pid(self, name: str) -> int:
        return self.parts[f"worker-{name}"].process.pid

    def kill_worker(self, name: str) -> list[int]:
        """SIGKILL a worker like a dead machine: its process group and the groups of its task processes, all at
        once; returns the process groups killed."""
        part = self.parts[f"worker-{name}"]
        groups = _groups_below(part.pgid)
        _signal_groups(groups, signal.SIGKILL)
        _wait_groups_gone(groups, 10.0, [part.process])
        log.info("killed worker %s: process groups %s", name, groups)
        return groups

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM every part and every task process below them (their own groups), SIGKILL what is left after
        ``grace`` seconds."""
        groups = sorted({group for part in self.parts.values() for group in _groups_below(part.pgid)})
        _signal_groups(groups, signal.SIGTERM)
        left = _wait_groups_gone(groups, grace, [part.process for part in self.parts.values()])
        if left:
            log.warning("Airflow cluster: process groups %s still run %.0fs after SIGTERM; killing them", left, grace)
            _signal_groups(left, signal.SIGKILL)
            left = _wait_groups_gone(left, 10.0, [part.process for part in self.parts.values()])
        self.parts.clear()
        if left:
            raise RuntimeError(f"Airflow cluster: process groups {left} survived SIGKILL")

    def __enter__(self) -> Self:
        return self.start() if not self.parts else self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _groups_below(pgid: int) -> list[int]:
    """The process group ``pgid`` and the groups of every live process below its members (task processes put
    themselves in groups of their own). Collect them before killing anything: an orphan is no longer below."""
    own = os.getpgid(0)
    groups = {pgid}
    for member in group_members(pgid):
        for pid in descendants(member):
            fields = proc_stat(pid)
            if len(fields) > 2:
                groups.add(int(fields[2]))
    groups.discard(own)
    return sorted(groups)


def _signal_groups(groups: list[int], sig: signal.Signals) -> None:
    for group in groups:
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            pass


def _wait_groups_gone(groups: list[int], timeout: float, children: list[subprocess.Popen]) -> list[int]:
    """Wait until no process of ``groups`` runs (collecting our own ``children``); the groups still running."""
    deadline = time.monotonic() + timeout
    while True:
        for child in children:
            child.poll()
        left = [group for group in groups if group_members(group)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])
