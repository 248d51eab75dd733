"""Digest mail: one mail for one rule listing several stories with their translations, everything escaped."""

from __future__ import annotations

from newsmon.alerts.mail import build_digest_mail
from newsmon.alerts.rules import AlertRule
from newsmon.settings import load_settings

RULE = AlertRule(id="weekly", name="Moscow Format weekly", match={"themes": ["moscow_format"]},
                 recipients=["desk@example.org", "b@example.org"], mode="digest", schedule="weekly")


def _article(story: str, lang: str = "en", title: str = "Moscow Format meets", **fields) -> dict:
    return {"canonical_url": f"https://www.ankasam.org/{lang}/{story}/", "title": title, "source": "ankasam",
            "lang": lang, "published": "2024-10-04T10:00:00+00:00", "story_id": story,
            "mentions": [{"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                          "snippet": "The Moscow Format met in Kazan.", "start": 4, "end": 17}], **fields}


def test_one_mail_lists_every_story_and_its_translations():
    stories = [[_article("s1"), _article("s1", "tr", "Moskova Formatı"), _article("s1", "ru", "Московский формат")],
               [_article("s2", title="Second story")]]
    message = build_digest_mail(RULE, stories, load_settings({}), "<digest-x@newsmon>", "until 2026-01-05 06:00 UTC")
    assert message["Subject"] == "[newsmon] Moscow Format weekly: digest of 2 stories"
    assert message["X-Newsmon-Stories"] == "s1 s2" and message["X-Newsmon-Story"] == "digest"
    assert message["To"] == "desk@example.org, b@example.org" and message["Message-ID"] == "<digest-x@newsmon>"
    plain = message.get_body(("plain",)).get_content()
    assert "1. Moscow Format meets" in plain and "2. Second story" in plain
    assert "3 language versions: en, tr, ru" in plain and "Московский формат" in plain
    assert "until 2026-01-05 06:00 UTC" in plain
    html = message.get_body(("html",)).get_content()
    assert html.count("<h2>") == 2 and "<mark>Moscow Format</mark>" in html


def test_digest_escapes_everything_from_the_page():
    evil = _article("s1", title="Hi\r\nBcc: victim@example.org <script>x()</script>",
                    canonical_url='https://x.org/"><script>')
    message = build_digest_mail(RULE, [[evil]], load_settings({}), "<d@newsmon>", "since 2025-01-01")
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
