"""The three DAGs, run by Airflow's ``dag.test()`` on the replay site, a real Elasticsearch and a real SMTP server."""

from __future__ import annotations

import os
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


def test_three_dags_index_every_article_and_alert_once_per_event(airflow_db, pipeline_settings, smtp_sink):
    settings = pipeline_settings
    states = _run_all()
    assert states == {dag_id: "success" for dag_id in DAG_IDS}, states

    client = connect(settings)
    client.indices.refresh(index=settings.index_alias)
    expected_articles = [a for a in _manifest_articles() if a.get("expect", "indexed") == "indexed"]
    assert len(expected_articles) >= 13, "the replay site should hold the seeds and at least eight more articles"
    indexed = {}
    for article in expected_articles:
        doc_id = document_id(canonicalize_url(article["canonical_url"]))
        found = client.options(ignore_status=404).get(index=settings.index_alias, id=doc_id)
        assert found.get("found"), f"{article['canonical_url']} ({article['source']}) was not indexed"
        indexed[doc_id] = found["_source"]
        assert found["_source"]["lang"] == article["lang"], article["canonical_url"]
        assert found["_source"]["source"] == article["source"]
    total = client.count(index=settings.index_alias)["count"]
    assert total == len(expected_articles), "something was indexed twice or a page that should be dropped was kept"

    # Exactly one mail per labelled event that a shipped rule fires on (both rules mail the same desk), naming
    # the rules its articles matched and carrying those articles; copies are listed, never mailed.
    fires = {"moscow_format": lambda themes: "moscow_format" in themes,
             "taliban_recognition": lambda themes: "recognition" in themes}
    expected: dict[str, dict] = {}
    for article in expected_articles:
        rules = {rule for rule, test in fires.items() if test(article.get("themes", []))}
        if rules and not article.get("duplicate_of"):
            mail = expected.setdefault(article["event"], {"rules": set(), "articles": set()})
            mail["rules"] |= rules
            mail["articles"].add(document_id(canonicalize_url(article["canonical_url"])))
    mails = smtp_sink.messages()
    assert len(mails) == len(expected) and {m["To"] for m in mails} == {"analysts@newsmon.example"}
    got = {frozenset(m["X-Newsmon-Articles"].split()): m for m in mails}
    for label, want in expected.items():
        mail = got.get(frozenset(want["articles"]))
        assert mail is not None, f"no single mail for the event {label}: {sorted(want['articles'])}"
        assert set(mail["X-Newsmon-Rules"].split()) == want["rules"] and mail["X-Newsmon-Update"] == "0", label
        assert mail["X-Newsmon-Event"] == indexed[next(iter(want["articles"]))]["event_id"]
    copies = [a for a in expected_articles if a.get("duplicate_of")]
    assert copies and all(indexed[document_id(canonicalize_url(a["canonical_url"]))]["duplicate_of"] ==
                          document_id(canonicalize_url(a["duplicate_of"])) for a in copies)

    # A second run of all three DAGs changes nothing and sends nothing.
    states = _run_all()
    assert states == {dag_id: "success" for dag_id in DAG_IDS}, states
    client.indices.refresh(index=settings.index_alias)
    assert client.count(index=settings.index_alias)["count"] == total
    assert len(smtp_sink.messages()) == len(mails)
