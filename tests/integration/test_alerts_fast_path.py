"""The fast path: news_fast polls the feeds, announces new articles, and stays quiet (no Asset event) otherwise;
news_digest runs through Airflow too. Real Airflow ``dag.test()``, replay site, Elasticsearch and SMTP server."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from newsmon import pipeline
from newsmon.devstack.airflow_runner import DAGS_FOLDER, migrate_database, run_dag

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def airflow_db():
    migrate_database(Path(os.environ["AIRFLOW_HOME"]))


def _states(run) -> dict[str, str]:
    states: dict[str, str] = {}
    for ti in run.get_task_instances():
        states.setdefault(ti.task_id, str(ti.state))
        if str(ti.state) != "success":
            states[ti.task_id] = str(ti.state)
    return states


def _archived_events() -> int:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    with create_session() as session:
        return session.scalar(select(func.count()).select_from(AssetEvent).join(
            AssetModel, AssetEvent.asset_id == AssetModel.id).where(AssetModel.uri == "newsmon://articles/archived"))


def test_fast_path_announces_only_what_is_new(airflow_db, pipeline_settings):
    events = _archived_events()
    first = run_dag("news_fast")
    assert str(first.state) == "success"
    assert _states(first) == {"list_groups": "success", "poll_group": "success", "announce": "success",
                              "check_sources": "success"}
    assert _archived_events() == events + 1

    # Nothing changed in the feeds: every poll is a conditional request answered 304, no Asset event.
    second = run_dag("news_fast")
    assert str(second.state) == "success"
    assert _states(second) == {"list_groups": "success", "poll_group": "success", "announce": "skipped",
                               "check_sources": "success"}
    assert _archived_events() == events + 1


def test_digest_dag_sends_what_is_due_at_its_logical_date(airflow_db, pipeline_settings, smtp_sink, tmp_path,
                                                          monkeypatch):
    rules = tmp_path / "alerts.yaml"
    rules.write_text(yaml.safe_dump({"rules": [
        {"id": "moscow_format_daily", "name": "Moscow Format daily", "match": {"themes": ["moscow_format"]},
         "recipients": ["daily@newsmon.example"], "mode": "digest", "schedule": "daily"}]}), encoding="utf-8")
    monkeypatch.setenv("NEWSMON_ALERT_RULES_FILE", str(rules))
    settings = pipeline_settings.model_copy(update={"alert_rules_file": rules})
    for name in pipeline.source_names(settings):
        pipeline.crawl(name, settings)
    for batch in pipeline.pending_batches(settings):
        pipeline.process_batch(batch, settings)
    assert pipeline.alert(settings)["digest_pending"] >= 3

    run = run_dag("news_digest")  # now: the matches were recorded after today's 06:00 tick (or yesterday's)
    assert str(run.state) == "success" and _states(run) == {"send_digests": "success"}
    assert smtp_sink.messages() == []
    from airflow.dag_processing.dagbag import DagBag

    dag = DagBag(dag_folder=str(DAGS_FOLDER)).dags["news_digest"]
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    for _ in range(2):  # the run for tomorrow 07:00, and a rerun of it
        run = dag.test(logical_date=tomorrow)
        assert str(run.state) == "success"
    [mail] = smtp_sink.messages()
    assert mail["X-Newsmon-Rule"] == "moscow_format_daily" and len(mail["X-Newsmon-Events"].split()) >= 2
