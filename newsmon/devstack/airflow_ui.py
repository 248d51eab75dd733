"""The Airflow UI (``airflow api-server``) left running after ``newsmon demo``, so the newsmon monitor page
and the demo's DAG runs can be looked at in a browser; ``newsmon ui stop`` (or ``make clean-services``)
stops it.

It serves the demo's Airflow home (its SQLite database holds the demo's DAG runs) with newsmon's plugins, in
the simple auth manager's all-admins mode: this is a local demo on loopback, not a deployment.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from newsmon.devstack.airflow_runner import api_server_environment
from newsmon.devstack.processes import read_process_record, reap, terminate_group, write_process_record

__all__ = ["MONITOR_PATH", "ensure_running", "stop_recorded"]

log = logging.getLogger(__name__)

RECORD_NAME = "airflow-ui.json"
#: Where the plugin serves the monitor page under the Airflow UI.
MONITOR_PATH = "/newsmon/"
DEFAULT_PORT = 8080


def _healthy(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/api/v2/monitor/health", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def ensure_running(state_dir: Path, airflow_home: Path, environment: dict[str, str], port: int = DEFAULT_PORT,
                   timeout: float = 180.0) -> str:
    """The base URL of the recorded UI for ``airflow_home``, starting (and recording) one if none answers."""
    state_dir, airflow_home = Path(state_dir).absolute(), Path(airflow_home).absolute()
    record = read_process_record(state_dir / RECORD_NAME)
    if record and record["airflow_home"] == str(airflow_home) and _healthy(record["base_url"]):
        # Reused as is: it was started with this data dir's settings, which a demo rerun does not change.
        return record["base_url"]
    if record:
        stop_recorded(state_dir)
    base_url = f"http://127.0.0.1:{port}"
    if _healthy(base_url):
        raise RuntimeError(f"another Airflow answers on port {port}; stop it or set NEWSMON_UI_PORT to a free port")
    log_path = state_dir / "airflow-ui.log"
    env = {**os.environ, **environment, **api_server_environment(airflow_home, port, all_admins=True)}
    with log_path.open("ab") as output:
        process = subprocess.Popen([sys.executable, "-m", "airflow", "api-server", "--port", str(port),
                                    "--host", "127.0.0.1"], env=env, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while not _healthy(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop_group(process.pid)
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
            raise RuntimeError(f"the Airflow UI did not start on {base_url} (port taken? set NEWSMON_UI_PORT). "
                               f"Last lines of {log_path}:\n{tail}")
        time.sleep(1)
    write_process_record(state_dir / RECORD_NAME, process.pid, base_url=base_url, airflow_home=str(airflow_home))
    log.info("Airflow UI on %s (pid %d, log %s)", base_url, process.pid, log_path)
    return base_url


def _stop_group(pid: int) -> None:
    """SIGTERM the process group (the API server and its uvicorn workers), SIGKILL what is left."""
    terminate_group(pid, 15.0, lambda: reap(pid), "the Airflow UI", kill_wait=5.0)


def stop_recorded(state_dir: Path) -> bool:
    """Stop the UI recorded in ``state_dir``; False if none was running."""
    record = read_process_record(Path(state_dir) / RECORD_NAME)
    (Path(state_dir) / RECORD_NAME).unlink(missing_ok=True)
    if record is None:
        return False
    _stop_group(record["pid"])
    return True
