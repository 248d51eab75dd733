"""The operator checks' rules on plain data: exact findings, and no finding where the history cannot tell."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from newsmon.alerts.operator.checks import (
    CHECKS,
    ExtractionDegradedCheck,
    FeedsFailingCheck,
    QuietCheck,
    SourceHistory,
    binomial_tail,
    check_named,
)
from newsmon.settings import load_settings

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def settings(tmp_path):
    return load_settings({}, data_dir=tmp_path)


def _run(started: str, ok: bool = True, feeds_failed: int = 0, error: str | None = None) -> dict:
    return {"started": started, "finished": started, "ok": ok, "error": error, "feeds_checked": 2,
            "feeds_failed": feeds_failed}


def _history(**fields) -> SourceHistory:
    return SourceHistory(source="ankasam", now=NOW, **fields)


# -- feeds failing ----------------------------------------------------------------------------------------------
FEEDS = {"https://a.example/feed/": {"status": "failed", "error": "HTTP 503"},
         "https://a.example/en/feed/": {"status": "ok", "error": None}}


def test_feeds_failing_needs_n_failing_runs_in_a_row(settings):
    check = FeedsFailingCheck()
    assert settings.operator_failing_runs == 3
    runs = [_run("t1"), _run("t2", feeds_failed=1), _run("t3", feeds_failed=1)]
    assert check.evaluate(_history(runs=runs, feeds=FEEDS), settings) is None
    assert check.evaluate(_history(runs=runs[1:], feeds=FEEDS), settings) is None  # only 2 runs recorded
    runs.append(_run("t4", ok=False, error="every feed/listing failed"))
    finding = check.evaluate(_history(runs=runs, feeds=FEEDS), settings)
    assert finding.detail == {"runs": 3, "since": "t2", "failed_feeds": {"https://a.example/feed/": "HTTP 503"},
                              "last_error": "every feed/listing failed"}
    assert finding.message == ("feeds failing in each of the last 3 crawl run(s) since t2: "
                               "https://a.example/feed/: HTTP 503")


def test_feeds_failing_counts_the_whole_streak_and_clears_on_a_clean_run(settings):
    check = FeedsFailingCheck()
    failing = [_run(f"t{i}", feeds_failed=1) for i in range(5)]
    assert check.evaluate(_history(runs=failing, feeds=FEEDS), settings).detail["runs"] == 5
    assert check.evaluate(_history(runs=[*failing, _run("t5")], feeds=FEEDS), settings) is None
    two = settings.model_copy(update={"operator_failing_runs": 2})
    assert check.evaluate(_history(runs=[_run("a"), *failing[:2]], feeds=FEEDS), two).detail["runs"] == 2


# -- quiet -------------------------------------------------------------------------------------------------------
def _daily(last: date, count: int, gap: int = 1) -> list[date]:
    return [last - timedelta(days=gap * i) for i in range(count)]


def test_quiet_after_three_times_the_usual_gap(settings):
    check = QuietCheck()
    newest = datetime.combine(TODAY - timedelta(days=4), datetime.min.time(), UTC)
    finding = check.evaluate(_history(publication_days=_daily(newest.date(), 20), newest_published=newest), settings)
    assert finding.detail == {"days_since_newest": 4.5, "usual_gap_days": 1.0, "threshold_days": 3.0,
                              "newest_published": newest.isoformat()}
    assert finding.message == ("no new article for 4.5 days; it usually publishes every 1 day(s) "
                               "(alert after 3)")
    recent = NOW - timedelta(days=2)
    assert check.evaluate(_history(publication_days=_daily(recent.date(), 20), newest_published=recent),
                          settings) is None
    # A weekly source is not quiet after 4.5 days; a history of 3 publication days says nothing.
    assert check.evaluate(_history(publication_days=_daily(newest.date(), 20, 7), newest_published=newest),
                          settings) is None
    assert check.evaluate(_history(publication_days=_daily(newest.date(), 3), newest_published=newest),
                          settings) is None
    assert check.evaluate(_history(), settings) is None


def test_quiet_thresholds_are_settings(settings):
    newest = NOW - timedelta(days=4)
    history = _history(publication_days=_daily(newest.date(), 20), newest_published=newest)
    patient = settings.model_copy(update={"quiet_factor": 5.0})
    assert QuietCheck().evaluate(history, patient) is None
    assert QuietCheck().evaluate(history, settings.model_copy(update={"quiet_min_days": 5.0})) is None


# -- extraction degraded ---------------------------------------------------------------------------------------
def _pages(baseline: tuple[int, int], recent: tuple[int, int], baseline_days: int = 28) -> dict:
    """``baseline`` (pages, bad) on each of the 28 days before the recent window; ``recent`` on each of its 2."""
    daily = {TODAY - timedelta(days=d): baseline for d in range(2, 2 + baseline_days)}
    daily.update({TODAY: recent, TODAY - timedelta(days=1): recent})
    return daily


def test_binomial_tail():
    assert binomial_tail(0, 10, 0.3) == 1.0
    assert binomial_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert binomial_tail(1, 3, 0.5) == pytest.approx(0.875)
    assert binomial_tail(11, 10, 0.5) == 0.0
    assert binomial_tail(3, 10, 0.1) == pytest.approx(0.0701908264)
    assert 0.0 < binomial_tail(900, 2000, 0.4) < 1e-5  # large counts do not overflow


def test_a_source_whose_pages_turn_into_stubs_is_degraded(settings):
    check = ExtractionDegradedCheck()
    finding = check.evaluate(_history(daily_pages=_pages((5, 0), (6, 5))), settings)
    assert finding is not None
    detail = dict(finding.detail)
    assert detail.pop("p_value") == pytest.approx(binomial_tail(10, 12, 1 / 142))
    assert detail == {"recent_pages": 12, "recent_bad": 10, "recent_share": 0.8333, "baseline_pages": 140,
                      "baseline_bad": 0, "baseline_share": 0.0, "since": "2026-03-19"}
    assert finding.message.startswith("10 of 12 pages fetched since 2026-03-19 were dropped or stubs (83%), "
                                      "against 0 of 140 (0%) in the 28 days before")


@pytest.mark.parametrize(("baseline", "recent", "why"), [
    ((5, 0), (10, 2), "a rise of 10 points is under the 30-point jump"),
    ((5, 0), (4, 4), "8 recent pages are fewer than degraded_min_pages (10)"),
    ((1, 0), (10, 10), "28 baseline pages are fewer than degraded_min_baseline_pages (30)"),
    ((5, 2), (10, 7), "a source that always drops 40% may drop 70% of 20 pages by chance (p ≈ 0.0067)"),
])
def test_no_degradation_where_the_history_cannot_tell(settings, baseline, recent, why):
    assert ExtractionDegradedCheck().evaluate(_history(daily_pages=_pages(baseline, recent)), settings) is None, why


def test_pages_outside_both_windows_do_not_count(settings):
    daily = _pages((5, 0), (6, 5))
    daily[TODAY - timedelta(days=40)] = (500, 0)  # long ago: not in the baseline
    assert ExtractionDegradedCheck().evaluate(_history(daily_pages=daily), settings).detail["baseline_pages"] == 140


def test_the_checks_are_registered_once_by_name():
    names = [check.name for check in CHECKS]
    assert names == ["feeds-failing", "quiet", "extraction-degraded"]
    assert check_named("quiet") is CHECKS[1] and check_named("nope") is None
    assert all(check.title for check in CHECKS)


def test_the_readme_example_check_works(settings):
    from newsmon.alerts.operator import checks
    from newsmon.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Add an operator alert", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = dict(vars(checks))
    exec(code, namespace)  # noqa: S102 - our own README
    example = namespace["StaleRobotsCheck"]()
    assert [c.name for c in namespace["CHECKS"]][-1] == example.name
    skipped = [_run(f"t{i}") | {"skipped_by_reason": {"robots-unreachable": 4}} for i in range(3)]
    assert example.evaluate(_history(runs=skipped), settings).detail == {"skipped": [4, 4, 4]}
    assert example.evaluate(_history(runs=[*skipped, _run("t3")]), settings) is None
