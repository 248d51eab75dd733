"""Corrupted crawl state files: binary garbage, a file cut in half, and valid JSON of the wrong shape.

The next crawl logs an error naming the file, moves it aside (kept, for a look) and starts that source afresh:
its feeds are read unconditionally and its articles fetched again, yet the index still holds each article
exactly once (same ids: updated, not added) and no alert is mailed a second time (the ledger remembers).
"""

from __future__ import annotations

import json
import logging

import pytest
from faultkit import (
    assert_indexed_exactly_once,
    assert_mailed_exactly_once,
    crawl_all,
    crawl_state,
    discovery_paths,
    process_all,
    run_pipeline,
)

from newsmon import pipeline

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def _corruptions(state_dir) -> dict[str, bytes]:
    """What each damaged source's state file will hold."""
    cut = (state_dir / "thebell.json").read_bytes()
    shape = json.loads((state_dir / "afintl.json").read_text(encoding="utf-8"))
    shape["articles"] = {url: 1 for url in shape["articles"]}  # valid JSON, records of the wrong type
    return {"ankasam": b"\x00\x9f\x92garbage\xff{not json" * 40,
            "thebell": cut[: len(cut) // 2],
            "afintl": json.dumps(shape).encode()}


def test_corrupt_state_files_are_set_aside_and_nothing_is_indexed_or_mailed_twice(settings_for, site, sink,
                                                                                   mailbox_dir, baseline, caplog):
    settings = settings_for(sink.port, state_store="files")  # damaged files: the on-disk store
    run_pipeline(settings)
    assert_mailed_exactly_once(mailbox_dir, baseline.pairs)
    state_dir = settings.state_dir / "crawl"
    damaged = _corruptions(state_dir)
    for name, garbage in damaged.items():
        (state_dir / f"{name}.json").write_bytes(garbage)
    intact = set(pipeline.source_names(settings)) - set(damaged)

    site.reset_requests()
    with caplog.at_level(logging.ERROR, logger="newsmon.crawl.state"):
        reports = crawl_all(settings)
    log = site.requests
    for name, garbage in damaged.items():
        path = state_dir / f"{name}.json"
        errors = [r.getMessage() for r in caplog.records if str(path) in r.getMessage()]
        assert len(errors) == 1 and "is corrupt" in errors[0] and "moved it to" in errors[0], errors
        [aside] = state_dir.glob(f"{name}.json.corrupt-*")
        assert aside.read_bytes() == garbage and str(aside) in errors[0]
        assert crawl_state(settings, name)["articles"], "a fresh, readable state replaces it"
        assert reports[name]["fetched"] == baseline.fetched[name], reports[name]
        feeds = [r for r in log if r.path in discovery_paths(settings, name) and not r.path.endswith("robots.txt")]
        assert feeds and not [r for r in feeds if "If-None-Match" in r.headers], "validators were lost with it"
    for name in intact:
        assert reports[name]["fetched"] == 0 and reports[name]["feeds_unchanged"] >= 1, reports[name]
        assert not list(state_dir.glob(f"{name}.json.corrupt-*"))

    processed = process_all(settings)
    assert sum(p["created"] for p in processed) == 0, processed
    assert sum(p["updated"] for p in processed) == sum(
        1 for doc in baseline.docs.values() if doc["source"] in damaged)
    assert_indexed_exactly_once(settings, baseline.docs)
    again = pipeline.alert(settings)
    assert again["sent"] == 0 and again["already_sent"] > 0, again
    assert_mailed_exactly_once(mailbox_dir, baseline.pairs)

    # The fresh state files work: the run after finds nothing new anywhere.
    assert all(report["fetched"] == 0 for report in crawl_all(settings).values())
