"""Source health from the crawl state (real files) and the quiet-source rule."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from newsmon.monitor.health import quiet_verdict, source_health
from newsmon.settings import load_settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SOURCES = """
sources:
  - name: alpha
    title: Alpha News
    homepage: https://alpha.example/
    domains: [alpha.example]
    languages: [en]
    feeds:
      - {url: "https://alpha.example/rss"}
      - {url: "https://alpha.example/sitemap.xml", kind: sitemap}
  - name: beta
    title: Beta <b>Daily</b>
    homepage: https://beta.example/
    domains: [beta.example]
    languages: [ru]
    feeds:
      - {url: "https://beta.example/feed"}
  - name: gamma
    title: Never crawled
    homepage: https://gamma.example/
    domains: [gamma.example]
    languages: [tr]
    listings:
      - {url: "https://gamma.example/news/", link_pattern: "/news/\\\\d+"}
"""


def _days(newest: date, gap: int, count: int) -> list[date]:
    return [newest - timedelta(days=gap * i) for i in range(count)]


@pytest.mark.parametrize(("gap", "silent_days", "quiet"), [
    (1, 2.5, False), (1, 3.5, True), (7, 20, False), (7, 22, True), (1, 1.9, False)])
def test_quiet_when_silence_exceeds_three_usual_gaps(gap, silent_days, quiet):
    newest = NOW - timedelta(days=silent_days)
    verdict = quiet_verdict(_days(newest.date(), gap, 40), newest, NOW)
    assert verdict.usual_gap_days == gap and verdict.quiet is quiet
    assert verdict.days_since_newest == round(silent_days, 1)
    assert verdict.threshold_days == max(3 * gap, 2)


def test_quiet_rule_ignores_bursts_and_needs_some_history():
    newest = NOW - timedelta(days=5)
    burst = [newest.date()] * 50 + _days(newest.date() - timedelta(days=2), 2, 10)  # 50 on one day, then 2-daily
    assert quiet_verdict(burst, newest, NOW).usual_gap_days == 2
    short = quiet_verdict(_days(newest.date(), 1, 3), newest, NOW)
    assert short.quiet is None and short.usual_gap_days is None and short.days_since_newest == 5
    assert quiet_verdict([], None, NOW).quiet is None


def _write_state(state_dir, name: str, data: dict) -> None:
    path = state_dir / "crawl" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_crawl_state_gives_runs_feeds_and_warnings_without_elasticsearch(tmp_path):
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(SOURCES, encoding="utf-8")
    settings = load_settings({}, state_store="files", sources_file=sources_file, data_dir=tmp_path / "data")
    run = {"started": "2026-02-28T06:00:00+00:00", "feeds_checked": 3, "feeds_unchanged": 1, "feeds_failed": 1,
           "fetched": 4}
    _write_state(settings.state_dir, "alpha", {
        "feeds": {"https://alpha.example/rss": {"last_status": "unchanged", "last_checked": "2026-03-01T06:00:00+00:00"},
                  "https://alpha.example/sitemap.xml": {"last_status": "ok", "last_checked": "2026-03-01T06:00:01+00:00"},
                  "https://alpha.example/sitemap-2026.xml": {"last_status": "failed", "last_error": "HTTP 500 <oops>",
                                                             "last_checked": "2026-03-01T06:00:02+00:00"}},
        "runs": [{**run, "finished": "2026-02-28T06:01:00+00:00", "ok": True, "error": None},
                 {**run, "finished": "2026-03-01T06:01:00+00:00", "ok": False, "error": "CrawlBusy: locked"}]})
    # An older state file: no runs recorded.
    _write_state(settings.state_dir, "beta", {"feeds": {"https://beta.example/feed": {
        "last_status": "ok-with-problems", "last_error": "2 items without a link",
        "last_checked": "2026-03-01T07:00:00+00:00"}}})
    health = source_health(settings, None, NOW)
    assert health["index_exists"] is None
    rows = {row["name"]: row for row in health["sources"]}
    alpha, beta, gamma = rows["alpha"], rows["beta"], rows["gamma"]
    assert alpha["last_success"] == "2026-02-28T06:01:00+00:00" and alpha["last_run"]["ok"] is False
    assert [f["url"] for f in alpha["feeds"]] == ["https://alpha.example/rss", "https://alpha.example/sitemap.xml",
                                                  "https://alpha.example/sitemap-2026.xml"]
    assert [f["configured"] for f in alpha["feeds"]] == [True, True, False]
    assert (alpha["feeds_checked"], alpha["feeds_unchanged"], alpha["feeds_failed"]) == (3, 1, 1)
    assert alpha["status"] == "failed"
    assert [w["kind"] for w in alpha["warnings"]] == ["run-failed", "feed-failed"]
    assert "HTTP 500 <oops>" in alpha["warnings"][1]["message"]  # escaping is the page's job
    assert alpha["articles_total"] is None and alpha["quiet"] is None
    assert beta["last_run"] is None and beta["last_success"] is None
    assert beta["last_checked"] == "2026-03-01T07:00:00+00:00"
    assert (beta["feeds_checked"], beta["feeds_with_problems"], beta["status"]) == (1, 1, "ok")
    assert gamma["feeds"] == [{"url": "https://gamma.example/news/", "configured": True, "status": None,
                               "last_checked": None, "error": None}]
    assert [w["kind"] for w in gamma["warnings"]] == ["never-crawled"] and gamma["status"] == "warning"
