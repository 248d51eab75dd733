"""Airflow itself loads the plugins folder and sees the Kibana links."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from newsmon.settings import PROJECT_ROOT


def test_airflow_loads_the_newsmon_plugin(tmp_path):
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
           "NEWSMON_KIBANA_URL": "http://kibana.example:5601"}
    result = subprocess.run([sys.executable, "-m", "airflow", "plugins", "-o", "json"], env=env, capture_output=True,
                            text=True, timeout=180, check=True)
    plugins = {p["name"]: p for p in json.loads(result.stdout[result.stdout.index("["):])}
    views = plugins["newsmon_links"]["external_views"]
    assert {v["href"] for v in views} == {"http://kibana.example:5601/app/discover",
                                          "http://kibana.example:5601/app/dashboards"}
