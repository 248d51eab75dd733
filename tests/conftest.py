"""Test-wide set-up. Airflow reads its configuration on first import, so point it at a private home now."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="newsmon-airflow-test-"))
_PROJECT = Path(__file__).resolve().parent.parent
os.environ.update({
    "AIRFLOW_HOME": str(_AIRFLOW_HOME),
    "AIRFLOW__CORE__DAGS_FOLDER": str(_PROJECT / "dags"),
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
    "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(64),  # Airflow's 16-byte default is too short
})
# Settings must come from the tests, not from the developer's shell.
for _name in [n for n in os.environ if n.startswith("NEWSMON_") and n != "NEWSMON_ES_CACHE"
              and not n.startswith("NEWSMON_TEST_")]:
    del os.environ[_name]


@pytest.fixture(scope="session")
def elasticsearch_url():
    """A real Elasticsearch 8.x: NEWSMON_TEST_ELASTICSEARCH_URL if set, else one local node for the whole session
    (shared by ``tests/integration`` and ``tests/faults``)."""
    if os.environ.get("NEWSMON_TEST_ELASTICSEARCH_URL"):
        yield os.environ["NEWSMON_TEST_ELASTICSEARCH_URL"]
        return
    from newsmon.devstack.elasticsearch_local import DEFAULT_CACHE_DIR, LocalElasticsearch, provision

    cache = Path(os.environ.get("NEWSMON_ES_CACHE", DEFAULT_CACHE_DIR))
    data_dir = cache / f"test-data-{uuid.uuid4().hex[:8]}"
    node = LocalElasticsearch(provision(cache), data_dir)
    url = node.start()
    yield url
    node.stop()
    shutil.rmtree(data_dir, ignore_errors=True)
