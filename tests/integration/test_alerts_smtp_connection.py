"""Alert mail through an Airflow SMTP connection, delivered to the real local SMTP server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsmon import pipeline
from newsmon.index import ArticleStore, connect
from newsmon.models import Article, Mention
from newsmon.settings import load_settings

pytestmark = pytest.mark.integration


def test_mail_goes_where_the_airflow_connection_says(pipeline_settings, smtp_sink, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_NEWSMON", json.dumps({
        "conn_type": "smtp", "host": smtp_sink.host, "port": smtp_sink.port,
        "extra": {"disable_ssl": True, "disable_tls": True, "from_email": "Russia desk <desk@newsmon.example>"}}))
    # The NEWSMON_SMTP_* settings point nowhere: only the connection can deliver.
    settings = load_settings(smtp_conn_id="smtp_newsmon", smtp_host="127.0.0.1", smtp_port=1)
    store = ArticleStore(connect(settings), settings.index_alias)
    store.ensure_index()
    text = "Delegations met in Kazan for the Moscow Format consultations on Afghanistan. " * 3
    start = text.index("Moscow Format")
    store.index_articles([Article(
        url="https://www.ankasam.org/en/kazan/", canonical_url="https://www.ankasam.org/en/kazan/", source="ankasam",
        title="Moscow Format meets in Kazan", text=text, lang="en", published=datetime(2026, 11, 30, tzinfo=UTC),
        mentions=[Mention(id="moscow_format", kind="theme", surface="Moscow Format", start=start,
                          end=start + len("Moscow Format"), snippet=text[:120])])])
    report = pipeline.alert(settings)
    assert report["sent"] == 1, report
    [message] = smtp_sink.messages()
    assert message["From"] == "Russia desk <desk@newsmon.example>"
    assert message["X-Newsmon-Rules"] == "moscow_format" and message["X-Newsmon-Update"] == "0"
    assert pipeline.alert(settings)["sent"] == 0 and len(smtp_sink.messages()) == 1
