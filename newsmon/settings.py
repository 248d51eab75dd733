"""One typed settings object, built once: defaults → settings file → environment.

``os.environ`` is read here and nowhere else. Every variable is ``NEWSMON_<FIELD>`` (upper case), e.g.
``NEWSMON_ELASTICSEARCH_URL``; ``NEWSMON_SETTINGS_FILE`` names an optional YAML file with the same keys
(lower case). Per-source settings (politeness) live in the sources file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from newsmon.configfile import ConfigError, load_yaml

__all__ = ["PROJECT_ROOT", "Settings", "load_settings"]

#: The repository root (where ``config/`` lives) when running from a checkout.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
_ENV_PREFIX = "NEWSMON_"


class Settings(BaseModel):
    """Everything configurable about a newsmon deployment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # -- data files -----------------------------------------------------------------------------------
    sources_file: Path = PROJECT_ROOT / "config" / "sources.yaml"
    watchlist_file: Path = PROJECT_ROOT / "config" / "watchlist.yaml"
    alert_rules_file: Path = PROJECT_ROOT / "config" / "alerts.yaml"
    #: This worker's own folder (the archive by default, the crawl state and queue with ``state_store: files``,
    #: the demo's services); must be a folder this user can write, or one it can create.
    data_dir: Path = Field(default=Path("/var/tmp/newsmon/data"), validate_default=True)
    #: Where the WARC archive lives, through Airflow's ObjectStoragePath: empty means the local folder
    #: ``<data_dir>/archive``; ``s3://bucket/prefix`` or ``gs://…`` (``s3://<conn id>@bucket/…`` for an Airflow
    #: connection) with the matching Airflow provider installed. See :attr:`archive_location`.
    archive_url: str = ""
    #: Fetch every source (except those naming their own ``mirror``) through this mirror: ``https://<host>/<path>``
    #: is requested as ``<mirror_url>/<host>/<path>``. The demo and the tests point it at the offline replay site.
    mirror_url: str = ""
    #: Fills ``${NEWSMON_REPLAY_URL}`` in older sources files written for the replay site (``replay: true``).
    replay_url: str = "http://127.0.0.1:8765"
    #: Per-source changes to the sources file, by source name or ``*`` for all, e.g.
    #: ``{"*": {"politeness": {"min_delay_seconds": 0}}}`` (as JSON in ``NEWSMON_SOURCE_OVERRIDES``).
    source_overrides: dict[str, dict] = Field(default_factory=dict)

    # -- crawling -------------------------------------------------------------------------------------
    user_agent: str = "newsmon/0.1 (+https://github.com/newsmon/newsmon; news monitoring for research)"
    max_redirects: int = Field(default=5, ge=0)
    #: A host's robots.txt read by an earlier crawl of the source is used for this long (RFC 9309: at most a day;
    #: 0: read it every run). An unreachable robots.txt is never cached.
    robots_cache_minutes: float = Field(default=60.0, ge=0.0, le=1440.0)
    #: Pages per mapped processing task: a task's start-up (~10 s under Airflow) should stay small beside its work.
    process_batch_size: int = Field(default=200, ge=1)
    #: Sources per mapped crawl or poll task (sources sharing a host always share a group, and a thread).
    crawl_group_size: int = Field(default=50, ge=1)
    #: Where the crawl state, the processing queue and the per-source crawl locks live: ``elasticsearch`` (indices
    #: ``<index_alias>-crawl-state``, ``-process-queue``, ``-crawl-locks``: every worker reaches them) or ``files``
    #: (under ``data_dir``: one machine, or workers that share that folder).
    state_store: Literal["elasticsearch", "files"] = "elasticsearch"
    #: How long a crawl lock or a claim on queued pages lasts without renewal: a crashed worker's work is taken up
    #: by another this long after its last renewal.
    lease_seconds: float = Field(default=120.0, ge=1.0)
    #: What starts ``news_fast``: ``watch`` (the feed watcher in Airflow's triggerer: a run only when a feed lists
    #: something new) or a cron expression such as ``*/3 * * * *`` (a clock: every run polls every source).
    fast_poll: str = "watch"

    # -- Elasticsearch --------------------------------------------------------------------------------
    #: Empty means: use (and if needed start) the local node that ``newsmon es start`` manages.
    elasticsearch_url: str = ""
    #: Airflow connection to use when ``elasticsearch_url`` is empty (host, port, login/password, schema).
    elasticsearch_conn_id: str = "elasticsearch_default"
    elasticsearch_api_key: str = ""
    elasticsearch_ca_certs: str = ""
    index_alias: str = "newsmon-articles"
    #: Primary shards and replicas of new article index versions (existing ones: `newsmon index migrate`).
    index_shards: int = Field(default=1, ge=1)
    index_replicas: int = Field(default=0, ge=0)
    es_cache_dir: Path = Path("/var/tmp/newsmon/elasticsearch")

    # -- mail -----------------------------------------------------------------------------------------
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout_seconds: float = 30.0
    #: An Airflow SMTP connection to take host, port, login and SSL/STARTTLS from instead (e.g. smtp_default).
    smtp_conn_id: str = ""
    mail_from: str = "newsmon <newsmon@localhost>"
    #: Articles that join an event already mailed to a recipient go out as one update per this many minutes.
    alert_update_interval_minutes: int = Field(default=360, ge=0)

    # -- operator alerts (newsmon/alerts/operator) ------------------------------------------------------
    #: Where operator alerts go: an e-mail address or ``webhook:<Airflow connection id>`` (a rule's recipient
    #: syntax). Empty: the checks still run and keep their history, and each alert is only logged.
    operator_channel: str = ""
    #: "feeds failing": every one of a source's latest this-many crawl runs had a failed feed (or failed).
    operator_failing_runs: int = Field(default=3, ge=1)
    #: "quiet": a source is quiet when its silence exceeds this many times its usual gap between publication
    #: days, and at least ``quiet_min_days`` (the monitor page's warning uses the same rule).
    quiet_factor: float = Field(default=3.0, gt=0)
    quiet_min_days: float = Field(default=2.0, ge=0)
    #: "extraction degraded": a page whose article text is shorter than this counts as a stub, like a dropped one.
    degraded_short_chars: int = Field(default=400, ge=0)
    #: The latest this-many days (by fetch day, UTC) are compared with the ``degraded_baseline_days`` before them …
    degraded_recent_days: int = Field(default=2, ge=1)
    degraded_baseline_days: int = Field(default=28, ge=1)
    #: … when both hold at least this many pages …
    degraded_min_pages: int = Field(default=10, ge=1)
    degraded_min_baseline_pages: int = Field(default=30, ge=1)
    #: … and the share of dropped or stub pages rose by at least this much, with a binomial tail probability
    #: (under the source's own smoothed baseline share) of at most ``degraded_max_p_value``.
    degraded_min_jump: float = Field(default=0.3, gt=0, le=1)
    degraded_max_p_value: float = Field(default=0.001, gt=0, le=1)

    # -- links shown to analysts ----------------------------------------------------------------------
    kibana_url: str = "http://localhost:5601"
    #: Port of the Airflow UI (with the newsmon monitor page) that ``newsmon demo`` leaves running.
    ui_port: int = Field(default=8080, ge=1, le=65535)
    #: ``Host`` headers the Airflow UI and the monitor answer (``name:port``, comma-separated in the environment);
    #: empty: any. The API servers newsmon starts on loopback set it to their own address (DNS rebinding).
    ui_allowed_hosts: list[str] = Field(default_factory=list)

    @field_validator("fast_poll")
    @classmethod
    def _watch_or_cron(cls, value: str) -> str:
        from croniter import croniter

        value = value.strip()
        if value != "watch" and not croniter.is_valid(value):
            raise ValueError(f"{value!r} is neither `watch` nor a cron expression (e.g. `*/3 * * * *`)")
        return value

    @field_validator("data_dir")
    @classmethod
    def _usable_data_dir(cls, value: Path) -> Path:
        """Refuse at load a data folder the first write would fail on: under a file, or not writable."""
        existing = value
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        fix = "set NEWSMON_DATA_DIR to a folder newsmon may write (the default is /var/tmp/newsmon/data)"
        if not existing.is_dir():
            where = "it" if existing == value else f"{existing}"
            raise ValueError(f"{value} cannot be a folder: {where} is a file; {fix}")
        if not os.access(existing, os.W_OK | os.X_OK):
            what = "it exists but" if existing == value else f"it would be created in {existing}, which"
            raise ValueError(f"{value} is not writable: {what} this user cannot write; {fix}")
        return value

    @property
    def state_dir(self) -> Path:
        return self.data_dir / "state"

    @property
    def archive_location(self) -> str:
        """``archive_url``, or by default ``file://<data_dir>/archive`` (the absolute path, not %-encoded)."""
        return self.archive_url or f"file://{(self.data_dir / 'archive').absolute()}"

    def config_variables(self) -> dict[str, str]:
        """The values data files may refer to as ``${NAME}``."""
        return {"NEWSMON_REPLAY_URL": self.replay_url.rstrip("/")}


def load_settings(environ: dict[str, str] | None = None, **overrides) -> Settings:
    """Build the settings from defaults, the optional settings file, the environment and ``overrides``."""
    environ = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    settings_file = environ.get(_ENV_PREFIX + "SETTINGS_FILE")
    if settings_file:
        data = load_yaml(settings_file) or {}
        if not isinstance(data, dict):
            raise ConfigError(f"{settings_file}: expected a mapping of setting names to values")
        values.update(data)
    fields = Settings.model_fields
    for name in fields:
        key = _ENV_PREFIX + name.upper()
        if key in environ:
            values[name] = _from_environment(key, environ[key], fields[name].annotation)
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))} (env {_ENV_PREFIX}{str(e['loc'][0]).upper()}): {e['msg']}"
            for e in exc.errors()
        )
        origin = f" (settings file {settings_file})" if settings_file else ""
        raise ConfigError(f"invalid settings{origin}: {problems}") from None


def _from_environment(key: str, value: str, annotation) -> object:
    """An environment variable's value; mappings are written as JSON (``NEWSMON_SOURCE_OVERRIDES='{"*": …}'``),
    lists comma-separated (``NEWSMON_UI_ALLOWED_HOSTS=127.0.0.1:8080,localhost:8080``)."""
    if getattr(annotation, "__origin__", None) is list:
        return [part.strip() for part in value.split(",") if part.strip()]
    if getattr(annotation, "__origin__", None) is dict:
        import json

        try:
            return json.loads(value) if value.strip() else {}
        except ValueError as exc:
            raise ConfigError(f"{key}: not valid JSON ({exc}); write a JSON object, e.g. '{{\"*\": {{}}}}'") from None
        except RecursionError:
            raise ConfigError(f"{key}: nested too deeply to read; write a flat JSON object, "
                              "e.g. '{\"*\": {\"politeness\": {\"min_delay_seconds\": 0}}}'") from None
    return value
