"""Digest rules on the replay site, a real Elasticsearch and a real SMTP server: one mail per rule, sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import yaml

from newsmon import pipeline
from newsmon.alerts import AlertLedger
from newsmon.alerts import digest as digest_module
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.errors import ServiceUnavailable
from newsmon.index import connect
from newsmon.index.ledger_store import DIGEST_PENDING, SENT

pytestmark = pytest.mark.integration

DIGEST_RULES = {"rules": [
    {"id": "moscow_format_weekly", "name": "Moscow Format weekly", "match": {"themes": ["moscow_format"]},
     "recipients": ["weekly@newsmon.example"], "mode": "digest", "schedule": "weekly"},
    {"id": "designation_ru_fa", "name": "Terrorist designation in Russian and Persian",
     "match": {"themes": ["terrorist_designation"], "languages": ["ru", "fa"]},
     "recipients": ["desk@newsmon.example", "ru-fa@newsmon.example"], "mode": "digest", "schedule": "0 7 * * 1-5"},
]}


@pytest.fixture
def digest_settings(pipeline_settings, tmp_path):
    rules = tmp_path / "alerts.yaml"
    rules.write_text(yaml.safe_dump(DIGEST_RULES), encoding="utf-8")
    settings = pipeline_settings.model_copy(update={"alert_rules_file": rules})
    for name in pipeline.source_names(settings):
        pipeline.crawl(name, settings)
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    return settings


def _ledger(settings) -> AlertLedger:
    return AlertLedger(connect(settings), settings.index_alias + "-alert-ledger")


def _events(message) -> list[str]:
    return message["X-Newsmon-Events"].split()


def test_digest_rules_mail_nothing_at_once_then_one_mail_per_rule_once(digest_settings, smtp_sink):
    settings = digest_settings
    report = pipeline.alert(settings)
    assert report["sent"] == 0 and report["digest_pending"] >= 3, report
    assert smtp_sink.messages() == []
    ledger = _ledger(settings)
    waiting = ledger.entries(DIGEST_PENDING)
    by_rule = {rule: {e["event_id"] for e in waiting if e["rule_id"] == rule} for rule in
               ("moscow_format_weekly", "designation_ru_fa")}
    articles = {rule: [e for e in waiting if e["rule_id"] == rule] for rule in by_rule}
    assert len(articles["moscow_format_weekly"]) >= 3 and len(articles["designation_ru_fa"]) >= 2, by_rule

    # Not due yet: the matches were recorded after the schedules' last ticks.
    now = datetime.now(UTC)
    assert pipeline.digest(settings, now)["digests"] == 0 and smtp_sink.messages() == []

    # A week later both schedules ticked: one mail per rule, listing all of its stories.
    later = now + timedelta(days=8)
    sent = pipeline.digest(settings, later)
    assert sent["digests"] == 2, sent
    mails = {m["X-Newsmon-Rule"]: m for m in smtp_sink.messages()}
    assert set(mails) == set(by_rule)
    for rule_id, events in by_rule.items():
        assert set(_events(mails[rule_id])) == events and len(_events(mails[rule_id])) == len(events)
        noun = "event" if len(events) == 1 else "events"
        assert mails[rule_id]["Subject"].endswith(f"digest of {len(events)} {noun}")
    weekly = mails["moscow_format_weekly"]
    assert weekly["To"] == "weekly@newsmon.example" and weekly["Message-ID"].startswith("<digest-")
    plain = weekly.get_body(("plain",)).get_content()
    html = weekly.get_body(("html",)).get_content()
    # every matched article is in it, the ANKASAM story's three language versions among them
    client = connect(settings)
    for entry in articles["moscow_format_weekly"]:
        url = client.get(index=settings.index_alias, id=entry["article_id"])["_source"]["canonical_url"]
        assert url in plain, url
    assert "Moskova" in plain and "Москв" in plain and plain.count("https://www.ankasam.org/") >= 3
    assert html.count("<h2>") == len(by_rule["moscow_format_weekly"]) and "<mark>" in html
    designation = mails["designation_ru_fa"].get_body(("plain",)).get_content()
    assert "thebell" in designation and "afintl" in designation

    # Reruns, also of the alert step, send nothing more.
    assert pipeline.digest(settings, later)["digests"] == 0
    assert pipeline.alert(settings)["sent"] == 0
    assert pipeline.digest(settings, later + timedelta(days=8))["digests"] == 0
    assert len(smtp_sink.messages()) == 2
    assert {e["status"] for e in ledger.entries()} == {SENT}


def test_smtp_down_then_up_the_digest_arrives_once(digest_settings, tmp_path):
    settings = digest_settings
    pipeline.alert(settings)
    later = datetime.now(UTC) + timedelta(days=8)
    dead = settings.model_copy(update={"smtp_port": 1})
    with pytest.raises(ServiceUnavailable, match="stay pending"):
        pipeline.digest(dead, later)
    ledger = _ledger(settings)
    waiting = ledger.entries(DIGEST_PENDING)
    assert waiting and all(e["attempts"] == 1 and e["last_error"] for e in waiting)
    with SmtpSink(tmp_path / "later") as sink:
        up = settings.model_copy(update={"smtp_host": sink.host, "smtp_port": sink.port})
        assert pipeline.digest(up, later)["digests"] == 2
        assert pipeline.digest(up, later)["digests"] == 0
        assert len(sink.messages()) == 2
        assert sorted(len(_events(m)) for m in sink.messages()) == sorted(
            len({e["event_id"] for e in waiting if e["rule_id"] == r}) for r in {e["rule_id"] for e in waiting})
    assert ledger.entries(DIGEST_PENDING) == []


def test_a_digest_left_claimed_by_a_crash_is_resent_as_the_same_mail(digest_settings, smtp_sink, monkeypatch):
    settings = digest_settings
    pipeline.alert(settings)
    ledger = _ledger(settings)
    # A run claimed the weekly digest, the SMTP server took it, and the process died before recording it.
    claimed = ledger.claim_batch("moscow_format_weekly", [DIGEST_PENDING], "crashed0batch")
    assert claimed
    later = datetime.now(UTC) + timedelta(days=8)
    monkeypatch.setattr(digest_module, "STALE_CLAIM", timedelta(hours=1))
    first = pipeline.digest(settings, later)  # too fresh to be a crash: only the other rule's digest goes
    assert [m["X-Newsmon-Rule"] for m in smtp_sink.messages()] == ["designation_ru_fa"], first
    monkeypatch.setattr(digest_module, "STALE_CLAIM", timedelta(0))
    pipeline.digest(settings, later)
    pipeline.digest(settings, later)
    resent = [m for m in smtp_sink.messages() if m["X-Newsmon-Rule"] == "moscow_format_weekly"]
    assert len(resent) == 1 and resent[0]["Message-ID"] == "<digest-crashed0batch@newsmon>"
    assert set(_events(resent[0])) == {e["event_id"] for e in claimed}
    assert {e["status"] for e in ledger.entries()} == {SENT}
