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


def test_the_celery_profile_adds_redis_a_celery_scheduler_and_a_worker_per_queue(compose: dict) -> None:
    services = compose["services"]
    celery = {name for name, service in services.items() if "celery" in service.get("profiles", [])}
    assert celery == {"redis", "airflow-scheduler-celery", "airflow-worker-crawl", "airflow-worker-process"}
    assert all("profiles" not in service for name, service in services.items() if name not in celery)
    assert "healthcheck" in services["redis"]
    common = services["airflow-scheduler"]["environment"]
    queues = {}
    for name in celery - {"redis"}:
        service = services[name]
        env = service["environment"]
        assert service["build"] == "." and "healthcheck" in service
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0"
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql")
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == common["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        # Tokens signed by the API server must be accepted by the workers, and tasks see newsmon's settings.
        for shared in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__FERNET_KEY", "NEWSMON_ELASTICSEARCH_URL",
                       "NEWSMON_DATA_DIR", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL"):
            assert env[shared] == common[shared], (name, shared)
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert service["depends_on"]["airflow-init"]["condition"] == "service_completed_successfully"
        command = service["command"]
        if command[1:3] == ["celery", "worker"]:
            queues[name] = command[command.index("--queues") + 1].split(",")
            assert command[command.index("--celery-hostname") + 1].endswith("@%h")
    assert queues == {"airflow-worker-crawl": ["crawl"], "airflow-worker-process": ["process", "default"]}
    assert services["airflow-scheduler-celery"]["command"] == ["airflow", "scheduler"]
