"""Operator alerts on real parts: the replay site over HTTP (one source down for runs), a real Elasticsearch node,
the SMTP sink and a webhook receiver on loopback. Each alert goes out once when it starts and once when it clears,
whatever the number of runs; a refused delivery stays pending and goes on the next run, with the same key."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from newsmon import pipeline
from newsmon.alerts.channels import webhook
from newsmon.devstack.replay import ReplayServer, replay_settings
from newsmon.devstack.webhook_sink import WebhookSink
from newsmon.errors import ServiceUnavailable
from newsmon.index import ArticleStore, connect
from newsmon.index.operator_store import OperatorAlertStore, operator_index
from newsmon.index.page_outcomes import ARTICLE, STUB, PageOutcome, PageOutcomes
from newsmon.models import Article
from newsmon.monitor.service import MonitorService
from newsmon.processing import ExtractionStage
from newsmon.settings import load_settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

OPS = "ops@newsmon.example"


@pytest.fixture
def site():
    """The replay site for this test alone (its outages touch no other test)."""
    with ReplayServer("127.0.0.1", 0) as server:
        yield server


@pytest.fixture
def settings(tmp_path, elasticsearch_url, site, smtp_sink, monkeypatch):
    values = {**replay_settings(site.base_url), "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
              "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}", "NEWSMON_DATA_DIR": str(tmp_path / "data"),
              "NEWSMON_SMTP_HOST": smtp_sink.host, "NEWSMON_SMTP_PORT": str(smtp_sink.port),
              "NEWSMON_OPERATOR_CHANNEL": OPS}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def _crawl(settings, source: str) -> None:
    try:
        pipeline.crawl(source, settings)
    except ServiceUnavailable:
        pass  # every feed failed: recorded in the crawl state, as a failed crawl task would


def _operator_mails(sink) -> list:
    return [m for m in sink.messages() if m["X-Newsmon-Operator"]]


def _source_row(settings, name: str) -> dict:
    return next(s for s in MonitorService(settings).sources()["sources"] if s["name"] == name)


def test_feeds_failing_for_n_runs_started_once_then_cleared_once(settings, site, smtp_sink):
    assert settings.operator_failing_runs == 3
    site.start_outage("opsour.com", status=503)
    _crawl(settings, "opsour")
    _crawl(settings, "opsour")
    report = pipeline.check_sources(settings)
    assert report["started"] == [] and report["sent"] == 0 and _operator_mails(smtp_sink) == []

    _crawl(settings, "opsour")  # the third failing run
    report = pipeline.check_sources(settings)
    assert report["started"] == ["opsour/feeds-failing"] and report["sent"] == 1, report
    [started] = _operator_mails(smtp_sink)
    assert started["Subject"] == "[newsmon operator] opsour: feeds failing started"
    assert started["To"] == OPS and started["X-Newsmon-Operator"] == "opsour feeds-failing started"
    body = started.get_body(("plain",)).get_content()
    assert "feeds failing in each of the last 3 crawl run(s)" in body and "503" in body, body

    for _ in range(2):  # the task run again, and a later run with the source still down: nothing new
        report = pipeline.check_sources(settings)
        assert report["started"] == report["cleared"] == [] and report["sent"] == 0
        assert report["open"] == ["opsour/feeds-failing"]
    _crawl(settings, "opsour")
    assert pipeline.check_sources(settings)["sent"] == 0
    assert len(_operator_mails(smtp_sink)) == 1
    [still_open] = _source_row(settings, "opsour")["operator_alerts"]["open"]
    assert still_open["detail"]["runs"] == 4 and still_open["episode"] == 1  # the page shows the streak now

    site.end_outage()
    _crawl(settings, "opsour")
    report = pipeline.check_sources(settings)
    assert report["cleared"] == ["opsour/feeds-failing"] and report["sent"] == 1 and report["open"] == []
    assert pipeline.check_sources(settings)["sent"] == 0
    first, cleared = _operator_mails(smtp_sink)
    assert cleared["Subject"] == "[newsmon operator] opsour: feeds failing cleared"
    assert cleared["In-Reply-To"] == first["Message-ID"]

    row = _source_row(settings, "opsour")
    assert row["operator_alerts"]["open"] == []
    history = row["operator_alerts"]["history"]
    assert [(n["check"], n["transition"], n["status"], n["destination"]) for n in history] == [
        ("feeds-failing", "cleared", "sent", OPS), ("feeds-failing", "started", "sent", OPS)]


def _article(source: str, slug: str, published: datetime) -> Article:
    url = f"https://www.thebell.io/{slug}"
    return Article(url=url, canonical_url=url, source=source, title=f"Story {slug}", text="Text. " * 200, lang="en",
                   published=published)


def test_quiet_source_alert_reaches_a_webhook_once_after_a_refused_delivery(settings, monkeypatch):
    now = datetime.now(UTC)
    store = ArticleStore(connect(settings), settings.index_alias)
    store.ensure_index()
    store.index_articles([_article("thebell", f"d{d}", now - timedelta(days=d)) for d in range(10, 40)])
    monkeypatch.setattr(webhook, "BACKOFF_SECONDS", (0.05, 0.1))
    with WebhookSink() as hook:
        monkeypatch.setenv("AIRFLOW_CONN_OPS_HOOK", json.dumps({"conn_type": "http", "host": f"{hook.url}/ops"}))
        hooked = settings.model_copy(update={"operator_channel": "webhook:ops_hook"})
        hook.fail_next(3)  # the receiver is down for this whole run (three attempts)
        with pytest.raises(ServiceUnavailable, match="1 operator alert"):
            pipeline.check_sources(hooked)
        [pending] = OperatorAlertStore(connect(settings), operator_index(settings.index_alias)).pending()
        assert pending["check"] == "quiet" and "503" in pending["last_error"]

        report = pipeline.check_sources(hooked)  # it is back: the same alert, not a new one
        assert report["started"] == [] and report["sent"] == 1 and report["open"] == ["thebell/quiet"]
        assert [r.status for r in hook.requests()] == [503, 503, 503, 200]
        assert len({r.headers["Idempotency-Key"] for r in hook.requests()}) == 1
        started = hook.requests()[-1].json()
        assert started["schema"] == "newsmon.operator/1" and started["thread"] == ""
        assert started["alert"]["source"] == "thebell" and started["alert"]["transition"] == "started"
        assert started["alert"]["detail"]["usual_gap_days"] == 1.0 and started["alert"]["detail"]["days_since_newest"] >= 10

        assert pipeline.check_sources(hooked)["sent"] == 0 and len(hook.requests()) == 4
        store.index_articles([_article("thebell", "today", now - timedelta(hours=1))])
        report = pipeline.check_sources(hooked)
        assert report["cleared"] == ["thebell/quiet"] and report["sent"] == 1
        cleared = hook.requests()[-1].json()
        assert cleared["alert"]["transition"] == "cleared" and cleared["thread"] == started["idempotency_key"]
        assert pipeline.check_sources(hooked)["sent"] == 0 and len(hook.requests()) == 5


def test_extraction_degraded_when_a_sources_pages_turn_into_stubs(settings, smtp_sink, monkeypatch):
    # Quiet would judge the replay's old publication dates; this test is about extraction only.
    settings = settings.model_copy(update={"degraded_min_pages": 5, "quiet_min_days": 100_000})
    today = datetime.now(UTC).date()
    history = [PageOutcome(f"past-{d}-{i}", "ankasam", today - timedelta(days=d), ARTICLE, "", 3000)
               for d in range(2, 30) for i in range(3)]
    history.append(PageOutcome("past-stub", "ankasam", today - timedelta(days=5), STUB, "", 120))
    PageOutcomes(connect(settings), settings.index_alias).record(history)  # 84 pages over 4 weeks, one stub

    pipeline.crawl("ankasam", settings)
    real = ExtractionStage.process

    def stub(self, page):  # the site redesigned: its extractor now finds only a scrap of each article
        article = real(self, page)
        article.text = article.text[:80]
        return article

    monkeypatch.setattr(ExtractionStage, "process", stub)
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    report = pipeline.check_sources(settings)
    assert report["started"] == ["ankasam/extraction-degraded"] and report["sent"] == 1, report
    [mail] = _operator_mails(smtp_sink)
    assert mail["Subject"] == "[newsmon operator] ankasam: extraction degraded started"
    assert "were dropped or stubs" in mail.get_body(("plain",)).get_content()
    assert pipeline.check_sources(settings)["sent"] == 0
    row = _source_row(settings, "ankasam")
    [open_alert] = row["operator_alerts"]["open"]
    assert open_alert["check"] == "extraction-degraded" and open_alert["detail"]["baseline_pages"] == 85

    monkeypatch.setattr(ExtractionStage, "process", real)  # the extractor fixed; the archive read again
    pipeline.reprocess_archive(settings, ["ankasam"])
    report = pipeline.check_sources(settings)
    assert report["cleared"] == ["ankasam/extraction-degraded"] and report["sent"] == 1, report
    assert pipeline.check_sources(settings)["sent"] == 0
    assert [m["Subject"].rsplit(" ", 1)[1] for m in _operator_mails(smtp_sink)] == ["started", "cleared"]


def test_without_an_operator_channel_alerts_are_logged_and_the_command_lists_them(settings, smtp_sink,
                                                                                 monkeypatch, caplog):
    from click.testing import CliRunner

    from newsmon.cli import cli

    monkeypatch.delenv("NEWSMON_OPERATOR_CHANNEL")
    now = datetime.now(UTC)
    store = ArticleStore(connect(settings), settings.index_alias)
    store.ensure_index()
    store.index_articles([_article("thebell", f"d{d}", now - timedelta(days=d)) for d in range(10, 40)])
    first = CliRunner().invoke(cli, ["sources", "alerts"])
    assert first.exit_code == 0, first.output
    assert "started: thebell/quiet;" in first.output and "0 sent to the log" in first.output
    assert "1 logged" in first.output and "open: thebell/quiet" in first.output
    assert "[newsmon operator] thebell: quiet beyond its usual gap started" in caplog.text
    again = CliRunner().invoke(cli, ["sources", "alerts"])
    assert "started: none;" in again.output and "0 logged" in again.output, again.output
    assert smtp_sink.messages() == []
    [notice] = OperatorAlertStore(connect(settings), operator_index(settings.index_alias)).notices()
    assert (notice["transition"], notice["status"], notice["destination"]) == ("started", "logged", None)
