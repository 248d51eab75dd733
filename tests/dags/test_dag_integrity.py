"""The DAG files import cleanly, fast, without touching the network, and wire the expected tasks."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from newsmon.devstack.airflow_runner import DAGS_FOLDER

HEAVY_MODULES = {"trafilatura", "spacy", "elasticsearch", "httpx", "lxml", "pymorphy3", "lingua", "langdetect"}


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    bag.parse_seconds = time.perf_counter() - started
    return bag


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dags) == {"news_crawl", "news_fast", "news_process", "news_alerts", "news_digest"}


@pytest.mark.parametrize("dag_id", ["news_crawl", "news_fast", "news_process", "news_alerts", "news_digest"])
def test_owners_tags_retries(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert "newsmon" in dag.tags
    for task in dag.tasks:
        assert task.owner == "newsmon"
        assert task.retries >= 2, f"{dag_id}.{task.task_id} needs retries"


def test_task_graphs(dagbag):
    def edges(dag):
        return {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}

    assert edges(dagbag.dags["news_crawl"]) == {("list_groups", "crawl_group"), ("crawl_group", "announce"),
                                                ("crawl_group", "check_sources")}
    assert edges(dagbag.dags["news_process"]) == {("list_batches", "process_batch"), ("process_batch", "announce")}
    assert edges(dagbag.dags["news_alerts"]) == {("assign_events", "send_alerts")}
    assert edges(dagbag.dags["news_fast"]) == {("list_groups", "poll_group"), ("poll_group", "announce"),
                                               ("list_groups", "announce"), ("poll_group", "check_sources")}
    assert [t.task_id for t in dagbag.dags["news_digest"].tasks] == ["send_digests"]


def test_fast_path_runs_on_the_feed_watcher_one_run_at_a_time(dagbag):
    from datetime import timedelta

    from newsmon.assets import FEEDS_CHANGED
    from newsmon.crawl.watch_trigger import FeedWatchTrigger

    fast = dagbag.dags["news_fast"]
    assert "newsmon://feeds/changed" in str(fast.timetable.asset_condition)  # no clock schedule any more
    [watcher] = FEEDS_CHANGED.watchers
    assert isinstance(watcher.trigger, FeedWatchTrigger)
    # The triggerer rebuilds the trigger from its serialised form: an installed module, JSON-ready kwargs.
    classpath, kwargs = watcher.trigger.serialize()
    assert classpath == "newsmon.crawl.watch_trigger.FeedWatchTrigger"
    assert FeedWatchTrigger(**kwargs).serialize() == (classpath, kwargs)
    assert fast.max_active_runs == 1 and not fast.catchup
    assert fast.get_task("announce").trigger_rule == "all_done"
    assert fast.get_task("poll_group").retry_delay <= timedelta(minutes=2)
    digest = dagbag.dags["news_digest"]
    assert digest.max_active_runs == 1 and not digest.catchup
    assert digest.timetable.expression == "0 * * * *"  # rules may not ask for digests more often (rules.py)


def test_operator_checks_run_even_when_sources_failed(dagbag):
    for dag_id in ("news_crawl", "news_fast"):
        check = dagbag.dags[dag_id].get_task("check_sources")
        assert check.trigger_rule == "all_done" and not check.outlets


def test_assets_chain_the_dags(dagbag):
    crawl_out = {str(o.uri) for o in dagbag.dags["news_crawl"].get_task("announce").outlets}
    process_out = {str(o.uri) for o in dagbag.dags["news_process"].get_task("announce").outlets}
    fast_out = {str(o.uri) for o in dagbag.dags["news_fast"].get_task("announce").outlets}
    assert crawl_out == fast_out == {"newsmon://articles/archived"}
    assert process_out == {"newsmon://articles/indexed"}
    assert "newsmon://articles/archived" in str(dagbag.dags["news_process"].timetable.asset_condition)
    assert "newsmon://articles/indexed" in str(dagbag.dags["news_alerts"].timetable.asset_condition)


@pytest.mark.parametrize("path", sorted(DAGS_FOLDER.glob("*.py")), ids=lambda p: p.name)
def test_dag_files_import_nothing_heavy_at_top_level(path: Path):
    tree = ast.parse(path.read_text())
    top_imports = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top_imports |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            top_imports.add(node.module.split(".")[0])
    assert not top_imports & HEAVY_MODULES


def test_crawl_and_process_tasks_go_to_their_celery_queues(dagbag):
    assert dagbag.dags["news_crawl"].get_task("crawl_group").queue == "crawl"
    assert dagbag.dags["news_fast"].get_task("poll_group").queue == "crawl"
    assert dagbag.dags["news_process"].get_task("process_batch").queue == "process"
    assert dagbag.dags["news_alerts"].get_task("send_alerts").queue == "default"


def test_news_fast_runs_on_a_clock_when_the_settings_name_one(monkeypatch):
    """NEWSMON_FAST_POLL: a cron expression replaces the feed watcher as news_fast's schedule; anything else that
    is not `watch` is refused when the settings load, naming the variable."""
    from airflow.dag_processing.dagbag import DagBag

    from newsmon.configfile import ConfigError
    from newsmon.settings import load_settings

    monkeypatch.setenv("NEWSMON_FAST_POLL", "*/3 * * * *")
    bag = DagBag(dag_folder=str(DAGS_FOLDER / "news_fast.py"))
    assert bag.import_errors == {}
    assert bag.dags["news_fast"].timetable.expression == "*/3 * * * *"
    monkeypatch.setenv("NEWSMON_FAST_POLL", "every three minutes")
    with pytest.raises(ConfigError, match="NEWSMON_FAST_POLL.*neither `watch` nor a cron expression"):
        load_settings()
