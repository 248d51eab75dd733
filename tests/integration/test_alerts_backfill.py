"""A rule added to a running system does not mail the history; `newsmon alerts backfill` sends it as one digest."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import yaml

from newsmon import pipeline
from newsmon.alerts import AlertLedger
from newsmon.index import ArticleStore, connect
from newsmon.index.ledger_store import IMMEDIATE, SENT, SKIPPED_BACKFILL
from newsmon.models import Article, Mention
from newsmon.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

KABULOV = {"id": "kabulov", "name": "Zamir Kabulov", "match": {"actors": ["zamir_kabulov"]},
           "recipients": ["kabulov@newsmon.example"], "mode": "immediate"}


def _newsmon(*args: str, rules_file) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSMON_ALERT_RULES_FILE": str(rules_file)}
    return subprocess.run([sys.executable, "-m", "newsmon.cli", *args], capture_output=True, text=True, env=env,
                          cwd=PROJECT_ROOT, timeout=180, check=True)


def test_new_rule_skips_the_history_until_a_backfill_asks(pipeline_settings, smtp_sink, tmp_path):
    settings = pipeline_settings
    for name in pipeline.source_names(settings):
        pipeline.crawl(name, settings)
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    first = pipeline.alert(settings)  # the first run of an empty system mails what it finds
    assert first["sent"] > 0 and first["new_rules"] == [] and first["skipped_backfill"] == 0
    mailed = len(smtp_sink.messages())

    shipped = yaml.safe_load((PROJECT_ROOT / "config" / "alerts.yaml").read_text(encoding="utf-8"))
    rules_file = tmp_path / "alerts.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [*shipped["rules"], KABULOV]}), encoding="utf-8")
    with_rule = settings.model_copy(update={"alert_rules_file": rules_file})
    added = pipeline.alert(with_rule)
    assert added["new_rules"] == ["kabulov"] and added["skipped_backfill"] >= 3 and added["sent"] == 0, added
    assert len(smtp_sink.messages()) == mailed

    # A re-crawl that re-indexes every article (all new versions again) still mails nothing, for any rule.
    client = connect(settings)
    client.update_by_query(index=settings.index_alias, query={"match_all": {}}, refresh=True,
                           script={"source": "ctx._source.indexed_at = params.now",
                                   "params": {"now": datetime.now(UTC).isoformat()}})
    again = pipeline.alert(with_rule)
    assert again["new_rules"] == [] and again["sent"] == 0 and again["matches"] > 0, again
    assert len(smtp_sink.messages()) == mailed

    # A new article after the rule was added is mailed at once.
    fresh = Article(url="https://en.thebell.io/kabulov-new/", canonical_url="https://en.thebell.io/kabulov-new/",
                    source="thebell", lang="en", title="Kabulov says Moscow will keep talking to Kabul",
                    text="Zamir Kabulov said Moscow will keep talking to Kabul. " * 5,
                    published=datetime(2026, 1, 5, tzinfo=UTC),
                    mentions=[Mention(id="zamir_kabulov", kind="actor", surface="Zamir Kabulov", start=0, end=13,
                                      snippet="Zamir Kabulov said Moscow will keep talking to Kabul.")])
    ArticleStore(client, settings.index_alias).index_articles([fresh])
    news = pipeline.alert(with_rule)
    assert [m["rules"] for m in news["mails"]] == [["kabulov"]], news  # its own event: one mail
    mailed += 1

    # The backfill sends the skipped history as ONE digest, once; the fresh article is not in it again.
    ledger = AlertLedger(client, settings.index_alias + "-alert-ledger")
    skipped = ledger.entries(SKIPPED_BACKFILL, rule_id="kabulov")
    assert len(skipped) == added["skipped_backfill"]
    events = {e["event_id"] for e in skipped}
    nothing = _newsmon("alerts", "backfill", "kabulov", "--since", "2030-01-01", rules_file=rules_file)
    assert "nothing to send" in nothing.stdout and len(smtp_sink.messages()) == mailed
    result = _newsmon("alerts", "backfill", "kabulov", "--since", "2000-01-01", rules_file=rules_file)
    assert f"sent 1 digest of {len(events)} event(s), {len(skipped)} article(s)" in result.stdout, \
        result.stdout + result.stderr
    digest = smtp_sink.messages()[-1]
    assert len(smtp_sink.messages()) == mailed + 1
    assert digest["X-Newsmon-Rule"] == "kabulov" and digest["To"] == "kabulov@newsmon.example"
    assert set(digest["X-Newsmon-Events"].split()) == events
    assert "since 2000-01-01" in digest.get_body(("plain",)).get_content()
    repeat = _newsmon("alerts", "backfill", "kabulov", "--since", "2000-01-01", rules_file=rules_file)
    assert "nothing to send" in repeat.stdout and len(smtp_sink.messages()) == mailed + 1
    statuses = {e["article_id"]: e["status"] for e in ledger.entries(rule_id="kabulov")}
    assert statuses.pop(fresh.id) == IMMEDIATE and set(statuses.values()) == {SENT}  # mailed in its thread
    status = _newsmon("alerts", "status", rules_file=rules_file)
    assert '"kabulov"' in status.stdout and '"sent"' in status.stdout and '"mail"' in status.stdout

    # A removed rule that comes back is new again: its history is skipped, not mailed.
    pipeline.alert(settings)
    back = pipeline.alert(with_rule)
    assert back["new_rules"] == ["kabulov"] and back["sent"] == 0
    assert len(smtp_sink.messages()) == mailed + 1


def test_backfill_of_an_unknown_rule_says_what_to_do(pipeline_settings):
    with pytest.raises(Exception, match="no rule 'nope'.*add it there first"):
        pipeline.backfill_alerts(pipeline_settings, "nope", datetime(2020, 1, 1).date())
