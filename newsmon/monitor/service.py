"""The monitor's data, from one settings object and one Elasticsearch client, with one error policy.

An unreachable cluster (or no cluster configured) raises :class:`~newsmon.errors.ServiceUnavailable` whose
message names the URL and says how to start one; the app answers it with HTTP 503. A missing article index
or alert ledger is not an error: there is simply nothing indexed or sent yet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import ApiError, Elasticsearch, TransportError

from newsmon.errors import ConfigError, ServiceUnavailable
from newsmon.index.connection import cluster_info, connect, elasticsearch_url
from newsmon.index.queries import daily_counts, daily_mentions
from newsmon.kibana.objects import EVENT_SEARCH_COLUMNS, kql_any
from newsmon.languages import LANGUAGES, OTHER
from newsmon.monitor.alerts_view import recent_alerts
from newsmon.monitor.events_view import recent_event_views
from newsmon.monitor.health import source_health
from newsmon.monitor.mentions_chart import DAYS, HISTORY_DAYS, TOP, mentions_chart
from newsmon.monitor.search_view import discover_url, kibana_discover_url, search_hits
from newsmon.search_names import SearchNames, search_name_finder
from newsmon.settings import Settings

__all__ = ["SEARCH_LANGUAGES", "MonitorService"]

#: The languages a search may be restricted to (``other``: none of the four the monitor reads).
SEARCH_LANGUAGES = (*LANGUAGES, OTHER)
#: Seconds one request to Elasticsearch may take before the page gives up on it.
REQUEST_TIMEOUT = 15
T = TypeVar("T")


class MonitorService:
    """What the monitor shows, read on demand; the client is made on first use and again after a failure."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._client: Elasticsearch | None = None
        self._lock = threading.Lock()

    # -- Elasticsearch ------------------------------------------------------------------------------------
    def client(self) -> Elasticsearch:
        """A client for the configured cluster; raises :class:`ServiceUnavailable` if it cannot be reached."""
        with self._lock:
            if self._client is None:
                client = connect(self.settings, check=False).options(request_timeout=REQUEST_TIMEOUT, max_retries=1)
                self._call(client, cluster_info)
                self._client = client
            return self._client

    def _url(self) -> str:
        """The cluster's URL as shown on the page: without the password of an Airflow connection."""
        try:
            url = urlsplit(elasticsearch_url(self.settings))
        except ServiceUnavailable:
            return "(none configured)"
        return urlunsplit(url._replace(netloc=url.netloc.rpartition("@")[2]))

    def _run(self, read: Callable[[Elasticsearch], T]) -> T:
        """``read(client)``, with transport failures and server errors turned into :class:`ServiceUnavailable`."""
        return self._call(self.client(), read)

    def _call(self, client: Elasticsearch, read: Callable[[Elasticsearch], T]) -> T:
        try:
            return read(client)
        except TransportError as exc:
            self._client = None
            raise ServiceUnavailable(
                f"Elasticsearch at {self._url()} is unreachable ({type(exc).__name__}: {exc}); start the local node "
                "with `uv run newsmon es start` or point NEWSMON_ELASTICSEARCH_URL at a running cluster") from None
        except ApiError as exc:
            if exc.meta.status < 500:
                raise
            raise ServiceUnavailable(f"Elasticsearch at {self._url()} failed (HTTP {exc.meta.status}: {exc.message}); "
                                     "check the cluster's health with `uv run newsmon es status`") from None

    # -- what the page shows ------------------------------------------------------------------------------
    def sources(self, with_articles: bool = True) -> dict:
        """Every source's health (:func:`~newsmon.monitor.health.source_health`) and the daily counts.

        Without ``with_articles`` (Elasticsearch is down) only the crawl state is read.
        """
        if not with_articles:
            return {**source_health(self.settings, None), "daily": None}
        return self._run(lambda client: {**source_health(self.settings, client),
                                         "daily": daily_counts(client, self.settings.index_alias)})

    def alerts(self, status: str | None = None, rule_id: str | None = None, size: int = 50) -> dict:
        return self._run(lambda client: recent_alerts(client, self.settings, status=status, rule_id=rule_id,
                                                      size=size))

    def events(self, since: str | None = None, size: int = 20) -> dict:
        """The recent events (:func:`~newsmon.monitor.events_view.recent_event_views`), each with a Kibana
        Discover link to its articles."""
        found = self._run(lambda client: recent_event_views(client, self.settings, since=since, size=size))
        for event in found["events"]:
            event["kibana_url"] = discover_url(self.settings.kibana_url, kql_any("event_id", [event["id"]]),
                                               EVENT_SEARCH_COLUMNS)
        return found

    def mentions(self, days: int = DAYS, top: int = TOP) -> dict:
        """Daily mentions per actor and theme over the last ``days`` days, with spikes and SVG charts
        (:func:`~newsmon.monitor.mentions_chart.mentions_chart`)."""
        daily = self._run(lambda client: daily_mentions(client, self.settings.index_alias, days=days,
                                                        history_days=HISTORY_DAYS, top=top))
        return mentions_chart(daily, self.watchlist_labels())

    def watchlist_labels(self) -> dict[str, str]:
        """Actor and theme id → the watchlist's label (none if the watchlist cannot be read: ids are shown)."""
        try:
            watchlist = search_name_finder(self.settings.watchlist_file).watchlist
        except (ConfigError, OSError):
            return {}
        return {entry.id: entry.label for entry in [*watchlist.actors, *watchlist.themes]}

    def search(self, query: str, lang: str | None = None, size: int = 10) -> dict:
        """The top hits (see :func:`~newsmon.monitor.search_view.search_hits`), the watchlist ids the query names
        (``names``; ``names_error`` if the watchlist could not be read) and the Kibana Discover URL."""
        names, names_error = self.search_names(query)
        found = self._run(lambda client: search_hits(client, self.settings.index_alias, query, lang, size,
                                                     names.actors, names.themes))
        return {"query": query, "lang": lang, "names": names.to_dict(), "names_error": names_error,
                "kibana_url": self.kibana_url(query, lang, names), **found}

    def search_names(self, query: str) -> tuple[SearchNames, str | None]:
        """The watchlist actors and themes ``query`` names (:mod:`newsmon.search_names`), and the error that kept
        the watchlist from being read (then none are named: the search still runs on the words)."""
        if not query.strip():
            return SearchNames(), None
        try:
            return search_name_finder(self.settings.watchlist_file).find(query), None
        except (ConfigError, OSError) as exc:
            return SearchNames(), f"the watchlist could not be read, so only the words were searched: {exc}"

    def kibana_url(self, query: str, lang: str | None = None, names: SearchNames | None = None) -> str:
        if names is None:
            names, _ = self.search_names(query)
        return kibana_discover_url(self.settings.kibana_url, query, lang, named_actors=names.actors,
                                   named_themes=names.themes)
