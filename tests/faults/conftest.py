"""Real parts for the fault suite: a replay site, an SMTP sink and an index alias of each test's own (the
Elasticsearch node is the session's, from ``tests/conftest.py``), and one clean run to compare faulty runs with.

The scenario that stops Elasticsearch gets a node of its own (``own_node``). It takes a while to boot, so it is
started in the background as the suite begins, and that scenario runs last among the fault tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from faultkit import (
    Baseline,
    indexed_docs,
    mailed_pairs,
    make_settings,
    manifest_ids,
    read_messages,
    run_pipeline,
)

from newsmon.devstack.elasticsearch_local import (
    DEFAULT_CACHE_DIR,
    QUICK_START_JAVA_OPTS,
    LocalElasticsearch,
    provision,
)
from newsmon.devstack.replay import ReplayServer
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.settings import Settings


@pytest.fixture
def site():
    """The replay site for one test (its own request log, outages and latency)."""
    with ReplayServer("127.0.0.1", 0) as server:
        yield server


@pytest.fixture
def mailbox_dir(tmp_path):
    return tmp_path / "mailbox"


@pytest.fixture
def sink(mailbox_dir):
    with SmtpSink(mailbox_dir) as running:
        yield running


@pytest.fixture
def settings_for(tmp_path, elasticsearch_url, site) -> Callable[..., Settings]:
    """``settings_for(smtp_port, **overrides)``: the scenario's settings on the session's Elasticsearch."""
    return lambda smtp_port, **overrides: make_settings(tmp_path, elasticsearch_url, site, smtp_port, **overrides)


@pytest.fixture(scope="session")
def baseline(tmp_path_factory, elasticsearch_url) -> Baseline:
    """One clean run of crawl → process → alert on the replay site: the documents and mails every scenario
    must end with (checked here against the replay manifests, each mail once)."""
    tmp_path = tmp_path_factory.mktemp("fault-baseline")
    with ReplayServer("127.0.0.1", 0) as server, SmtpSink(tmp_path / "mailbox") as smtp:
        settings = make_settings(tmp_path, elasticsearch_url, server, smtp.port)
        run = run_pipeline(settings)
        docs = indexed_docs(settings)
        pairs = mailed_pairs(smtp.mailbox_dir)
    assert set(docs) == manifest_ids(), "the clean run does not index what the replay manifests list"
    assert pairs and set(pairs.values()) == {1}, pairs
    rules = {rule for m in read_messages(smtp.mailbox_dir) for rule in m["X-Newsmon-Rules"].split()}
    assert rules == {"moscow_format", "taliban_recognition"}
    return Baseline(docs=docs, pairs=set(pairs), fetched={name: report["fetched"]
                                                           for name, report in run["crawl"].items()})


def _needs_own_node(item: pytest.Item) -> bool:
    return "own_node" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the scenarios with a node of their own after the other fault scenarios, while it boots."""
    here = Path(__file__).parent
    faults = [i for i, item in enumerate(items) if Path(str(item.path)).parent == here]
    if faults:
        block = items[faults[0]: faults[-1] + 1]
        items[faults[0]: faults[-1] + 1] = [i for i in block if not _needs_own_node(i)] + \
            [i for i in block if _needs_own_node(i)]


@pytest.fixture(scope="session", autouse=True)
def _booting_node(request) -> tuple[LocalElasticsearch, Future] | None:
    """The node of the Elasticsearch restart scenario, started in the background if that scenario will run;
    stopped and its data directory removed at the end of the session, whatever happened."""
    if not any(_needs_own_node(item) for item in request.session.items):
        yield None
        return
    cache = Path(os.environ.get("NEWSMON_ES_CACHE", DEFAULT_CACHE_DIR))
    node = LocalElasticsearch(provision(cache), cache / f"fault-data-{uuid.uuid4().hex[:8]}",
                              java_opts=QUICK_START_JAVA_OPTS)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fault-node") as pool:
        booting = pool.submit(node.start)
        try:
            yield node, booting
        finally:
            booting.exception(timeout=300)  # let a start in progress finish before stopping the node
            node.stop()
            shutil.rmtree(node.data_dir, ignore_errors=True)


@pytest.fixture
def own_node(_booting_node) -> LocalElasticsearch:
    """An Elasticsearch node of the test's own (its own data directory, quick to start, C1 JIT only), running;
    the test may stop and restart it. Never the session's node."""
    node, booting = _booting_node
    booting.result(timeout=300)
    yield node
    node.stop()
