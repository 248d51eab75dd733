"""Alert rules: digest mode needs a valid schedule, and a digest holds what was recorded before its last tick."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from newsmon.alerts.rules import AlertRule, load_rules
from newsmon.configfile import ConfigError
from newsmon.matching import load_watchlist
from newsmon.settings import PROJECT_ROOT


def _rule(**fields) -> AlertRule:
    return AlertRule.model_validate({"id": "r", "name": "R", "match": {"themes": ["moscow_format"]},
                                     "recipients": ["a@example.org"], **fields})


@pytest.mark.parametrize("schedule", ["hourly", "daily", "weekly", "monthly", "0 7 * * 1-5", "30 6 * * *"])
def test_digest_schedules_that_are_accepted(schedule):
    assert _rule(mode="digest", schedule=schedule).schedule == schedule


@pytest.mark.parametrize(("schedule", "message"), [
    ("every day", "neither one of"), ("0 0 * * * *", "neither one of"), ("61 * * * *", "neither one of"),
    ("*/10 * * * *", "more often than hourly"), ("0,30 * * * *", "more often than hourly")])
def test_bad_digest_schedules_say_why(schedule, message):
    with pytest.raises(ValidationError, match=message):
        _rule(mode="digest", schedule=schedule)


def test_digest_needs_a_schedule_and_immediate_takes_none():
    with pytest.raises(ValidationError, match="mode digest needs a schedule"):
        _rule(mode="digest")
    with pytest.raises(ValidationError, match="only for mode: digest"):
        _rule(mode="immediate", schedule="daily")


def test_digest_cutoff_is_the_last_tick_at_or_before():
    weekly = _rule(mode="digest", schedule="weekly")  # Monday 06:00 UTC
    monday = datetime(2026, 1, 5, 6, 0, tzinfo=UTC)
    assert weekly.digest_cutoff(monday) == monday
    assert weekly.digest_cutoff(datetime(2026, 1, 8, 12, 0, tzinfo=UTC)) == monday
    assert weekly.digest_cutoff(datetime(2026, 1, 5, 5, 59, tzinfo=UTC)) == datetime(
        2025, 12, 29, 6, 0, tzinfo=UTC)


def test_rules_file_with_a_bad_schedule_names_the_file_and_rule(tmp_path):
    path = tmp_path / "alerts.yaml"
    path.write_text("rules:\n  - id: weekly\n    name: W\n    match: {themes: [moscow_format]}\n"
                    "    recipients: [a@example.org]\n    mode: digest\n    schedule: sometimes\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"alerts\.yaml.*schedule"):
        load_rules(path)


def test_shipped_rules_are_immediate():
    # test_pipeline_dags expects exactly these two rules to mail at once; digest examples live in the README.
    assert {(r.id, r.mode) for r in load_rules(PROJECT_ROOT / "config" / "alerts.yaml")} == {
        ("moscow_format", "immediate"), ("taliban_recognition", "immediate")}


def test_readme_rule_examples_are_valid(tmp_path):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Add an alert rule", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    assert len(blocks) >= 2, "the README should show an immediate and a digest rule"
    path = tmp_path / "alerts.yaml"
    path.write_text("rules:\n" + "".join(blocks), encoding="utf-8")
    watchlist = load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml")
    rules = load_rules(path, {a.id for a in watchlist.actors}, {t.id for t in watchlist.themes})
    assert {r.mode for r in rules} == {"immediate", "digest"}
