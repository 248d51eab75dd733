"""Real parts for the integration tests: one Elasticsearch node, the replay site and an SMTP sink per session."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from newsmon.elasticsearch_local import DEFAULT_CACHE_DIR, LocalElasticsearch, provision
from newsmon.replay import ReplayServer
from newsmon.settings import PROJECT_ROOT, load_settings
from newsmon.smtp_sink import SmtpSink


@pytest.fixture(scope="session")
def elasticsearch_url(tmp_path_factory) -> str:
    """A real Elasticsearch 8.x: NEWSMON_TEST_ELASTICSEARCH_URL if set, else a local node for this session."""
    if os.environ.get("NEWSMON_TEST_ELASTICSEARCH_URL"):
        yield os.environ["NEWSMON_TEST_ELASTICSEARCH_URL"]
        return
    home = provision(Path(os.environ.get("NEWSMON_ES_CACHE", DEFAULT_CACHE_DIR)))
    data_dir = Path(os.environ.get("NEWSMON_ES_CACHE", DEFAULT_CACHE_DIR)) / f"test-data-{uuid.uuid4().hex[:8]}"
    node = LocalElasticsearch(home, data_dir)
    url = node.start()
    yield url
    node.stop()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def replay_server():
    with ReplayServer("127.0.0.1", 0) as server:
        yield server


@pytest.fixture
def smtp_sink(tmp_path):
    with SmtpSink(tmp_path / "mailbox") as sink:
        yield sink


@pytest.fixture
def pipeline_settings(tmp_path, elasticsearch_url, replay_server, smtp_sink, monkeypatch):
    """Settings for one test: its own data dir, index alias and mailbox; exported as NEWSMON_* for the DAGs."""
    host, port = smtp_sink.host, smtp_sink.port
    values = {
        "NEWSMON_SOURCES_FILE": str(PROJECT_ROOT / "config" / "sources.replay.yaml"),
        "NEWSMON_REPLAY_URL": replay_server.base_url,
        "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
        "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}",
        "NEWSMON_DATA_DIR": str(tmp_path / "data"),
        "NEWSMON_SMTP_HOST": host,
        "NEWSMON_SMTP_PORT": str(port),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return load_settings()
