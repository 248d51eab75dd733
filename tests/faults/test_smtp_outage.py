"""SMTP down, then up: no mail while nothing listens, every mail claimed and pending with its reason in the thread
store; once the server listens on the same port, each (recipient, article) goes out in exactly one mail, the same
mails that were claimed (same Message-IDs), and a third run sends nothing."""

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
from newsmon.alerts.dispatch import articles_to_check, open_stores
from newsmon.devstack.processes import free_port
from newsmon.devstack.smtp_sink import SmtpSink, read_messages
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
    stores = open_stores(settings, client)

    claimed = None
    for attempt in (1, 2):  # two runs while SMTP is down (Airflow's retries)
        with pytest.raises(ServiceUnavailable, match=rf"stay pending.*SMTP server 127\.0\.0\.1:{port}\b.*did not take"):
            pipeline.alert(settings)
        assert mailed_pairs(mailbox_dir) == {}
        pending = stores.threads.pending_mails()
        assert {(m.recipient, a) for m in pending for a in m.article_ids} == baseline.pairs
        assert claimed is None or {m.message_id for m in pending} == claimed  # the same mails, not new ones
        claimed = {m.message_id for m in pending}
        for mail in pending:
            entry = stores.threads.get(mail.key)
            assert entry["attempts"] == attempt, entry
            assert f"127.0.0.1:{port}" in entry["last_error"] and "ConnectionRefusedError" in entry["last_error"]
        assert articles_to_check(stores) == [], "the articles are in claimed mails: nothing is lost"

    with SmtpSink(mailbox_dir, port=port) as sink:
        assert sink.port == port
        sent = pipeline.alert(settings)
        assert sum(m["articles"] for m in sent["mails"]) == len(baseline.pairs) and sent["failed"] == 0, sent
        assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
        assert {m["Message-ID"] for m in read_messages(mailbox_dir)} == claimed
        assert stores.threads.pending_mails() == []
        assert all(m["last_error"] is None for m in stores.threads.mails())

        again = pipeline.alert(settings)
        assert again["sent"] == 0 and again["failed"] == 0, again
        assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
    assert_indexed_exactly_once(settings, baseline.docs)
