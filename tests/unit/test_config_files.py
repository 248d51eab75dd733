"""Malformed data and settings files fail at load with the file, the line and what is wrong."""

from __future__ import annotations

import pytest

from newsmon.alerts.rules import load_rules
from newsmon.configfile import ConfigError
from newsmon.settings import PROJECT_ROOT, load_settings
from newsmon.sources import load_sources


def test_shipped_sources_file_loads_with_real_urls_only():
    real = load_sources(PROJECT_ROOT / "config" / "sources.yaml")
    assert real.names() == ["ankasam", "newarab", "thebell", "afintl", "opsour"]
    assert not any(s.allow_private_network or s.mirror for s in real)
    assert all(str(f.url).startswith("https://") for s in real for f in [*s.feeds, *s.listings])


def test_older_replay_sources_files_still_load_as_sources_fetched_through_a_mirror():
    """``replay: true`` entries (files written for older versions) keep working: their server is the mirror."""
    legacy = load_sources(PROJECT_ROOT / "tests" / "fixtures" / "sources.legacy-replay.yaml",
                          {"NEWSMON_REPLAY_URL": "http://127.0.0.1:1"})
    assert legacy.names() == ["ankasam", "newarab", "thebell", "afintl", "opsour"]
    assert {s.mirror for s in legacy} == {"http://127.0.0.1:1"}


def test_source_overrides_apply_to_every_source_or_one(tmp_path):
    overrides = {"*": {"politeness": {"min_delay_seconds": 0}}, "opsour": {"politeness": {"max_pages_per_run": 3}}}
    registry = load_sources(PROJECT_ROOT / "config" / "sources.yaml", overrides=overrides)
    assert {s.politeness.min_delay_seconds for s in registry} == {0}
    assert registry.get("opsour").politeness.max_pages_per_run == 3
    assert registry.get("ankasam").politeness.max_pages_per_run == 100  # the rest of the entry is kept
    with pytest.raises(ConfigError, match=r"unknown source\(s\) \['nosuch'\]"):
        load_sources(PROJECT_ROOT / "config" / "sources.yaml", overrides={"nosuch": {"title": "x"}})


def test_source_overrides_from_the_environment_are_json():
    settings = load_settings({"NEWSMON_SOURCE_OVERRIDES": '{"*": {"politeness": {"min_delay_seconds": 0}}}'})
    assert settings.source_overrides == {"*": {"politeness": {"min_delay_seconds": 0}}}
    with pytest.raises(ConfigError, match="NEWSMON_SOURCE_OVERRIDES: not valid JSON"):
        load_settings({"NEWSMON_SOURCE_OVERRIDES": "{*: 0"})


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - name: a\n    title: [unclosed\n")
    with pytest.raises(ConfigError, match=r"sources\.yaml:\d+: invalid YAML"):
        load_sources(path)


def test_schema_error_names_the_line_of_the_bad_field(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - name: good\n    title: G\n    homepage: https://g.org/\n    domains: [g.org]\n    languages: [en]\n"
        "    feeds: [{url: 'https://g.org/feed'}]\n"
        "  - name: bad\n    title: B\n    homepage: https://b.org/\n    domains: [b.org]\n    languages: [xx]\n"
        "    feeds: [{url: 'https://b.org/feed'}]\n")
    with pytest.raises(ConfigError) as error:
        load_sources(path)
    assert "sources.yaml:12: sources.1.languages" in str(error.value)
    assert "unknown language" in str(error.value)


def test_duplicate_source_names_and_unknown_extractor(tmp_path):
    entry = ("  - name: a\n    title: A\n    homepage: https://a.org/\n    domains: [a.org]\n    languages: [en]\n"
             "    feeds: [{url: 'https://a.org/feed'}]\n")
    path = tmp_path / "s.yaml"
    path.write_text("sources:\n" + entry + entry)
    with pytest.raises(ConfigError, match="duplicate source name 'a'"):
        load_sources(path)
    path.write_text("sources:\n" + entry + "    extractor: nosuch\n")
    with pytest.raises(ConfigError, match="unknown extractor 'nosuch'"):
        load_sources(path)


def test_unset_variable_is_reported(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("sources:\n  - name: a\n    homepage: ${NOPE}/\n")
    with pytest.raises(ConfigError, match=r"s\.yaml:3: variable \$\{NOPE\} is not set"):
        load_sources(path, {})


def test_rules_file_errors(tmp_path):
    path = tmp_path / "alerts.yaml"
    path.write_text("rules:\n  - id: r\n    name: R\n    match: {themes: [moscow_format]}\n"
                    "    recipients: [not-an-address]\n")
    with pytest.raises(ConfigError, match=r"alerts\.yaml:5: rules\.0\.recipients"):
        load_rules(path)
    path.write_text("rules:\n  - id: r\n    name: R\n    match: {themes: [nosuch]}\n    recipients: [a@b.org]\n")
    with pytest.raises(ConfigError, match=r"alerts\.yaml:\d+: rules\.0\.match\.themes: .*unknown theme"):
        load_rules(path, set(), {"moscow_format"})
    path.write_text("rules:\n  - id: r\n    name: R\n    match: {languages: [en]}\n    recipients: [a@b.org]\n")
    with pytest.raises(ConfigError, match="would match everything"):
        load_rules(path)


def test_settings_from_environment_and_errors():
    settings = load_settings({"NEWSMON_SMTP_PORT": "2525", "NEWSMON_INDEX_ALIAS": "x"})
    assert (settings.smtp_port, settings.index_alias) == (2525, "x")
    with pytest.raises(ConfigError, match="NEWSMON_SMTP_PORT"):
        load_settings({"NEWSMON_SMTP_PORT": "twenty"})


def test_a_key_given_twice_is_an_error_not_a_silent_replacement(tmp_path):
    from newsmon.matching import load_watchlist

    text = (PROJECT_ROOT / "config" / "watchlist.yaml").read_text(encoding="utf-8")
    broken = text.replace("  - id: taliban\n    label: Taliban\n", "  - id: taliban\n    label: Taliban\n    label: Talib\n", 1)
    line = broken.splitlines().index("    label: Talib") + 1
    (tmp_path / "watchlist.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"watchlist\.yaml:{line}: .*'label' appears twice .*line {line - 1}"):
        load_watchlist(tmp_path / "watchlist.yaml")
