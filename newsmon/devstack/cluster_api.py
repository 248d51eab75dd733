"""The REST API of an Airflow the harness started (simple auth manager in all-admins mode): health, DAGs,
triggering a run and following it to its end."""

from __future__ import annotations

import time

import httpx

__all__ = ["FINISHED_RUN_STATES", "ClusterApi"]

FINISHED_RUN_STATES = ("success", "failed")


class ClusterApi:
    """``ClusterApi("http://127.0.0.1:8080").trigger("my_dag")`` — a few calls of ``/api/v2``."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url, self.timeout = base_url, timeout
        self._token: str | None = None

    def health(self) -> dict | None:
        """``/api/v2/monitor/health``, or None while the API server does not answer."""
        try:
            answer = httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=5)
            return answer.json() if answer.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None

    def token(self) -> str:
        """A JWT (all-admins mode hands one out without a password)."""
        if self._token is None:
            answer = httpx.get(f"{self.base_url}/auth/token", timeout=self.timeout)
            answer.raise_for_status()
            self._token = answer.json()["access_token"]
        return self._token

    def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token()}"}
        return httpx.request(method, f"{self.base_url}/api/v2{path}", headers=headers, timeout=self.timeout,
                             **kwargs)

    def wait_for_dags(self, dag_ids: list[str], timeout: float = 120.0) -> None:
        """Wait until the DAG processor has parsed ``dag_ids``; fails with the import errors it reports."""
        deadline = time.monotonic() + timeout
        missing = set(dag_ids)
        while time.monotonic() < deadline:
            answer = self.call("GET", "/dags", params={"limit": 1000})
            if answer.status_code == 200:
                missing = set(dag_ids) - {dag["dag_id"] for dag in answer.json()["dags"]}
                if not missing:
                    return
            time.sleep(1)
        errors = self.call("GET", "/importErrors").json().get("import_errors", [])
        raise TimeoutError(f"DAGs {sorted(missing)} not parsed after {timeout:.0f}s; import errors: {errors}")

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        """Start a run of ``dag_id`` now; returns its run id."""
        answer = self.call("POST", f"/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})
        if answer.status_code != 200:
            raise RuntimeError(f"triggering {dag_id} answered {answer.status_code}: {answer.text[:1000]}")
        return answer.json()["dag_run_id"]

    def run_state(self, dag_id: str, run_id: str) -> str:
        answer = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
        answer.raise_for_status()
        return answer.json()["state"]

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 300.0, poll: float = 0.5) -> str:
        """Poll the run until it succeeds or fails; returns the state (raises ``TimeoutError`` otherwise)."""
        deadline = time.monotonic() + timeout
        state = "unknown"
        while time.monotonic() < deadline:
            state = self.run_state(dag_id, run_id)
            if state in FINISHED_RUN_STATES:
                return state
            time.sleep(poll)
        raise TimeoutError(f"run {run_id} of {dag_id} still {state} after {timeout:.0f}s; task instances: "
                           f"{[(ti['task_id'], ti['state']) for ti in self.task_instances(dag_id, run_id)]}")

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        answer = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 1000})
        answer.raise_for_status()
        return answer.json()["task_instances"]

    def tries(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> list[dict]:
        """Every try of one task instance (of a mapped one: ``map_index``), oldest first (state, hostname, start and
        end of each)."""
        mapped = f"/{map_index}" if map_index >= 0 else ""
        answer = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}{mapped}/tries")
        answer.raise_for_status()
        return answer.json()["task_instances"]
