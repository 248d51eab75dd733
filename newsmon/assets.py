"""The Airflow Assets that connect the three DAGs."""

from airflow.sdk import Asset

__all__ = ["ARCHIVED_ARTICLES", "INDEXED_ARTICLES"]

#: Emitted by ``news_crawl`` when new pages are archived and queued for processing.
ARCHIVED_ARTICLES = Asset("newsmon://articles/archived")
#: Emitted by ``news_process`` when articles were written to Elasticsearch.
INDEXED_ARTICLES = Asset("newsmon://articles/indexed")
