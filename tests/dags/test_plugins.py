"""Airflow itself loads the plugins folder: the Kibana links, and the monitor app behind Airflow's login."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsmon.devstack.airflow_runner import migrate_database
from newsmon.settings import PROJECT_ROOT

#: Builds Airflow's real API server app (plugins mounted, auth manager, middlewares) and probes the monitor.
API_SERVER_PROBE = """
import json
from fastapi.testclient import TestClient
from airflow.api_fastapi.app import create_app, get_auth_manager
from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

client = TestClient(create_app(apps="core"), follow_redirects=False)
token = get_auth_manager().generate_jwt(SimpleAuthManagerUser(username="viewer", role="viewer"))
found = {}
answer = client.get("/newsmon/api/sources")
found["anonymous_api"] = [answer.status_code, answer.json()]
answer = client.get("/newsmon/")
found["anonymous_page"] = [answer.status_code, answer.headers.get("location")]
answer = client.get("/newsmon/api/sources", headers={"Authorization": "Bearer " + token})
found["bearer_api"] = [answer.status_code, answer.json()]
client.cookies.set("_token", token)
answer = client.get("/newsmon/")
found["cookie_page"] = [answer.status_code, answer.text]
found["plugins"] = client.get("/api/v2/plugins").json()
print("PROBE " + json.dumps(found))
"""


def _airflow_env(airflow_home: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "AIRFLOW_HOME": str(airflow_home),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"), **extra}


@pytest.fixture(scope="module")
def plugins(tmp_path_factory) -> dict[str, dict]:
    """``airflow plugins -o json``, by plugin name."""
    env = _airflow_env(tmp_path_factory.mktemp("airflow-home"), NEWSMON_KIBANA_URL="http://kibana.example:5601")
    result = subprocess.run([sys.executable, "-m", "airflow", "plugins", "-o", "json"], env=env, capture_output=True,
                            text=True, timeout=180, check=True)
    return {p["name"]: p for p in json.loads(result.stdout[result.stdout.index("["):])}


def test_airflow_loads_the_newsmon_plugin(plugins):
    views = plugins["newsmon_links"]["external_views"]
    assert {v["href"] for v in views} == {"http://kibana.example:5601/app/discover",
                                          "http://kibana.example:5601/app/dashboards"}


def test_airflow_registers_the_monitor_app_and_its_nav_entry(plugins):
    monitor = plugins["newsmon_monitor"]
    assert monitor["fastapi_apps"] == [{"app": "fastapi.applications.FastAPI", "url_prefix": "/newsmon",
                                        "name": "newsmon monitor"}]
    assert monitor["external_views"] == [{"name": "newsmon monitor", "href": "newsmon/", "url_route": "newsmon",
                                          "destination": "nav", "category": "browse"}]


def test_the_monitor_in_airflows_api_server_needs_an_airflow_login(tmp_path):
    """Airflow's own app mounts the plugin; anonymous callers are refused, Airflow's tokens let them in."""
    airflow_home = Path(os.environ["AIRFLOW_HOME"])
    migrate_database(airflow_home)  # tokens are checked against the revoked-token table
    env = _airflow_env(airflow_home, NEWSMON_ELASTICSEARCH_URL="http://127.0.0.1:1",
                       NEWSMON_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", API_SERVER_PROBE], env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("PROBE "))[6:])
    assert found["anonymous_api"] == [401, {"detail": "Not authenticated"}]
    status, location = found["anonymous_page"]
    assert status == 303 and location.startswith("/auth/login?next=")
    status, body = found["bearer_api"]
    assert status == 503 and "http://127.0.0.1:1 is unreachable" in body["error"]  # past the login, no cluster
    status, page = found["cookie_page"]
    assert status == 503 and 'id="sources"' in page and 'id="es-error"' in page
    views = {v["name"]: v for p in found["plugins"]["plugins"] for v in p["external_views"]}
    assert views["newsmon monitor"]["url_route"] == "newsmon" and views["newsmon monitor"]["href"] == "newsmon/"
