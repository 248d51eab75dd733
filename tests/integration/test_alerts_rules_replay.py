"""The shipped rules on the replay articles, and a hostile article through the whole alert path (real ES and SMTP)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import yaml

from newsmon import pipeline
from newsmon.alerts import RuleIndex, load_rules
from newsmon.crawl.urls import canonicalize_url
from newsmon.devstack.replay import replay_settings
from newsmon.index import ArticleStore, connect
from newsmon.models import Article, Mention, document_id
from newsmon.settings import PROJECT_ROOT, load_settings

pytestmark = pytest.mark.integration

MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"
SHIPPED_RULES = load_rules(PROJECT_ROOT / "config" / "alerts.yaml")
#: What each shipped rule must fire on, by the manifests' analyst labels (``themes``).
EXPECTED_BY_LABEL = {"moscow_format": lambda themes: "moscow_format" in themes,
                     "taliban_recognition": lambda themes: "recognition" in themes}


def _labelled_articles() -> list[dict]:
    articles = []
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            if entry.get("expect", "indexed") == "indexed":
                articles.append({**entry, "source": path.stem,
                                 "id": document_id(canonicalize_url(entry["canonical_url"]))})
    return articles


def _cases() -> list:
    cases = []
    for rule in SHIPPED_RULES:
        for article in _labelled_articles():
            slug = article["canonical_url"].rstrip("/").rsplit("/", 1)[-1][:40]
            cases.append(pytest.param(rule.id, article, id=f"{rule.id}-{article['source']}-{slug}"))
    return cases


@pytest.fixture(scope="module")
def replay_fired(elasticsearch_url, replay_server, tmp_path_factory) -> dict[str, set[str]]:
    """Crawl and index the replay site once; percolate every labelled article: rule id → article ids it fires on."""
    settings = load_settings({**replay_settings(replay_server.base_url),
                              "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
                              "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}",
                              "NEWSMON_DATA_DIR": str(tmp_path_factory.mktemp("replay-rules"))})
    for name in pipeline.source_names(settings):
        pipeline.crawl(name, settings)
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    client = connect(settings)
    labelled = _labelled_articles()
    docs = []
    for article in labelled:
        found = client.options(ignore_status=404).get(index=settings.index_alias, id=article["id"])
        assert found.get("found"), f"{article['canonical_url']} was not indexed"
        docs.append(found["_source"])
    rule_index = RuleIndex(client, settings.index_alias + "-alert-rules")
    rule_index.sync(SHIPPED_RULES)
    fired = rule_index.percolate(docs)
    return {rule_id: {labelled[slot]["id"] for slot in slots} for rule_id, slots in fired.items()}


def test_every_shipped_rule_has_labels_and_there_are_hard_negatives():
    assert {r.id for r in SHIPPED_RULES} == set(EXPECTED_BY_LABEL)
    labelled = _labelled_articles()
    for rule_id, expected in EXPECTED_BY_LABEL.items():
        assert any(expected(a["themes"]) for a in labelled), f"no replay article is labelled for {rule_id}"
    assert sum(1 for a in labelled if not a["themes"]) >= 4, "the replay site should keep its hard negatives"


@pytest.mark.parametrize(("rule_id", "article"), _cases())
def test_rule_fires_exactly_on_its_labelled_articles(replay_fired, rule_id, article):
    fires = article["id"] in replay_fired.get(rule_id, set())
    if not article["themes"]:
        assert not fires, f"{rule_id} fired on the hard negative {article['canonical_url']}"
    else:
        assert fires == EXPECTED_BY_LABEL[rule_id](article["themes"]), \
            f"{rule_id} {'fired on' if fires else 'missed'} {article['canonical_url']} (labels {article['themes']})"


def test_hostile_title_arrives_escaped(pipeline_settings, smtp_sink):
    settings = pipeline_settings
    client = connect(settings)
    store = ArticleStore(client, settings.index_alias)
    store.ensure_index()
    title = 'Moscow Format\r\nBcc: victim@example.org\r\n\r\n<script>alert("x")</script><b>bold</b>'
    snippet = '<img src=x onerror=alert(1)> the Moscow Format met</p>\r\nX-Injected: yes'
    hostile = Article(url="https://www.ankasam.org/en/hostile/", canonical_url="https://www.ankasam.org/en/hostile/",
                      source="ankasam", title=title, text="The Moscow Format met in Kazan. " * 5, lang="en",
                      published=datetime(2026, 1, 5, tzinfo=UTC),
                      mentions=[Mention(id="moscow_format", kind="theme", surface="Moscow Format", start=36, end=49,
                                        snippet=snippet)])
    store.index_articles([hostile])
    report = pipeline.alert(settings)
    assert report["sent"] == 1, report
    [message] = smtp_sink.messages()
    assert message["X-Newsmon-Rules"] == "moscow_format"
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message["Subject"].startswith("[newsmon] Moscow Format Bcc: victim@example.org")
    assert set(message.get("To").split(", ")) == {"analysts@newsmon.example"}
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html and "<mark>Moscow Format</mark>" in html
    plain = message.get_body(("plain",)).get_content()
    assert "X-Injected: yes" not in plain.splitlines()  # folded into the snippet's one line
