"""The hostile site for the whole module, and settings that crawl it through ``mirror_url`` into a data folder
and an index alias of the test's own (on the session's Elasticsearch node, ``tests/conftest.py``)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from hostile_site import HostileServer

from newsmon.settings import Settings, load_settings

HOSTILE_SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources.hostile.yaml"


@pytest.fixture(scope="module")
def hostile_site():
    with HostileServer() as site:
        yield site


def hostile_settings(data_dir: Path, site: HostileServer, elasticsearch_url: str = "", **overrides) -> Settings:
    """Settings that fetch the hostile sources through ``site`` and index into an alias of their own."""
    return load_settings({}, data_dir=data_dir, mirror_url=site.base_url, sources_file=HOSTILE_SOURCES,
                         elasticsearch_url=elasticsearch_url, index_alias=f"hostile-{uuid.uuid4().hex[:10]}",
                         **overrides)
