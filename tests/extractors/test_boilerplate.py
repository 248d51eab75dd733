"""No boilerplate string named in SOURCES.md survives extraction of any replay page; Persian ZWNJ does."""

from __future__ import annotations

import pytest

from newsmon.devstack.golden import GOLDEN_DIR, run_golden
from newsmon.settings import PROJECT_ROOT
from newsmon.sources import load_sources

REGISTRY = load_sources(PROJECT_ROOT / "config" / "sources.yaml")

#: Strings SOURCES.md names as boilerplate, per source (checked case-sensitively in the body text).
BOILERPLATE = {
    "ankasam": ["This post is also available in", "Paylaş", "Similar Posts", "[email protected]",
                "Date of Accession"],
    "newarab": ["Live Story", "Most Viewed", "5 min read", "The New Arab Staff", "Follow him on Twitter"],
    "thebell": ["Support The Bell", "The Bell's Newsletter", "Exclusively in your inbox every week",
                "Paid Members Public", "Members Public", "признаны в РФ иноагентами"],
    "afintl": ["__NEXT_DATA__", "{\"props\"", "بیشتر بخوانید", "عجله ندارد"],  # the "read more" box and its link
    "opsour": ["ABOUT OPSOUR", "DEPARTMENT GOALS", "info@opsour.com", "do not reflect the official policy"],
}
CASES = [(s.name, s.extractor, g) for s in REGISTRY.sources for g in sorted((GOLDEN_DIR / s.name).glob("*.json"))]


@pytest.mark.parametrize(("source", "extractor", "golden"), CASES, ids=[c[2].stem for c in CASES])
def test_no_boilerplate_in_body(source, extractor, golden):
    _, actual = run_golden(golden, extractor)
    for needle in BOILERPLATE[source]:
        assert needle not in actual["text"], f"{golden.name}: boilerplate {needle!r} in the body"
    assert not actual["title"].startswith(("Analysis:", "Comment:")), "genre prefixes go to section"


def test_every_source_has_boilerplate_rules():
    assert set(BOILERPLATE) == set(REGISTRY.names())


@pytest.mark.parametrize("golden", sorted((GOLDEN_DIR / "afintl").glob("*.json")), ids=lambda p: p.stem)
def test_persian_zwnj_survives(golden):
    _, actual = run_golden(golden, "afintl")
    if actual["declared_lang"] == "fa":
        assert "\u200c" in actual["text"]
