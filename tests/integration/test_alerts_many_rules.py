"""Many rules: percolation returns every matching rule, past Elasticsearch's page of 1,000 hits."""

from __future__ import annotations

import uuid

import pytest

from newsmon.alerts import AlertRule, RuleIndex
from newsmon.index import connect
from newsmon.settings import load_settings

pytestmark = pytest.mark.integration


def test_no_rule_is_silently_skipped_with_2500_rules(elasticsearch_url):
    settings = load_settings({"NEWSMON_ELASTICSEARCH_URL": elasticsearch_url})
    rules = [AlertRule.model_validate({"id": f"r{n:05d}", "name": f"R{n}", "recipients": ["a@example.org"],
                                       "match": {"themes": ["moscow_format"] if n % 2 else ["recognition"]}})
             for n in range(2500)]
    rule_index = RuleIndex(connect(settings), f"test-{uuid.uuid4().hex[:10]}-alert-rules")
    try:
        rule_index.sync(rules)
        fired = rule_index.percolate([{"themes": ["moscow_format"], "lang": "en"},
                                      {"themes": ["moscow_format", "recognition"], "lang": "ru"}])
        assert len(fired) == 2500
        assert sum(1 for slots in fired.values() if slots == [0, 1]) == 1250
        assert sum(1 for slots in fired.values() if slots == [1]) == 1250
        rule_index.sync(rules[:10])  # removed rules leave the index
        assert len(rule_index.percolate([{"themes": ["moscow_format", "recognition"]}])) == 10
    finally:
        rule_index.client.indices.delete(index=rule_index.index, ignore_unavailable=True)
