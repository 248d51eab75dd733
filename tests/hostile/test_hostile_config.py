"""Hostile configuration and command lines: the real ``newsmon`` command in a subprocess, as an operator runs it.

Every refusal is one line on stderr that names the file (or option) and what to do, with exit status 2 and no
traceback; ``newsmon analyze`` answers every bad line with ``{"id", "error"}`` in valid JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from conftest import HOSTILE_SOURCES

from newsmon.configfile import ConfigError
from newsmon.index import ArticleStore, connect
from newsmon.settings import load_settings

pytestmark = pytest.mark.integration


def newsmon(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsmon.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **env}, check=False)


def assert_one_line_error(done: subprocess.CompletedProcess, *expected: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "Traceback" not in done.stderr and all(text in lines[0] for text in expected), lines[0]


def test_a_rule_naming_an_unknown_source_is_refused(tmp_path):
    rules = tmp_path / "alerts.yaml"
    rules.write_text("rules:\n  - id: typo\n    name: Typo\n    match:\n      actors: [taliban]\n"
                     "      sources: [hostile, no_such_source]\n    recipients: [desk@example.org]\n")
    done = newsmon("alerts", "check", NEWSMON_ALERT_RULES_FILE=str(rules), NEWSMON_SOURCES_FILE=str(HOSTILE_SOURCES),
                   NEWSMON_DATA_DIR=str(tmp_path / "data"))
    assert_one_line_error(done, f"{rules}:6:", "no_such_source", "hostile_flood")
    from newsmon import pipeline

    settings = load_settings({}, alert_rules_file=rules, sources_file=HOSTILE_SOURCES, data_dir=tmp_path / "data")
    with pytest.raises(ConfigError, match="unknown source"):  # what the news_alerts and news_digest tasks load
        pipeline.alert_rules(settings)


def test_yaml_nested_5000_deep_fails_with_the_file_named(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("sources: " + "[" * 5000 + "]" * 5000 + "\n")
    done = newsmon("sources", "check", NEWSMON_SOURCES_FILE=str(deep), NEWSMON_DATA_DIR=str(tmp_path / "data"))
    assert_one_line_error(done, str(deep), "nested too deeply")
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text("mirror_url: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n")
    done = newsmon("sources", "check", NEWSMON_SETTINGS_FILE=str(settings_file))
    assert_one_line_error(done, str(settings_file), "nested too deeply")


def test_a_data_dir_under_a_file_fails_at_load_with_what_to_do(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    done = newsmon("sources", "check", NEWSMON_DATA_DIR=str(blocker / "data"))
    assert_one_line_error(done, "NEWSMON_DATA_DIR", f"{blocker} is a file", "set NEWSMON_DATA_DIR to a folder")
    assert blocker.read_text() == "not a folder\n"


def test_bad_search_options_are_one_line_each(elasticsearch_url, tmp_path):
    settings = load_settings({}, elasticsearch_url=elasticsearch_url, index_alias=f"hostile-{uuid.uuid4().hex[:8]}",
                             data_dir=tmp_path / "data")
    ArticleStore(connect(settings), settings.index_alias).ensure_index()  # Elasticsearch would answer 400s
    for args, expected in ((["--size", "100000"], "--size"), (["--size", "-1"], "--size"),
                           (["--since", "yesterday"], "--since")):  # refused before Elasticsearch is asked
        done = newsmon("search", "taliban", *args, NEWSMON_ELASTICSEARCH_URL=elasticsearch_url,
                       NEWSMON_INDEX_ALIAS=settings.index_alias, NEWSMON_DATA_DIR=str(tmp_path / "data"))
        assert_one_line_error(done, expected, "newsmon search --help")


def test_an_elasticsearch_error_is_one_line(elasticsearch_url, tmp_path):
    done = newsmon("search", "taliban", NEWSMON_ELASTICSEARCH_URL=elasticsearch_url, NEWSMON_INDEX_ALIAS="_bad",
                   NEWSMON_DATA_DIR=str(tmp_path / "data"))
    assert_one_line_error(done, "Elasticsearch refused the request: 400", "must not start with '_'")


def test_analyze_answers_every_bad_line_with_valid_json(tmp_path):
    lines = ['{"id": NaN, "text": "Kabulov met the Taliban."}',
             '{"id": 2, "url": 123, "html": "<html><body><p>Kabulov met the Taliban.</p></body></html>"}',
             '{"id": 3, "text": "Zamir Kabulov met the Taliban in Moscow."}',
             '{"id": 4, "text": "unterminated',
             '{"id": Infinity, "text": 5}']
    done = newsmon("analyze", stdin="\n".join(lines) + "\n", NEWSMON_DATA_DIR=str(tmp_path / "data"))
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line, parse_constant=_refuse) for line in done.stdout.splitlines()]  # strict JSON
    assert [(a["id"], sorted(a)) for a in answers] == [
        (None, ["error", "id"]), (2, ["error", "id"]), (3, sorted(answers[2])), (None, ["error", "id"]),
        (None, ["error", "id"])]
    assert "NaN is not valid JSON" in answers[0]["error"] and "'url' must be a string" in answers[1]["error"]
    assert answers[2]["actors"] == ["taliban", "zamir_kabulov"]


def _refuse(name: str):
    raise AssertionError(f"{name} in the output: not JSON")


def test_analyze_reads_an_article_of_1_35_million_characters(tmp_path):
    paragraph = "Zamir Kabulov said the Moscow Format would meet again to discuss Afghanistan and the Taliban. "
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(1_350_000 // (len(paragraph) + 8)))
    assert len(text) > 1_340_000
    done = newsmon("analyze", stdin=json.dumps({"id": "long", "text": text}) + "\n",
                   NEWSMON_DATA_DIR=str(tmp_path / "data"))
    (answer,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert "error" not in answer and answer["actors"] == ["taliban", "zamir_kabulov"]
    assert answer["processing_notes"] == ["matched-in-pieces:7", "mentions-capped:39705"]
    assert max(m["end"] for m in answer["mentions"]) <= len(text)
