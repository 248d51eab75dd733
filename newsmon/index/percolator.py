"""The alert rules' percolator index: one stored query per rule, and the rules a batch of articles matches."""

from __future__ import annotations

from elasticsearch import Elasticsearch, helpers

from newsmon.index.connection import ensure_own_index
from newsmon.index.mapping import article_mapping

__all__ = ["RuleIndex"]

_RULES_PAGE = 1000


class RuleIndex:
    """The percolator index holding one query per alert rule (same field mappings as the articles)."""

    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def new_rules(self, rules) -> list[str]:
        """Ids of ``rules`` missing from an existing rule index; none if there is no rule index yet (first run)."""
        if not rules or not self.client.indices.exists(index=self.index):
            return []
        found = self.client.mget(index=self.index, ids=[r.id for r in rules], source=False)
        return [d["_id"] for d in found["docs"] if not d.get("found")]

    def sync(self, rules) -> None:
        """Make the stored queries exactly the rules of the file (changed rules are replaced)."""
        mapping = article_mapping()
        mapping["properties"].update({"query": {"type": "percolator"}, "rule_id": {"type": "keyword"},
                                      "rule_version": {"type": "keyword"}})
        ensure_own_index(self.client, self.index, mapping)
        helpers.bulk(self.client, ({"_index": self.index, "_id": rule.id, "_source": {
            "query": rule.to_query(), "rule_id": rule.id, "rule_version": rule.version}} for rule in rules),
            chunk_size=500)
        self.client.delete_by_query(index=self.index, conflicts="proceed",
                                    query={"bool": {"must_not": {"ids": {"values": [r.id for r in rules]}}}})
        self.client.indices.refresh(index=self.index)

    def percolate(self, documents: list[dict]) -> dict[str, list[int]]:
        """Rule id → positions in ``documents`` that the rule matches (every rule, however many: paged)."""
        matches: dict[str, list[int]] = {}
        search_after = None
        while True:
            response = self.client.search(index=self.index, size=_RULES_PAGE, source=["rule_id"],
                                          sort=[{"rule_id": "asc"}], search_after=search_after,
                                          query={"percolate": {"field": "query", "documents": documents}})
            hits = response["hits"]["hits"]
            for hit in hits:
                matches[hit["_source"]["rule_id"]] = hit["fields"]["_percolator_document_slot"]
            if len(hits) < _RULES_PAGE:
                return matches
            search_after = hits[-1]["sort"]
