"""Airflow plugin: links from the Airflow UI to where analysts read the monitor's output (Kibana)."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from newsmon.settings import load_settings

_KIBANA = load_settings().kibana_url.rstrip("/")


class NewsmonLinksPlugin(AirflowPlugin):
    """Adds "newsmon in Kibana" to the Airflow UI's navigation (Browse menu)."""

    name = "newsmon_links"
    external_views = [
        {"name": "newsmon articles (Kibana Discover)", "href": f"{_KIBANA}/app/discover", "destination": "nav",
         "category": "browse"},
        {"name": "newsmon dashboards (Kibana)", "href": f"{_KIBANA}/app/dashboards", "destination": "nav",
         "category": "browse"},
    ]
