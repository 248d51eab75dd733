"""Airflow plugin: the newsmon monitor page (sources health, mentions per day, events, alerts, search) inside the
Airflow UI.

The app is :func:`newsmon.monitor.app.create_app`, mounted by Airflow's API server at ``/newsmon``; the nav
entry (Browse → "newsmon monitor") shows the page in the Airflow UI at ``/plugin/newsmon``. The app checks
Airflow's authentication itself (see :mod:`newsmon.monitor.auth`). With the ``ui_allowed_hosts`` setting (set by
the API servers newsmon starts on loopback, e.g. the demo's UI), the plugin also adds a root middleware that
answers 400 to any request, Airflow's own routes included, whose ``Host`` is not one of them (DNS rebinding).
"""

from __future__ import annotations

from typing import Any, ClassVar

from airflow.plugins_manager import AirflowPlugin

from newsmon.monitor import URL_PREFIX
from newsmon.monitor.app import create_app
from newsmon.monitor.hosts import TrustedHostGuard
from newsmon.settings import load_settings

_SETTINGS = load_settings()


class NewsmonMonitorPlugin(AirflowPlugin):
    """Registers the monitor's FastAPI app and its entry in the Airflow UI's navigation."""

    name = "newsmon_monitor"
    fastapi_apps: ClassVar[list[dict[str, Any]]] = [{"app": create_app(_SETTINGS), "url_prefix": URL_PREFIX, "name": "newsmon monitor"}]
    fastapi_root_middlewares: ClassVar[list[dict[str, Any]]] = [
        {"middleware": TrustedHostGuard, "kwargs": {"allowed_hosts": _SETTINGS.ui_allowed_hosts},
         "name": "newsmon trusted hosts"}] if _SETTINGS.ui_allowed_hosts else []
    # No leading slash: the UI resolves it against its base URL, so it also works under [api] base_url.
    external_views: ClassVar[list[dict[str, Any]]] = [{"name": "newsmon monitor", "href": URL_PREFIX.lstrip("/") + "/", "url_route": "newsmon",
                       "destination": "nav", "category": "browse"}]
