"""The language table: every profile is complete, and every language round-trips through detection, matching,
the index mapping and the mail. Adding a language to ``newsmon/languages.py`` without what it needs fails here."""

from __future__ import annotations

import re

import pytest
import spacy

from newsmon.alerts.mail import build_event_mail
from newsmon.alerts.rules import AlertRule
from newsmon.index.mapping import article_mapping
from newsmon.language import detect_language, normalise_declared
from newsmon.languages import LANGUAGES, OTHER, PROFILES, SCRIPTS, language_order, profile
from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.matching.normalize import Normalizer
from newsmon.settings import PROJECT_ROOT, load_settings

#: A news sentence in each language naming the Taliban: what a new language's row must be able to read.
SAMPLES = {
    "en": "The Taliban delegation arrived on Tuesday for talks on trade, transit and border security.",
    "ru": "Делегация талибов прибыла во вторник на переговоры о торговле, транзите и безопасности границ.",
    "tr": "Taliban heyeti salı günü ticaret, transit ve sınır güvenliği görüşmeleri için geldi.",
    "fa": "هیئت طالبان روز سه‌شنبه برای گفت‌وگو درباره تجارت، ترانزیت و امنیت مرزها وارد شد.",
}


def test_every_profile_is_complete():
    codes = [p.code for p in PROFILES]
    assert len(set(codes)) == len(codes) and tuple(codes) == LANGUAGES and OTHER not in codes
    assert sorted(p.order for p in PROFILES) == list(range(len(PROFILES)))
    for language in PROFILES:
        assert re.fullmatch(r"[a-z]{2}", language.code) and language.name
        assert language.script in SCRIPTS and re.compile(language.alphabet)
        assert language.analyzer and language.declared_aliases and language.morphology.kind
        assert language.code not in language.confusers
        assert spacy.blank(language.spacy_lang).lang == language.spacy_lang
        Normalizer(language.code)  # its morphology is usable
        assert language.code in SAMPLES, f"add a sample sentence for {language.code} to this test"


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_language_round_trips_through_detection_matching_mapping_and_mail(code):
    language = profile(code)
    guess = detect_language(SAMPLES[code])
    assert guess.lang == code, guess
    assert all(normalise_declared(alias) == code for alias in language.declared_aliases)

    matcher = WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
    assert "taliban" in {m.id for m in matcher.match(SAMPLES[code], code)}

    properties = article_mapping()["properties"]
    assert properties[f"title_{code}"]["analyzer"] == properties[f"text_{code}"]["analyzer"] == language.analyzer

    rule = AlertRule(id="r", name="Rule", match={"actors": ["taliban"]}, recipients=["desk@example.org"])
    versions = [{"_id": p.code, "title": f"Story in {p.name}", "canonical_url": f"https://example.org/{p.code}",
                 "lang": p.code, "source": "s", "mentions": []} for p in sorted(PROFILES, key=lambda p: -p.order)]
    mail = build_event_mail("desk@example.org", {"id": "ev"}, versions, [rule], load_settings({}), "<m@newsmon>", 0,
                            "<m@newsmon>")
    body = mail.get_body(("plain",)).get_content()
    assert [line.strip() for line in body.splitlines() if line.strip().startswith("Story in ")] == \
        [f"Story in {p.name}" for p in sorted(PROFILES, key=lambda p: p.order)]


def test_unknown_languages_sort_last_and_are_refused_by_name():
    assert language_order("xx") == language_order(None) == len(PROFILES)
    with pytest.raises(KeyError, match="newsmon reads en, tr, ru, fa"):
        profile("xx")
