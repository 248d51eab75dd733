"""The monitor page inside the Airflow UI: sources health, mentions per day, events, recent alerts and search, as
HTML and JSON.

The data functions (:mod:`.health`, :mod:`.events_view`, :mod:`.alerts_view`, :mod:`.search_view`,
:mod:`.mentions_chart`) read the crawl state and Elasticsearch (through :mod:`newsmon.index`) and return plain
dicts; :mod:`.service` connects them to one Elasticsearch client and turns
infrastructure failures into :class:`~newsmon.errors.ServiceUnavailable`; :mod:`.app` serves them behind
Airflow's authentication (``plugins/newsmon_monitor.py`` registers the app with Airflow).
"""

__all__ = ["URL_PREFIX"]

#: Where Airflow's API server mounts the monitor app (the page is ``/newsmon/``, the JSON under ``/newsmon/api/``).
URL_PREFIX = "/newsmon"
