"""The monitor's FastAPI app: one server-rendered page and the JSON endpoints behind it.

Mounted by Airflow's API server at :data:`~newsmon.monitor.URL_PREFIX` (``plugins/newsmon_monitor.py``)::

    GET /newsmon/                          the page (sources, articles per day, mentions per day, events, alerts;
                                           ?q=&lang= adds a search)
    GET /newsmon/kibana?q=&lang=           redirect to the same search in Kibana Discover
    GET /newsmon/api/sources               {"index", "index_exists", "generated_at", "sources": [...], "daily": [...]}
    GET /newsmon/api/events?since=&size=   {"index", "since", "events": [...]}
    GET /newsmon/api/mentions?days=&top=   {"days", "rule", "actors": [...], "themes": [...], "svg": {...}}
    GET /newsmon/api/alerts?status=&rule=&size=   {"threads", "threads_exist", "mail_counts", "mails": [...],
                                                   "ledger", "ledger_exists", "counts", "alerts": [...]}
    GET /newsmon/api/search?q=&lang=&size=        {"query", "lang", "names", "names_error", "kibana_url", "total",
                                                   "hits": [...]}

``/api/sources``: each source's health (:mod:`.health`), with its operator alerts (``operator_alerts``: ``open``,
and ``history``, the latest started/cleared notices). ``/api/events``: the events seen last (``since``: last seen on or after that day or time, ISO), each with its
titles per language, first/last seen, languages, sources, article count, its articles per language and source,
the rules its articles matched and its mails (:mod:`.events_view`). ``/api/mentions``: articles per day per actor
and theme over the last ``days`` days, the days marked as spikes and the rule that marks them
(:mod:`.mentions_chart`).

``/api/alerts`` changed with events: immediate alerts are mails per recipient and event, listed under ``mails``
(update number, state ``sent``/``pending``/``failed``, the event's articles) with ``mail_counts``; ``alerts``,
``counts``, ``ledger`` and ``ledger_exists`` keep their meaning for the ledger, which now holds the digest and
history entries, per (rule, article) with ``article_id`` and ``event_id`` (an ``immediate`` entry, a match of an
immediate rule, is listed only with ``status=immediate``). ``/api/search``: words that name a watchlist actor or
theme in any language also find the articles tagged with it in every language; ``names`` says which ids.

Every route needs an Airflow user (:mod:`newsmon.monitor.auth`); without one the page redirects to Airflow's
login and the JSON answers 401. With the ``ui_allowed_hosts`` setting (the API servers newsmon starts on
loopback set it), a request for another ``Host`` is answered 400 first (:mod:`newsmon.monitor.hosts`). Elasticsearch down: the JSON answers 503 ``{"error": ...}``, the page shows the
crawl state and the error (also with status 503). The page has no JavaScript and loads nothing from elsewhere;
Jinja2 escapes everything it prints, and highlights are segments (:mod:`newsmon.monitor.marks`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsmon.errors import ConfigError, ServiceUnavailable
from newsmon.monitor.auth import airflow_user, login_url
from newsmon.monitor.hosts import TrustedHostGuard
from newsmon.monitor.mentions_chart import DAYS, TOP
from newsmon.monitor.service import SEARCH_LANGUAGES, MonitorService
from newsmon.settings import Settings, load_settings

__all__ = ["create_app"]

_TEMPLATES = Path(__file__).parent / "templates"


def _when(value: str | None) -> str:
    """``2026-01-05T10:20:30+00:00`` → ``2026-01-05 10:20 UTC`` (empty stays empty)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.utcoffset() is not None else "")


def _href(value: str | None) -> str:
    """A link target from crawled data: only ``http(s)://`` URLs (no ``javascript:``), else nothing."""
    return value if isinstance(value, str) and value.lower().startswith(("http://", "https://")) else ""


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(when=_when, href=_href)
    return env


def _lang(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in SEARCH_LANGUAGES:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY,
                            f"unknown language {value!r}; use one of {', '.join(SEARCH_LANGUAGES)}")
    return value


def _since(value: str | None) -> str | None:
    """An ISO day or time for ``since`` (422 otherwise), passed on as written."""
    if not value:
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY,
                            f"since={value!r} is not an ISO day or time; use e.g. 2025-10-01") from None
    return value


def create_app(settings: Settings | None = None) -> FastAPI:
    """The monitor app for ``settings`` (default: :func:`~newsmon.settings.load_settings`)."""
    settings = settings or load_settings()
    service = MonitorService(settings)
    templates = _environment()
    app = FastAPI(title="newsmon monitor", dependencies=[Depends(airflow_user)], docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.service = service
    if settings.ui_allowed_hosts:
        app.add_middleware(TrustedHostGuard, allowed_hosts=settings.ui_allowed_hosts)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException):
        route = request.url.path.removeprefix(request.scope.get("root_path", ""))
        if exc.status_code == status.HTTP_401_UNAUTHORIZED and not route.startswith("/api/"):
            return RedirectResponse(login_url(request), status_code=status.HTTP_303_SEE_OTHER)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, exc: ServiceUnavailable):
        return JSONResponse({"error": str(exc)}, status_code=status.HTTP_503_SERVICE_UNAVAILABLE)

    @app.exception_handler(ConfigError)
    async def _bad_config(request: Request, exc: ConfigError):
        return JSONResponse({"error": str(exc)}, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)

    @app.get("/api/sources")
    def api_sources() -> dict:
        return service.sources()

    @app.get("/api/events")
    def api_events(since: str | None = None, size: int = Query(20, ge=1, le=200)) -> dict:
        return service.events(since=_since(since), size=size)

    @app.get("/api/mentions")
    def api_mentions(days: int = Query(DAYS, ge=7, le=366), top: int = Query(TOP, ge=1, le=20)) -> dict:
        return service.mentions(days=days, top=top)

    @app.get("/api/alerts")
    def api_alerts(status_: str | None = Query(None, alias="status"), rule: str | None = None,
                   size: int = Query(50, ge=1, le=500)) -> dict:
        return service.alerts(status=status_ or None, rule_id=rule or None, size=size)

    @app.get("/api/search")
    def api_search(q: str = "", lang: str | None = None, size: int = Query(10, ge=1, le=100)) -> dict:
        return service.search(q, _lang(lang), size)

    @app.get("/kibana")
    def kibana(q: str = "", lang: str | None = None) -> RedirectResponse:
        return RedirectResponse(service.kibana_url(q, _lang(lang)), status_code=status.HTTP_303_SEE_OTHER)

    @app.get("/", response_class=HTMLResponse)
    def page(q: str = "", lang: str | None = None) -> HTMLResponse:
        lang = _lang(lang)
        error, sources, alerts, search, events, mentions = None, None, None, None, None, None
        try:
            service.client()
            sources = service.sources()
            if q.strip() or lang:
                search = service.search(q, lang, 10)
            mentions = service.mentions()
            events = service.events(size=20)
            alerts = service.alerts(size=30)
        except ServiceUnavailable as exc:
            error = str(exc)
            sources = sources or service.sources(with_articles=False)
        body = templates.get_template("monitor.html").render(
            sources=sources, alerts=alerts, search=search, events=events, mentions=mentions, error=error, q=q,
            lang=lang or "", languages=SEARCH_LANGUAGES)
        return HTMLResponse(body, status_code=status.HTTP_503_SERVICE_UNAVAILABLE if error else status.HTTP_200_OK)

    return app
