"""The article index over time: composable templates, versioned indices behind one alias, migration with
no downtime and no lost document, retention, and statistics.

Indices are named ``<alias>-v<N>``; the alias points reads and writes at the current one. A new mapping
version means :func:`migrate_index`: create ``v<N+1>`` from the template, make it the write index at once
(new articles go there), copy the old index with ``op_type: create`` (a newer copy already written wins),
then drop the old index from the alias.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass

from elasticsearch import Elasticsearch

from newsmon.index.mapping import MAPPING_VERSION, article_mapping, index_settings

__all__ = ["MigrationReport", "current_index", "ensure_index", "ensure_templates", "index_stats",
           "migrate_index", "prune_index"]

log = logging.getLogger(__name__)


def _version(index: str) -> int:
    match = re.search(r"-v(\d+)$", index)
    return int(match.group(1)) if match else 0


def ensure_templates(client: Elasticsearch, alias: str, shards: int | None = None,
                     replicas: int | None = None) -> None:
    """Put the component templates (settings, mappings) and the index template for ``<alias>-v*``.

    Shards and replicas (``NEWSMON_INDEX_SHARDS``/``_REPLICAS``) are written when given; a caller that does not
    give them leaves an existing settings template alone (creating it with 1 shard, 0 replicas if missing).
    They apply to index versions created afterwards (``newsmon index migrate``).
    """
    name = f"{alias}-settings"
    if shards is not None or replicas is not None or not client.cluster.exists_component_template(name=name):
        layout = index_settings(1 if shards is None else shards, 0 if replicas is None else replicas)
        client.cluster.put_component_template(name=name, template={"settings": layout},
                                              meta={"managed_by": "newsmon"})
    client.cluster.put_component_template(name=f"{alias}-mappings", template={"mappings": article_mapping()},
                                          meta={"managed_by": "newsmon", "mapping_version": MAPPING_VERSION})
    client.indices.put_index_template(name=alias, index_patterns=[f"{alias}-v*"], priority=200,
                                      composed_of=[f"{alias}-settings", f"{alias}-mappings"],
                                      meta={"managed_by": "newsmon", "mapping_version": MAPPING_VERSION})


def current_index(client: Elasticsearch, alias: str) -> str | None:
    """The index the alias writes to, or ``None`` if the alias does not exist yet."""
    if not client.indices.exists_alias(name=alias):
        return None
    indices = client.indices.get_alias(name=alias)
    writers = [name for name, info in indices.items() if info["aliases"][alias].get("is_write_index")]
    return max(writers or indices, key=_version)


def ensure_index(client: Elasticsearch, alias: str, shards: int | None = None, replicas: int | None = None) -> str:
    """Templates in place and ``<alias>-v1`` created behind the alias if there is none; returns the index."""
    ensure_templates(client, alias, shards, replicas)
    existing = current_index(client, alias)
    if existing:
        return existing
    index = f"{alias}-v1"
    if not client.indices.exists(index=index):
        client.indices.create(index=index, aliases={alias: {"is_write_index": True}})
        log.info("created index %s behind alias %s", index, alias)
    else:
        client.indices.put_alias(index=index, name=alias, is_write_index=True)
    return index


@dataclass
class MigrationReport:
    source: str
    target: str
    copied: int
    kept_newer: int
    seconds: float
    old_index_deleted: bool


def migrate_index(client: Elasticsearch, alias: str, delete_old: bool = True, shards: int | None = None,
                  replicas: int | None = None) -> MigrationReport:
    """Move the alias to a new index version built from the current templates, losing nothing."""
    started = time.perf_counter()
    ensure_templates(client, alias, shards, replicas)
    source = current_index(client, alias)
    if source is None:
        raise RuntimeError(f"alias {alias} does not exist yet: nothing to migrate (run the pipeline first)")
    target = f"{alias}-v{_version(source) + 1}"
    client.indices.create(index=target)
    # From now on writes go to the new index; reads see both until the copy is done.
    client.indices.update_aliases(actions=[
        {"add": {"index": target, "alias": alias, "is_write_index": True}},
        {"add": {"index": source, "alias": alias, "is_write_index": False}}])
    dropped = sorted(set(client.indices.get_mapping(index=source)[source]["mappings"].get("properties", {}))
                     - set(article_mapping()["properties"]))
    script = {"source": "for (f in params.fields) { ctx._source.remove(f) }", "params": {"fields": dropped}}
    if dropped:
        log.info("fields no longer in the mapping, left out of %s: %s", target, ", ".join(dropped))
    result = client.options(request_timeout=3600).reindex(
        source={"index": source}, dest={"index": target, "op_type": "create"}, conflicts="proceed",
        script=script if dropped else None, wait_for_completion=True, refresh=True)
    if result.get("failures"):
        raise RuntimeError(f"reindex {source} -> {target} had failures: {result['failures'][:3]}; the alias still "
                           f"covers both indices, nothing is lost; fix and rerun `newsmon index migrate`")
    client.indices.update_aliases(actions=[{"remove": {"index": source, "alias": alias}}])
    source_count = client.count(index=source)["count"]
    target_count = client.count(index=target)["count"]
    if target_count < source_count:
        raise RuntimeError(f"{target} has {target_count} documents, fewer than {source_count} in {source}; "
                           f"{source} is kept, investigate before deleting it")
    if delete_old:
        client.indices.delete(index=source)
    report = MigrationReport(source, target, result.get("created", 0), result.get("version_conflicts", 0),
                             time.perf_counter() - started, delete_old)
    log.info("migrated %s -> %s: %d copied, %d newer kept, %.1fs", source, target, report.copied,
             report.kept_newer, report.seconds)
    return report


def prune_index(client: Elasticsearch, alias: str, older_than_days: int) -> int:
    """Delete articles published more than ``older_than_days`` days ago (retention); returns how many."""
    if older_than_days <= 0:
        raise ValueError("older_than_days must be positive")
    result = client.delete_by_query(index=alias, conflicts="proceed", refresh=True,
                                    query={"range": {"published": {"lt": f"now-{older_than_days}d/d"}}})
    return result.get("deleted", 0)


def index_stats(client: Elasticsearch, alias: str) -> dict:
    """Documents, size and mapping version per index behind the alias, and counts by source and language."""
    indices = client.indices.get_alias(name=alias) if client.indices.exists_alias(name=alias) else {}
    per_index = {}
    for name in sorted(indices):
        stats = client.indices.stats(index=name, metric=["docs", "store"])["indices"][name]["primaries"]
        meta = client.indices.get_mapping(index=name)[name]["mappings"].get("_meta", {})
        per_index[name] = {"documents": stats["docs"]["count"], "bytes": stats["store"]["size_in_bytes"],
                           "mapping_version": meta.get("mapping_version"),
                           "write_index": bool(indices[name]["aliases"][alias].get("is_write_index"))}
    aggs = {}
    if indices:
        response = client.search(index=alias, size=0, aggs={
            "sources": {"terms": {"field": "source", "size": 100}}, "langs": {"terms": {"field": "lang", "size": 10}},
            "latest": {"max": {"field": "indexed_at"}}})
        aggs = {"by_source": {b["key"]: b["doc_count"] for b in response["aggregations"]["sources"]["buckets"]},
                "by_language": {b["key"]: b["doc_count"] for b in response["aggregations"]["langs"]["buckets"]},
                "last_indexed": response["aggregations"]["latest"].get("value_as_string")}
    return {"alias": alias, "indices": per_index, **aggs}
