"""Test-wide set-up. Airflow reads its configuration on first import, so point it at a private home now."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="newsmon-airflow-test-"))
_PROJECT = Path(__file__).resolve().parent.parent
os.environ.update({
    "AIRFLOW_HOME": str(_AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(_PROJECT / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
})
# Settings must come from the tests, not from the developer's shell.
for _name in [n for n in os.environ if n.startswith("NEWSMON_") and n != "NEWSMON_ES_CACHE"]:
    del os.environ[_name]
