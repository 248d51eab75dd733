"""The webhook channel against a real HTTP receiver on loopback (and the e-mail channel beside it): the same alert
reaches both destinations once, signed, with one idempotency key; a receiver that fails twice then accepts gets
it in the same run; a receiver down for a whole run gets it on the next one, the same delivery, once."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import yaml

from newsmon import pipeline
from newsmon.alerts.channels import webhook
from newsmon.devstack.processes import free_port
from newsmon.devstack.webhook_sink import WebhookSink
from newsmon.errors import ServiceUnavailable
from newsmon.index import ArticleStore, connect
from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.models import Article
from newsmon.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

TEXT = ("The seventh round of the Moscow Format consultations on Afghanistan opened in Moscow on Monday with the "
        "Taliban delegation led by Amir Khan Muttaqi.")
RULES = {"rules": [{"id": "moscow_format", "name": "Moscow Format", "match": {"themes": ["moscow_format"]},
                    "recipients": ["desk@newsmon.example", "webhook:desk_hook"]}]}


@pytest.fixture
def settings(pipeline_settings, tmp_path, monkeypatch):
    rules = tmp_path / "alerts.yaml"
    rules.write_text(yaml.safe_dump(RULES), encoding="utf-8")
    monkeypatch.setattr(webhook, "BACKOFF_SECONDS", (0.1, 0.2))
    matcher = WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
    article = Article(url="https://www.ankasam.org/en/mf7/", canonical_url="https://www.ankasam.org/en/mf7/",
                      source="ankasam", title="Moscow Format round opens", text=TEXT, lang="en",
                      published=datetime(2025, 10, 6, tzinfo=UTC))
    article.mentions = matcher.match(TEXT, "en")
    settings = pipeline_settings.model_copy(update={"alert_rules_file": rules})
    store = ArticleStore(connect(settings), settings.index_alias)
    store.ensure_index()
    store.index_articles([article])
    return settings


def _connection(monkeypatch, url: str, secret: str = "s3cret", **extra) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_DESK_HOOK", json.dumps({"conn_type": "http", "host": url, "password": secret,
                                                             "extra": extra}))


def test_one_signed_delivery_per_destination_even_after_two_failures(settings, smtp_sink, monkeypatch):
    with WebhookSink() as hook:
        _connection(monkeypatch, f"{hook.url}/newsmon")
        hook.fail_next(2)  # a 503, a 503, then it takes it: all in one run
        report = pipeline.alert(settings)
        assert report["sent"] == 2 and report["failed"] == 0, report
        assert [r.status for r in hook.requests()] == [503, 503, 200]
        [delivered] = hook.accepted()
        assert delivered.path == "/newsmon"
        expected = "sha256=" + hmac.new(b"s3cret", delivered.body, hashlib.sha256).hexdigest()
        assert delivered.headers["X-Newsmon-Signature"] == expected
        keys = {r.headers["Idempotency-Key"] for r in hook.requests()}
        body = delivered.json()
        assert keys == {body["idempotency_key"]} and body["schema"] == "newsmon.alert/1"
        assert body["rules"] == [{"id": "moscow_format", "name": "Moscow Format"}]
        assert body["articles"][0]["url"] == "https://www.ankasam.org/en/mf7/"
        [mail] = smtp_sink.messages()
        assert mail["To"] == "desk@newsmon.example" and mail["X-Newsmon-Event"] == body["event"]["id"]

        assert pipeline.alert(settings)["sent"] == 0 and len(hook.requests()) == 3


def test_a_receiver_down_for_a_run_gets_the_same_delivery_next_run(settings, smtp_sink, monkeypatch):
    port = free_port()  # nothing listens here during the first run
    _connection(monkeypatch, f"http://127.0.0.1:{port}/hook", **{"format": "slack"})
    with pytest.raises(ServiceUnavailable, match="webhook:desk_hook .* did not take the alert.*same Idempotency-Key"):
        pipeline.alert(settings)
    assert len(smtp_sink.messages()) == 1  # the e-mail destination is not held back
    with WebhookSink(port=port) as hook:
        report = pipeline.alert(settings)
        assert report["sent"] == 1 and report["failed"] == 0, report
        [delivered] = hook.requests()
        assert set(delivered.json()) == {"text"} and "Moscow Format" in delivered.json()["text"]
        assert pipeline.alert(settings)["sent"] == 0 and len(hook.requests()) == 1
    assert len(smtp_sink.messages()) == 1


def test_a_worker_killed_between_delivery_and_record_resends_the_same_delivery(settings, smtp_sink, monkeypatch):
    """The receiver took the alert, then the worker died before the thread store recorded it: the next run sends
    it again with the same Idempotency-Key and the same signed body (a receiver drops the repeat), and never
    again after that; the e-mail destination is not sent twice."""
    from newsmon.alerts import dispatch
    from newsmon.index.thread_store import AlertThreads

    real_mark_sent = AlertThreads.mark_sent

    def killed_before_recording(self, mail, subject):  # the worker dies as the webhook's record is written
        if mail.recipient == "webhook:desk_hook":
            raise KeyboardInterrupt("worker killed")
        return real_mark_sent(self, mail, subject)

    with WebhookSink() as hook:
        _connection(monkeypatch, hook.url)
        monkeypatch.setattr(AlertThreads, "mark_sent", killed_before_recording)
        with pytest.raises(KeyboardInterrupt):
            pipeline.alert(settings)
        monkeypatch.setattr(AlertThreads, "mark_sent", real_mark_sent)
        [first] = hook.requests()
        monkeypatch.setattr(dispatch, "STALE_CLAIM", timedelta(0))  # the next run comes after the claim went stale
        report = pipeline.alert(settings)
        assert report["sent"] == 1 and report["failed"] == 0, report  # the webhook's, again; the mail was recorded
        first_key = first.headers["Idempotency-Key"]
        [_, again] = hook.requests()
        assert again.headers["Idempotency-Key"] == first_key
        assert again.body == first.body and again.headers["X-Newsmon-Signature"] == first.headers["X-Newsmon-Signature"]
        assert pipeline.alert(settings)["sent"] == 0 and len(hook.requests()) == 2
        assert len({r.headers["Idempotency-Key"] for r in hook.requests()}) == 1  # one delivery, as the receiver sees
    assert len(smtp_sink.messages()) == 1
