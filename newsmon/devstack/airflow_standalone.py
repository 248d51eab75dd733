"""``airflow standalone`` as a managed child: the scheduler, DAG processor, triggerer and API server of a real
Airflow on SQLite, started with newsmon's DAGs and plugins, waited for, and stopped with every process it made.

Used by the browser test of the monitor page, the alert-latency benchmark and ``newsmon demo --serve``.
``airflow standalone`` ignores SIGINT when started from a script and its children outlive a SIGTERM, so
:meth:`AirflowStandalone.stop` signals the whole process tree it finds under ``/proc``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from newsmon.devstack.airflow_runner import api_server_environment
from newsmon.devstack.processes import descendants, free_port, is_running, proc_stat

__all__ = ["AirflowStandalone"]

log = logging.getLogger(__name__)


class AirflowStandalone:
    """``with AirflowStandalone(home, env) as airflow: airflow.base_url`` — a real Airflow on loopback."""

    def __init__(self, airflow_home: Path, environment: dict[str, str] | None = None, port: int | None = None,
                 all_admins: bool = True, parallelism: int = 4, dags_paused: bool = False):
        self.airflow_home = Path(airflow_home)
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.airflow_home / "standalone.log"
        self.env = {
            **os.environ, **(environment or {}),
            **api_server_environment(self.airflow_home, self.port, all_admins),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": str(dags_paused),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
            "PYTHONUNBUFFERED": "1",
            # standalone starts its parts as `airflow ...` from PATH: this interpreter's, also when not activated
            "PATH": os.pathsep.join([str(Path(sys.executable).parent),
                                     (environment or {}).get("PATH", os.environ.get("PATH", ""))]),
        }
        self.process: subprocess.Popen | None = None

    # -- life cycle ------------------------------------------------------------------------------------------
    def start(self, timeout: float = 300.0) -> "AirflowStandalone":
        self.airflow_home.mkdir(parents=True, exist_ok=True)
        log.info("starting airflow standalone at %s (home %s, log %s)", self.base_url, self.airflow_home,
                 self.log_path)
        with open(self.log_path, "ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "airflow", "standalone"], env=self.env, cwd=self.airflow_home,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            self.wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_healthy(self, timeout: float) -> None:
        """Wait until the API server answers and the scheduler and DAG processor report healthy."""
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"airflow standalone exited with {self.process.returncode}; "
                                   f"see {self.log_path}:\n{self.log_tail()}")
            try:
                health = httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=5).json()
                statuses = {part: (health.get(part) or {}).get("status") for part in ("scheduler", "dag_processor")}
                if all(status == "healthy" for status in statuses.values()):
                    return
                last = json.dumps(statuses)
            except (httpx.HTTPError, ValueError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            time.sleep(2)
        raise TimeoutError(f"airflow standalone at {self.base_url} not healthy after {timeout:.0f}s ({last}); "
                           f"see {self.log_path}:\n{self.log_tail()}")

    def stop(self, grace: float = 20.0) -> None:
        """Stop standalone and every process under it: SIGTERM, then SIGKILL to what is left after ``grace``."""
        if self.process is None:
            return
        pids = [self.process.pid, *descendants(self.process.pid)]
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in pids:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(self._alive(pid) for pid in pids):
                self.process.poll()
                time.sleep(0.2)
            if not any(self._alive(pid) for pid in pids):
                break
            log.warning("airflow standalone did not stop within %.0fs; killing %d process(es)", grace, len(pids))
        self.process.wait(timeout=10)
        self.process = None

    @staticmethod
    def _alive(pid: int) -> bool:
        return is_running(proc_stat(pid))

    def __enter__(self) -> "AirflowStandalone":
        return self.start() if self.process is None else self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- talking to it ------------------------------------------------------------------------------------------
    def token(self) -> str:
        """A JWT for the REST API and plugin pages (all-admins mode: no password; else the generated admin's)."""
        if self.env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS"] == "True":
            answer = httpx.get(f"{self.base_url}/auth/token", timeout=10)
        else:
            answer = httpx.post(f"{self.base_url}/auth/token", json=self.admin_credentials(), timeout=10)
        answer.raise_for_status()
        return answer.json()["access_token"]

    def admin_credentials(self) -> dict[str, str]:
        """The user and password standalone generated (``simple_auth_manager_passwords.json.generated``)."""
        path = self.airflow_home / "simple_auth_manager_passwords.json.generated"
        passwords = json.loads(path.read_text(encoding="utf-8"))
        username, password = next(iter(passwords.items()))
        return {"username": username, "password": password}

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token()}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.base_url}/api/v2{path}", headers=headers, timeout=30, **kwargs)

    def wait_for_dags(self, dag_ids: list[str], timeout: float = 180.0) -> None:
        """Wait until the DAG processor has parsed ``dag_ids`` (they appear in the REST API)."""
        deadline = time.monotonic() + timeout
        missing = set(dag_ids)
        while time.monotonic() < deadline:
            answer = self.api("GET", "/dags", params={"limit": 100})
            if answer.status_code == 200:
                missing = set(dag_ids) - {d["dag_id"] for d in answer.json()["dags"]}
                if not missing:
                    return
            time.sleep(2)
        raise TimeoutError(f"DAGs {sorted(missing)} not parsed after {timeout:.0f}s; see {self.log_path}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
