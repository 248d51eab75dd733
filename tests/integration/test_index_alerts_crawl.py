"""Index, search, alert and crawl against the real Elasticsearch, SMTP server and replay site."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsmon import pipeline
from newsmon.alerts.dispatch import articles_to_check, open_stores
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.errors import ServiceUnavailable
from newsmon.index import connect, search_articles
from newsmon.settings import PROJECT_ROOT, load_settings
from newsmon.sources import load_registry

pytestmark = pytest.mark.integration


def _crawl_and_process(settings) -> list[dict]:
    reports = [pipeline.crawl(name, settings) for name in pipeline.source_names(settings)]
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    return reports


def test_second_crawl_costs_one_request_per_feed_and_dedupes_hosts(pipeline_settings):
    settings = pipeline_settings
    first = {r["source"]: r for r in _crawl_and_process(settings)}
    assert first["afintl"]["skipped"].get("duplicate-in-run") == 1  # the bare-IP copy of one article
    second = {r["source"]: r for r in (pipeline.crawl(n, settings) for n in pipeline.source_names(settings))}
    registry = load_registry(settings)
    for source in registry:
        report = second[source.name]
        discovery_urls = len(source.feeds) + len(source.listings)
        assert report["queued"] == 0 and report["feeds_unchanged"] == discovery_urls, report
        # robots.txt read by the first crawl is reused for robots_cache_minutes: one request per feed, no more
        assert report["requests"] == discovery_urls, report


def test_search_across_languages_with_highlights(pipeline_settings):
    settings = pipeline_settings
    _crawl_and_process(settings)
    client = connect(settings)
    total, hits = search_articles(client, settings.index_alias, actor="zamir_kabulov")
    assert total >= 4 and {h.lang for h in hits} >= {"en", "tr", "ru", "fa"}
    assert all("zamir_kabulov" in h.actors for h in hits)
    assert any("«" in fragment for h in hits for fragment in h.highlights)
    # The Russian analyzer finds an inflected form.
    total, hits = search_articles(client, settings.index_alias, "талибов", lang="ru")
    assert total >= 1 and all(h.lang == "ru" for h in hits)
    result = subprocess.run([sys.executable, "-m", "newsmon.cli", "search", "Moscow Format", "--theme",
                             "moscow_format", "--json"], capture_output=True, text=True, cwd=PROJECT_ROOT,
                            timeout=120, check=True)
    found = json.loads(result.stdout)
    assert found["total"] >= 3 and all("moscow_format" in h["themes"] for h in found["hits"])


def test_smtp_down_keeps_alerts_pending_then_sends_each_once(pipeline_settings, tmp_path, monkeypatch):
    settings = pipeline_settings
    _crawl_and_process(settings)
    dead = settings.model_copy(update={"smtp_port": 1})  # nothing listens there
    with pytest.raises(ServiceUnavailable, match="stay pending"):
        pipeline.alert(dead)
    client = connect(settings)
    stores = open_stores(settings, client)
    pending = stores.threads.pending_mails()
    assert pending and all(stores.threads.get(m.key)["last_error"] for m in pending), "claimed, pending, with why"
    with SmtpSink(tmp_path / "later") as sink:
        up = settings.model_copy(update={"smtp_host": sink.host, "smtp_port": sink.port})
        first = pipeline.alert(up)
        again = pipeline.alert(up)
        assert first["sent"] == len(sink.messages()) == len(pending)
        assert {m["Message-ID"] for m in sink.messages()} == {m.message_id for m in pending}
        assert again["sent"] == 0 and len(sink.messages()) == first["sent"]
    assert articles_to_check(stores) == [] and stores.threads.pending_mails() == []


def test_unreachable_elasticsearch_says_what_to_do():
    settings = load_settings({"NEWSMON_ELASTICSEARCH_URL": "http://127.0.0.1:1"})
    with pytest.raises(ServiceUnavailable, match=r"http://127\.0\.0\.1:1 is unreachable.*newsmon es start"):
        connect(settings)
