"""Run the three DAGs once through Airflow (``dag.test()``) for the demo and the tests.

Airflow reads its configuration when first imported, so :func:`airflow_environment` must be applied to
``os.environ`` before anything imports ``airflow``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsmon.settings import PROJECT_ROOT

__all__ = ["DAG_IDS", "airflow_environment", "api_server_environment", "jwt_secret", "migrate_database", "run_dag"]

log = logging.getLogger(__name__)

DAG_IDS = ("news_crawl", "news_process", "news_alerts")
DAGS_FOLDER = PROJECT_ROOT / "dags"


def airflow_environment(airflow_home: Path) -> dict[str, str]:
    """The variables that point Airflow at a private home with our DAGs and no examples."""
    return {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": os.environ.get("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING"),
        "AIRFLOW__API_AUTH__JWT_SECRET": os.environ.get("AIRFLOW__API_AUTH__JWT_SECRET") or jwt_secret(airflow_home),
    }


def jwt_secret(airflow_home: Path) -> str:
    """The key that signs this home's login and task tokens: 64 random bytes, kept in ``<home>/jwt_secret``.

    Airflow's own default is 16 bytes, which PyJWT flags as too short for HS512. Every process started for
    the home (scheduler, API server, tasks) must use the same key, hence a file and not a fresh value per call.
    """
    path = Path(airflow_home) / "jwt_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".jwt_secret.")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(64))
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(draft, path)
        finally:
            os.unlink(draft)
    return path.read_text(encoding="ascii").strip()


def api_server_environment(airflow_home: Path, port: int, all_admins: bool) -> dict[str, str]:
    """:func:`airflow_environment` plus what an API server on loopback ``port`` needs: newsmon's plugins, its
    address, the simple auth manager's all-admins switch (no login; local use only), and the ``Host`` headers it
    answers (its own address only: a web page using DNS rebinding gets 400, see :mod:`newsmon.monitor.hosts`)."""
    from newsmon.monitor.hosts import loopback_hosts

    return {**airflow_environment(airflow_home), "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
            "AIRFLOW__API__HOST": "127.0.0.1", "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": str(all_admins),
            "NEWSMON_UI_ALLOWED_HOSTS": ",".join(loopback_hosts(port))}


def migrate_database(airflow_home: Path) -> None:
    """Create or upgrade Airflow's metadata database (SQLite under ``airflow_home``); safe to repeat."""
    airflow_home.mkdir(parents=True, exist_ok=True)
    marker = airflow_home / ".newsmon-migrated"
    if marker.exists():
        return
    started = time.monotonic()
    log.info("migrating the Airflow database in %s (first run only)", airflow_home)
    env = {**os.environ, **airflow_environment(airflow_home)}
    result = subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"`airflow db migrate` failed in {airflow_home}:\n{result.stderr[-3000:]}")
    marker.write_text("ok\n")
    log.info("Airflow database ready in %.1fs", time.monotonic() - started)


def run_dag(dag_id: str):
    """Run one DAG of the DAGs folder with ``dag.test()``; returns the DAG run (check its ``state``)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    if bag.import_errors:
        raise RuntimeError(f"DAG import errors: {bag.import_errors}")
    dag = bag.dags[dag_id]
    started = time.monotonic()
    run = dag.test()
    log.info("DAG %s finished %s in %.1fs", dag_id, run.state, time.monotonic() - started)
    return run
