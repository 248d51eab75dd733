"""The Airflow Assets that connect the DAGs: feed watcher → crawl (fast or daily) → process → alerts."""

from airflow.sdk import Asset, AssetWatcher

from newsmon.crawl.watch_trigger import FeedWatchTrigger

__all__ = ["ARCHIVED_ARTICLES", "FEEDS_CHANGED", "INDEXED_ARTICLES"]

#: Emitted by the feed watcher in Airflow's triggerer (:mod:`newsmon.crawl.watch_trigger`) when a feed lists
#: something the crawl has not fetched; schedules ``news_fast``. Its events' ``payload`` names the sources. The
#: watcher runs only while a DAG scheduled on it is unpaused, and only where a triggerer runs.
FEEDS_CHANGED = Asset("newsmon://feeds/changed",
                      watchers=[AssetWatcher(name="newsmon_feed_watch", trigger=FeedWatchTrigger())])
#: Emitted by ``news_crawl`` (daily) when pages are archived and queued for processing, and by ``news_fast``
#: only when its crawl of the sources the watcher named queued something new.
ARCHIVED_ARTICLES = Asset("newsmon://articles/archived")
#: Emitted by ``news_process`` when articles were written to Elasticsearch.
INDEXED_ARTICLES = Asset("newsmon://articles/indexed")
