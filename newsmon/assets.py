"""The Airflow Assets that connect the DAGs: crawl (daily or fast) → process → alerts."""

from airflow.sdk import Asset

__all__ = ["ARCHIVED_ARTICLES", "INDEXED_ARTICLES"]

#: Emitted by ``news_crawl`` (daily) when pages are archived and queued for processing, and by ``news_fast``
#: (every 3 minutes) only when its feed poll queued something new.
ARCHIVED_ARTICLES = Asset("newsmon://articles/archived")
#: Emitted by ``news_process`` when articles were written to Elasticsearch.
INDEXED_ARTICLES = Asset("newsmon://articles/indexed")
