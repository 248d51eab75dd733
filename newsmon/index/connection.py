"""Connect to Elasticsearch from settings, with errors that say how to get one running."""

from __future__ import annotations

import json
import logging

from elasticsearch import ApiError, Elasticsearch, TransportError

from newsmon.errors import ServiceUnavailable
from newsmon.settings import Settings

__all__ = ["LOCAL_NODE_RECORD", "cluster_info", "connect", "elasticsearch_url", "ensure_own_index"]

#: Where a local node started for this data folder (`newsmon es start`) records its URL, under ``state_dir``.
LOCAL_NODE_RECORD = "elasticsearch.json"

log = logging.getLogger(__name__)


def _airflow_connection(conn_id: str) -> str | None:
    """The URL of an Airflow connection (e.g. ``elasticsearch_default``) when running under Airflow."""
    if not conn_id:
        return None
    try:
        from airflow.sdk import Connection

        connection = Connection.get(conn_id)
    except Exception:  # noqa: BLE001 - not under Airflow, or no such connection: fall through
        return None
    host = connection.host or ""
    if "://" not in host:
        scheme = (connection.schema or "http") if (connection.schema or "") in ("http", "https") else "http"
        host = f"{scheme}://{host}"
    if connection.port:
        host = f"{host.rstrip('/')}:{connection.port}"
    if connection.login:
        scheme, rest = host.split("://", 1)
        host = f"{scheme}://{connection.login}:{connection.password or ''}@{rest}"
    return host


def elasticsearch_url(settings: Settings) -> str:
    """The configured URL, else the Airflow connection, else the local node of ``newsmon es start``."""
    if settings.elasticsearch_url:
        return settings.elasticsearch_url
    from_airflow = _airflow_connection(settings.elasticsearch_conn_id)
    if from_airflow:
        return from_airflow
    record = settings.state_dir / LOCAL_NODE_RECORD
    if record.exists():
        try:
            return json.loads(record.read_text())["url"]
        except (ValueError, KeyError):
            pass
    raise ServiceUnavailable(
        "no Elasticsearch configured: set NEWSMON_ELASTICSEARCH_URL to your cluster, define the Airflow "
        f"connection {settings.elasticsearch_conn_id!r}, or start the local node with `uv run newsmon es start`")


def connect(settings: Settings, check: bool = True) -> Elasticsearch:
    """An Elasticsearch client for the configured cluster; with ``check``, fail now if it is unreachable."""
    url = elasticsearch_url(settings)
    options: dict = {"request_timeout": 30, "retry_on_timeout": True, "max_retries": 3}
    if settings.elasticsearch_api_key:
        options["api_key"] = settings.elasticsearch_api_key
    if settings.elasticsearch_ca_certs:
        options["ca_certs"] = settings.elasticsearch_ca_certs
    client = Elasticsearch(url, **options)
    if check:
        try:
            info = client.info()
        except (TransportError, ApiError) as exc:
            raise ServiceUnavailable(
                f"Elasticsearch at {url} is unreachable ({type(exc).__name__}: {exc}); start the local node "
                "with `uv run newsmon es start` or point NEWSMON_ELASTICSEARCH_URL at a running cluster") from None
        log.debug("connected to Elasticsearch %s at %s", info["version"]["number"], url)
    return client


def cluster_info(client: Elasticsearch) -> dict:
    """The cluster's answer to ``GET /`` (name, version); raises the client's transport errors when it is down."""
    return dict(client.info())


def ensure_own_index(client: Elasticsearch, index: str, mappings: dict, add_fields: bool = False,
                     settings: dict | None = None) -> None:
    """Create one of newsmon's own small indices (alert ledger, threads, events…: one shard, no replica unless
    ``settings`` say otherwise) if it does not exist; with ``add_fields``, give an existing one the fields a newer
    version of its mapping has."""
    if not client.indices.exists(index=index):
        client.options(ignore_status=400).indices.create(  # 400: another worker created it just now
            index=index, mappings=mappings, settings=settings or {"number_of_shards": 1, "number_of_replicas": 0})
    elif add_fields:
        client.indices.put_mapping(index=index, properties=mappings["properties"])
