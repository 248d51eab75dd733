"""Every source of the registry has golden pages, and its extractor reproduces them exactly."""

from __future__ import annotations

import pytest

from newsmon.devstack.golden import golden_files, run_golden
from newsmon.settings import PROJECT_ROOT
from newsmon.sources import load_sources

REGISTRY = load_sources(PROJECT_ROOT / "config" / "sources.yaml")


@pytest.mark.parametrize("source", REGISTRY.sources, ids=lambda s: s.name)
def test_source_has_golden_files(source):
    assert golden_files(source.name), (f"source {source.name} has no golden files in tests/fixtures/golden/"
                                      f"{source.name}/: add pages and run scripts/regenerate_golden.py")


@pytest.mark.parametrize(
    ("golden", "extractor"),
    [(g, s.extractor) for s in REGISTRY.sources for g in golden_files(s.name)],
    ids=lambda v: getattr(v, "stem", v),
)
def test_golden_page(golden, extractor):
    expected, actual = run_golden(golden, extractor)
    for field in expected:
        assert actual[field] == expected[field], f"{golden.name}: {field} differs"
