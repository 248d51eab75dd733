"""The Elasticsearch side: mapping, connection, bulk writes and search."""

from newsmon.index.connection import connect
from newsmon.index.search import search_articles
from newsmon.index.store import ArticleStore

__all__ = ["ArticleStore", "connect", "search_articles"]
