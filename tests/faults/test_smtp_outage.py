"""SMTP down, then up: no mail while nothing listens, every claim pending with its reason in the ledger; once
the server listens on the same port, each (rule, story) goes out exactly once, and a third run sends nothing."""

from __future__ import annotations

import pytest
from faultkit import (
    assert_indexed_exactly_once,
    assert_mailed_exactly_once,
    crawl_all,
    mailed_pairs,
    process_all,
)

from newsmon import pipeline
from newsmon.alerts import AlertLedger
from newsmon.alerts.dispatch import LEDGER_INDEX_SUFFIX, articles_to_check, open_stores
from newsmon.devstack.processes import free_port
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.errors import ServiceUnavailable
from newsmon.index import connect

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def test_alerts_wait_for_smtp_and_then_go_out_exactly_once(settings_for, mailbox_dir, baseline):
    port = free_port()  # nothing listens here until the sink starts on it
    settings = settings_for(port)
    crawl_all(settings)
    process_all(settings)
    assert_indexed_exactly_once(settings, baseline.docs)
    client = connect(settings)
    ledger = AlertLedger(client, settings.index_alias + LEDGER_INDEX_SUFFIX)
    stores = open_stores(settings, client)

    for attempt in (1, 2):  # two runs while SMTP is down (Airflow's retries)
        with pytest.raises(ServiceUnavailable, match=rf"stay pending.*SMTP server 127\.0\.0\.1:{port}\b.*did not take"):
            pipeline.alert(settings)
        assert mailed_pairs(mailbox_dir) == {}
        entries = ledger.entries()
        assert {(e["rule_id"], e["story_id"]) for e in entries} == baseline.pairs
        for entry in entries:
            assert entry["status"] == "pending" and entry["attempts"] == attempt, entry
            assert f"127.0.0.1:{port}" in entry["last_error"] and "ConnectionRefusedError" in entry["last_error"]
        assert len(articles_to_check(stores)) == len(baseline.docs), "articles must stay pending until mailed"

    with SmtpSink(mailbox_dir, port=port) as sink:
        assert sink.port == port
        sent = pipeline.alert(settings)
        assert sent["sent"] == len(baseline.pairs) and sent["failed"] == 0, sent
        assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
        entries = ledger.entries()
        assert {e["status"] for e in entries} == {"sent"} and len(entries) == len(baseline.pairs)
        assert all(e["last_error"] is None for e in entries)

        again = pipeline.alert(settings)
        assert again["sent"] == 0 and again["failed"] == 0, again
        assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
    assert articles_to_check(stores) == []
    assert_indexed_exactly_once(settings, baseline.docs)
