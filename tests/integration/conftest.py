"""Real parts for the integration tests: the replay site and an SMTP sink (the Elasticsearch node of the session is
the ``elasticsearch_url`` fixture of ``tests/conftest.py``, shared with ``tests/faults``)."""

from __future__ import annotations

import uuid

import pytest

from newsmon.devstack.replay import ReplayServer, replay_settings
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.settings import load_settings


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
        **replay_settings(replay_server.base_url),
        "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
        "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}",
        "NEWSMON_DATA_DIR": str(tmp_path / "data"),
        "NEWSMON_SMTP_HOST": host,
        "NEWSMON_SMTP_PORT": str(port),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return load_settings()
