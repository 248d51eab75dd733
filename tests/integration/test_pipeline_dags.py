"""The three DAGs, run by Airflow's ``dag.test()`` on the replay site, a real Elasticsearch and a real SMTP server."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import yaml

from newsmon.crawl.urls import canonicalize_url
from newsmon.devstack.airflow_runner import DAG_IDS, migrate_database, run_dag
from newsmon.index import connect
from newsmon.models import document_id
from newsmon.settings import PROJECT_ROOT

pytestmark = pytest.mark.integration

MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"


def _manifest_articles() -> list[dict]:
    articles = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            articles.append({**entry, "source": path.stem})
    return articles


@pytest.fixture(scope="module")
def airflow_db():
    migrate_database(Path(os.environ["AIRFLOW_HOME"]))


def _run_all() -> dict[str, str]:
    return {dag_id: str(run_dag(dag_id).state) for dag_id in DAG_IDS}


def test_three_dags_index_every_article_and_alert_once(airflow_db, pipeline_settings, smtp_sink):
    settings = pipeline_settings
    states = _run_all()
    assert states == {dag_id: "success" for dag_id in DAG_IDS}, states

    client = connect(settings)
    client.indices.refresh(index=settings.index_alias)
    expected = [a for a in _manifest_articles() if a.get("expect", "indexed") == "indexed"]
    assert len(expected) >= 13, "the replay site should hold the seeds and at least eight more articles"
    indexed = {}
    for article in expected:
        doc_id = document_id(canonicalize_url(article["canonical_url"]))
        found = client.options(ignore_status=404).get(index=settings.index_alias, id=doc_id)
        assert found.get("found"), f"{article['canonical_url']} ({article['source']}) was not indexed"
        indexed[doc_id] = found["_source"]
        assert found["_source"]["lang"] == article["lang"], article["canonical_url"]
        assert found["_source"]["source"] == article["source"]
    total = client.count(index=settings.index_alias)["count"]
    assert total == len(expected), "something was indexed twice or a page that should be dropped was kept"

    mails = smtp_sink.messages()
    pairs = Counter((m["X-Newsmon-Rule"], m["X-Newsmon-Story"]) for m in mails)
    assert mails and all(count == 1 for count in pairs.values()), pairs
    assert {rule for rule, _ in pairs} == {"moscow_format", "taliban_recognition"}
    # Every article an analyst labels Moscow Format is in exactly one Moscow Format mail (its story's).
    for article in expected:
        if "moscow_format" in article.get("themes", []):
            story = indexed[document_id(canonicalize_url(article["canonical_url"]))]["story_id"]
            assert pairs[("moscow_format", story)] == 1, f"no Moscow Format mail for {article['canonical_url']}"
    # The ANKASAM article in three languages is one story, hence at most one mail per rule.
    stories = Counter(doc["story_id"] for doc in indexed.values() if doc["source"] == "ankasam")
    assert max(stories.values()) >= 3

    # A second run of all three DAGs changes nothing and sends nothing.
    states = _run_all()
    assert states == {dag_id: "success" for dag_id in DAG_IDS}, states
    client.indices.refresh(index=settings.index_alias)
    assert client.count(index=settings.index_alias)["count"] == total
    assert len(smtp_sink.messages()) == len(mails)
