"""Templates, per-language analysis, migration, retention, statistics and node failure on a real Elasticsearch."""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from elasticsearch import Elasticsearch

from newsmon import pipeline
from newsmon.devstack.elasticsearch_local import DEFAULT_CACHE_DIR, LocalElasticsearch, provision
from newsmon.devstack.replay import replay_settings
from newsmon.errors import ServiceUnavailable
from newsmon.index import ArticleStore, connect, search_articles
from newsmon.index.lifecycle import current_index, index_stats, migrate_index, prune_index
from newsmon.index.mapping import MAPPING_VERSION, article_mapping
from newsmon.index.store import article_document
from newsmon.models import Article, Mention, document_id
from newsmon.settings import load_settings

pytestmark = pytest.mark.integration


def _article(n: int, lang: str, text: str, days_old: int = 1, source: str = "test") -> Article:
    published = datetime.now(timezone.utc) - timedelta(days=days_old)
    return Article(url=f"https://t.example/{n}", canonical_url=f"https://t.example/{n}", source=source,
                   title=f"Article {n}", text=text, lang=lang, published=published,
                   mentions=[Mention(id="taliban", kind="actor", surface="x", start=0, end=1, snippet=text[:50])])


@pytest.fixture
def store(elasticsearch_url) -> ArticleStore:
    client = Elasticsearch(elasticsearch_url)
    store = ArticleStore(client, f"lc-{uuid.uuid4().hex[:8]}")
    store.ensure_index()
    yield store
    for name in client.indices.get(index=f"{store.alias}-v*"):
        client.indices.delete(index=name)


def test_index_comes_from_the_composable_template(store):
    client, alias = store.client, store.alias
    assert current_index(client, alias) == f"{alias}-v1"
    template = client.indices.get_index_template(name=alias)["index_templates"][0]["index_template"]
    assert template["index_patterns"] == [f"{alias}-v*"]
    assert set(template["composed_of"]) == {f"{alias}-settings", f"{alias}-mappings"}
    mapping = client.indices.get_mapping(index=f"{alias}-v1")[f"{alias}-v1"]["mappings"]
    assert mapping["_meta"]["mapping_version"] == MAPPING_VERSION
    assert mapping["properties"]["text_ru"]["analyzer"] == "russian"
    assert mapping["properties"]["mentions"]["type"] == "nested"


@pytest.mark.parametrize(("lang", "indexed", "query"), [
    ("ru", "Делегация талибов прибыла в Москву на переговоры.", "талибы"),
    ("ru", "Флаг талибов подняли над зданием посольства.", "посольство"),
    ("tr", "Talibanların heyeti Moskova'ya gitti.", "Taliban"),
    ("tr", "Görüşmeler Kabulov'un açıklamasıyla başladı.", "Kabulov"),
    ("en", "Russia recognized the government.", "recognizing"),
])
def test_an_inflected_query_finds_the_other_form(store, lang, indexed, query):
    store.index_articles([_article(1, lang, indexed), _article(2, lang, "Совсем другой текст о погоде.")])
    total, hits = search_articles(store.client, store.alias, query, lang=lang)
    assert total == 1 and hits[0].url == "https://t.example/1"


def test_migration_loses_nothing_and_keeps_newer_copies(store):
    client, alias = store.client, store.alias
    store.index_articles([_article(n, "en", f"Taliban article number {n}.") for n in range(50)])
    report = migrate_index(client, alias)
    assert (report.source, report.target, report.copied) == (f"{alias}-v1", f"{alias}-v2", 50)
    assert current_index(client, alias) == f"{alias}-v2" and not client.indices.exists(index=f"{alias}-v1")
    assert client.count(index=alias)["count"] == 50
    # Writes after the migration land in the new version, updates replace by id.
    store.index_articles([_article(7, "en", "Updated Taliban article seven."), _article(99, "en", "New one.")])
    assert client.count(index=alias)["count"] == 51
    assert client.get(index=alias, id=_article(7, "en", "").id)["_source"]["text"] == "Updated Taliban article seven."


def test_an_index_of_mapping_version_1_migrates_without_its_alert_status(elasticsearch_url):
    """An index built before alert state left the article index (documents with ``alert_status``) migrates to the
    current mapping: every document is kept, the dropped field is left out, and nothing is refused."""
    client = Elasticsearch(elasticsearch_url)
    alias = f"lc-old-{uuid.uuid4().hex[:8]}"
    old_mapping = article_mapping()
    old_mapping["properties"]["alert_status"] = {"type": "keyword"}
    old_mapping["_meta"] = {"mapping_version": 1}
    client.indices.create(index=f"{alias}-v1", mappings=old_mapping, aliases={alias: {"is_write_index": True}})
    try:
        documents = [{**article_document(_article(n, "en", f"Taliban article {n}.")), "alert_status": "done"}
                     for n in range(5)]
        for document in documents:
            client.index(index=alias, id=document_id(document["canonical_url"]), document=document)
        client.indices.refresh(index=alias)
        report = migrate_index(client, alias)
        assert (report.target, report.copied) == (f"{alias}-v2", 5)
        migrated = [hit["_source"] for hit in client.search(index=alias, size=10)["hits"]["hits"]]
        assert len(migrated) == 5 and not any("alert_status" in doc for doc in migrated)
        assert {doc["canonical_url"] for doc in migrated} == {d["canonical_url"] for d in documents}
    finally:
        for name in client.indices.get(index=f"{alias}-v*"):
            client.indices.delete(index=name)


def test_search_filters_retention_and_stats(store):
    client, alias = store.client, store.alias
    store.index_articles([_article(1, "en", "Kabulov met the Taliban.", days_old=400, source="old"),
                          _article(2, "ru", "Кабулов встретился с талибами.", days_old=2, source="new"),
                          _article(3, "en", "Kabulov spoke again.", days_old=1, source="new")])
    since = (datetime.now(timezone.utc) - timedelta(days=30)).date().isoformat()
    assert search_articles(client, alias, "", actor="taliban", since=since)[0] == 2
    assert search_articles(client, alias, "", source="new", lang="ru")[0] == 1
    assert search_articles(client, alias, "", actor="taliban")[0] == 3
    assert prune_index(client, alias, older_than_days=365) == 1
    stats = index_stats(client, alias)
    assert stats["by_source"] == {"new": 2} and stats["indices"][f"{alias}-v1"]["write_index"]


def test_node_stopped_mid_run_loses_nothing(tmp_path, replay_server, monkeypatch):
    """Processing against a stopped node fails and keeps its queue; after a restart everything is indexed once."""
    home = provision(Path(os.environ.get("NEWSMON_ES_CACHE", DEFAULT_CACHE_DIR)))
    data_dir = Path(os.environ.get("NEWSMON_ES_CACHE", DEFAULT_CACHE_DIR)) / f"test-restart-{uuid.uuid4().hex[:8]}"
    node = LocalElasticsearch(home, data_dir)
    try:
        url = node.start()
        settings = load_settings(replay_settings(replay_server.base_url), data_dir=str(tmp_path / "data"),
                                 elasticsearch_url=url, index_alias="restart")
        for name in pipeline.source_names(settings):
            pipeline.crawl(name, settings)
        batches = pipeline.pending_batches(settings, batch_size=5)
        pipeline.process_batch(batches[0], settings)  # the first batch is written...
        node.stop()  # ...then the node goes away mid-run
        with pytest.raises(ServiceUnavailable):
            pipeline.process_batch(batches[1], settings)
        node = LocalElasticsearch(home, data_dir, port=int(url.rsplit(":", 1)[1]))
        node.start()
        remaining = sum(len(b) for b in pipeline.pending_batches(settings))  # the queue lives in the node too
        assert remaining == sum(len(b) for b in batches[1:]), "failed pages must stay queued"
        for batch in pipeline.pending_batches(settings):
            pipeline.process_batch(batch, settings)
        client = connect(settings)
        client.indices.refresh(index="restart")
        assert pipeline.pending_batches(settings) == []
        manifests = Path(__file__).parents[2] / "newsmon" / "devstack" / "replay" / "manifests"
        dropped = sum(1 for m in manifests.glob("*.yaml") for a in yaml.safe_load(m.read_text())["articles"]
                      if a.get("expect") == "dropped")  # deliberately broken replay pages
        assert client.count(index="restart")["count"] == sum(len(b) for b in batches) - dropped
    finally:
        node.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def test_shards_and_replicas_come_from_the_settings_and_apply_to_new_versions(elasticsearch_url):
    client = Elasticsearch(elasticsearch_url)
    alias = f"lc-{uuid.uuid4().hex[:8]}"
    try:
        ArticleStore(client, alias, shards=2, replicas=0).ensure_index()
        settings = client.indices.get_settings(index=f"{alias}-v1")[f"{alias}-v1"]["settings"]["index"]
        assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("2", "0")
        # A caller that does not know the layout (a CLI command, the alerts) leaves the template alone ...
        ArticleStore(client, alias).ensure_index()
        component = client.cluster.get_component_template(name=f"{alias}-settings")["component_templates"][0]
        assert component["component_template"]["template"]["settings"]["index"]["number_of_shards"] == "2"
        # ... and a migration with new values builds the next version with them.
        report = migrate_index(client, alias, shards=1, replicas=0)
        settings = client.indices.get_settings(index=report.target)[report.target]["settings"]["index"]
        assert report.target == f"{alias}-v2" and settings["number_of_shards"] == "1"
    finally:
        for name in client.indices.get(index=f"{alias}-v*", allow_no_indices=True):
            client.indices.delete(index=name)
        client.indices.delete_index_template(name=alias)
        for part in ("settings", "mappings"):
            client.cluster.delete_component_template(name=f"{alias}-{part}")
