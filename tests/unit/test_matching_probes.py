"""The probes of tests/data/matching/probes.yaml: one short text of our own per class of text met in the rounds of
real coverage, and what the matcher must find in it. The table says what each row checks; this module only reads
it, checks that every id it names is a watchlist id, and runs each text once."""

from __future__ import annotations

import pytest
import yaml

from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.settings import PROJECT_ROOT

PROBES = PROJECT_ROOT / "tests" / "data" / "matching" / "probes.yaml"
WATCHLIST = load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml")
CHECKS = ("finds", "misses", "themes_exactly", "actors_exactly", "found_exactly")


def probe_texts() -> list:
    entries = yaml.safe_load(PROBES.read_text(encoding="utf-8"))
    return [
        pytest.param(entry, text, id=f"r{entry['round']}-{number}.{line}-{text['lang']}".replace(" ", ""))
        for number, entry in enumerate(entries, start=1)
        for line, text in enumerate(entry["texts"], start=1)
    ]


TEXTS = probe_texts()


@pytest.fixture(scope="module")
def matcher() -> WatchlistMatcher:
    return WatchlistMatcher(WATCHLIST)


def test_the_table_names_only_watchlist_ids_and_known_checks():
    known = {a.id for a in WATCHLIST.actors} | {t.id for t in WATCHLIST.themes}
    for param in TEXTS:
        entry, text = param.values
        assert set(entry) == {"round", "why", "texts"}, param.id
        assert text["lang"] in ("en", "tr", "ru", "fa") and text["text"].strip(), param.id
        checks = set(text) - {"lang", "text"}
        assert checks and checks <= set(CHECKS), f"{param.id}: {sorted(checks)}"
        for check in checks:
            assert set(text[check]) <= known, f"{param.id}: {check} names {sorted(set(text[check]) - known)}"


def test_the_table_holds_every_probe():
    # the 522 texts moved here from the round-class functions of test_matching_mechanisms.py, the 40 added with
    # rounds 85-90's rules, the 95 with rounds 91-100's and dev17-19's, the 62 with rounds 101-108's and dev20's and the
    # 83 with the third session on rounds 101-116 and dev20-23 and the 22 with the fourth on rounds 117-119 and dev24-25 and
    # the 29 with the fifth on rounds 120-125 and the 54 with the sixth on rounds 126-127 and dev26-30; a
    # row goes only with its rule, and the commit that drops the rule says so
    assert len(TEXTS) >= 907


@pytest.mark.parametrize(("entry", "text"), TEXTS)
def test_probe(matcher, entry, text):
    mentions = matcher.match(text["text"], text["lang"])
    found = {m.id for m in mentions}
    why = f"round {entry['round']}: {entry['why']}"
    assert set(text.get("finds", [])) <= found, why
    assert not set(text.get("misses", [])) & found, why
    if "themes_exactly" in text:
        assert {m.id for m in mentions if m.kind == "theme"} == set(text["themes_exactly"]), why
    if "actors_exactly" in text:
        assert {m.id for m in mentions if m.kind == "actor"} == set(text["actors_exactly"]), why
    if "found_exactly" in text:
        assert found == set(text["found_exactly"]), why
