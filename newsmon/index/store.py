"""Write articles to Elasticsearch: the versioned index behind its alias, and bulk upserts keyed by id."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch import ConnectionError as ESConnectionError

from newsmon.errors import ServiceUnavailable
from newsmon.index.mapping import ANALYZERS
from newsmon.models import Article

__all__ = ["ArticleStore", "IndexReport", "article_document"]

log = logging.getLogger(__name__)

_BULK_ATTEMPTS = 4


@dataclass
class IndexReport:
    """What one bulk write did."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"created": len(self.created), "updated": len(self.updated), "failed": len(self.failed)}


def article_document(article: Article, indexed_at: datetime | None = None) -> dict:
    """The Elasticsearch document of an article."""
    doc = {
        "url": article.url, "canonical_url": article.canonical_url, "source": article.source,
        "lang": article.lang, "lang_confidence": round(article.lang_confidence, 4),
        "declared_lang": article.declared_lang, "extractor": article.extractor,
        "title": article.title, "text": article.text,
        "published": article.published.isoformat() if article.published else None,
        "modified": article.modified.isoformat() if article.modified else None,
        "fetched_at": article.fetched_at.isoformat() if article.fetched_at else None,
        "indexed_at": (indexed_at or datetime.now(timezone.utc)).isoformat(),
        "authors": article.authors, "section": article.section, "story_id": article.story_id,
        "paywalled": article.paywalled, "translations": article.translations,
        "translation_urls": sorted(article.translations.values()), "footnotes": article.footnotes,
        "actors": article.actors, "themes": article.themes,
        "mentions": [m.to_dict() for m in article.mentions],
    }
    if article.lang in ANALYZERS:
        doc[f"title_{article.lang}"] = article.title
        doc[f"text_{article.lang}"] = article.text
    return doc


class ArticleStore:
    """The article index: ``<alias>-v1`` (and later versions) behind ``alias``."""

    def __init__(self, client: Elasticsearch, alias: str, shards: int | None = None, replicas: int | None = None):
        self.client = client
        self.alias = alias
        self.shards, self.replicas = shards, replicas

    def ensure_index(self) -> str:
        """Templates in place and the alias over its first version if it does not exist yet."""
        from newsmon.index.lifecycle import ensure_index

        return ensure_index(self.client, self.alias, self.shards, self.replicas)

    def index_articles(self, articles: list[Article]) -> IndexReport:
        """Upsert ``articles`` by id. A document Elasticsearch rejects (a mapping conflict, a field too large) is left
        out and reported in ``failed`` with the reason, so it never holds back the others; raises
        :class:`ServiceUnavailable` only when the cluster cannot take writes at all."""
        report = IndexReport()
        now = datetime.now(timezone.utc)
        pending = {a.id: article_document(a, now) for a in articles}
        pending_urls = {a.id: a.canonical_url for a in articles}
        for attempt in range(1, _BULK_ATTEMPTS + 1):
            retry: dict[str, dict] = {}
            actions = ({"_op_type": "index", "_index": self.alias, "_id": doc_id, "_source": doc}
                       for doc_id, doc in pending.items())
            try:
                for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False,
                                                       raise_on_exception=False, max_retries=3,
                                                       initial_backoff=1, chunk_size=200):
                    result = item["index"]
                    doc_id = result["_id"]
                    if ok:
                        (report.created if result.get("result") == "created" else report.updated).append(doc_id)
                    elif result.get("status") in (429, 503) or result.get("status") is None:
                        retry[doc_id] = pending[doc_id]
                    else:
                        report.failed[doc_id] = str(result.get("error"))
            except (ESConnectionError, ApiError) as exc:
                retry = {k: v for k, v in pending.items() if k not in report.created + report.updated}
                log.warning("bulk write failed (%s); %d documents to retry", exc, len(retry))
            if not retry:
                break
            pending = retry
            if attempt < _BULK_ATTEMPTS:
                time.sleep(2 ** attempt)
        else:
            raise ServiceUnavailable(f"could not write {len(pending)} articles to {self.alias} after "
                                     f"{_BULK_ATTEMPTS} attempts; is Elasticsearch healthy?")
        for doc_id, reason in report.failed.items():
            log.error("Elasticsearch rejected article %s (%s): %s; left out, it stays in the archive (`newsmon "
                      "reprocess --from-archive` indexes it once fixed)", doc_id, pending_urls.get(doc_id), reason[:500])
        self.client.indices.refresh(index=self.alias)
        return report
