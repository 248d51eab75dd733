"""docker-compose.yml follows the Compose specification and runs matching Elasticsearch and Kibana versions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newsmon.devstack.elasticsearch_local import ES_VERSION

COMPOSE_FILE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_compose_file_validates_against_the_compose_spec() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    if not checker.exists():
        checker = Path(shutil.which("check-jsonschema") or checker)
    assert checker.exists(), "check-jsonschema is missing: run with `uv run --group dev pytest`"
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_elasticsearch_and_kibana_run_the_version_used_locally(compose: dict) -> None:
    services = compose["services"]
    es_image = services["elasticsearch"]["image"]
    kibana_image = services["kibana"]["image"]
    assert es_image == f"docker.elastic.co/elasticsearch/elasticsearch:{ES_VERSION}"
    assert kibana_image == f"docker.elastic.co/kibana/kibana:{ES_VERSION}"


def test_airflow_services_share_one_image_and_wait_for_their_dependencies(compose: dict) -> None:
    services = compose["services"]
    airflow = ["airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"]
    for name in airflow:
        service = services[name]
        assert service["build"] == "."
        env = service["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert env["NEWSMON_ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
        assert (env["NEWSMON_SMTP_HOST"], env["NEWSMON_SMTP_PORT"]) == ("mailpit", "1025")
        assert service["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert "healthcheck" in service
    assert services["airflow-init"]["command"] == ["airflow", "db", "migrate"]
    assert all("healthcheck" in services[name] for name in ("elasticsearch", "kibana", "postgres", "mailpit"))
