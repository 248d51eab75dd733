"""The demo's Airflow UI (all-admins mode, no login, on loopback) against DNS rebinding: the real ``airflow
api-server`` the demo leaves running, started the demo's way (``newsmon.devstack.airflow_ui``), asked over real
sockets with the Host header a rebinding web page's requests carry, and with its own."""

from __future__ import annotations

import httpx
import pytest

from newsmon.devstack.airflow_runner import migrate_database
from newsmon.devstack.airflow_ui import ensure_running, stop_recorded
from newsmon.devstack.processes import free_port

pytestmark = pytest.mark.integration

ROUTES = ("/auth/token", "/api/v2/connections", "/newsmon/api/alerts", "/newsmon/")


@pytest.fixture(scope="module")
def demo_ui(tmp_path_factory, elasticsearch_url):
    home = tmp_path_factory.mktemp("demo-ui")
    migrate_database(home / "airflow")
    environment = {"NEWSMON_DATA_DIR": str(home / "data"), "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
                   "NEWSMON_INDEX_ALIAS": "hostile-demo-ui"}
    port = free_port()
    (home / "state").mkdir()
    base_url = ensure_running(home / "state", home / "airflow", environment, port=port)
    try:
        yield base_url, port
    finally:
        stop_recorded(home / "state")


def test_a_rebinding_host_name_gets_nothing_from_the_demo_ui(demo_ui):
    base_url, port = demo_ui
    with httpx.Client(base_url=base_url, timeout=30) as client:
        token = client.get("/auth/token").json()["access_token"]  # all-admins: a token for anyone who asks
        auth = {"Authorization": f"Bearer {token}"}
        for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1.attacker.example:{port}"):
            for route in ROUTES:
                answer = client.get(route, headers={"Host": host, **auth})
                assert answer.status_code == 400, (host, route, answer.status_code)
                assert "Host header check" in answer.text
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            assert client.get("/api/v2/connections", headers={"Host": host, **auth}).status_code == 200
            answer = client.get("/newsmon/api/alerts", headers={"Host": host, **auth})
            assert answer.status_code == 200 and "alerts" in answer.json()
