"""Digest mail: one mail for one rule listing several events with their articles, everything escaped."""

from __future__ import annotations

from newsmon.alerts.mail import build_digest_mail
from newsmon.alerts.rules import AlertRule
from newsmon.settings import load_settings

RULE = AlertRule(id="weekly", name="Moscow Format weekly", match={"themes": ["moscow_format"]},
                 recipients=["desk@example.org", "b@example.org"], mode="digest", schedule="weekly")


def _article(doc_id: str, lang: str = "en", title: str = "Moscow Format meets", **fields) -> dict:
    return {"_id": doc_id, "canonical_url": f"https://www.ankasam.org/{lang}/{doc_id}/", "title": title,
            "source": "ankasam", "lang": lang, "published": "2024-10-04T10:00:00+00:00",
            "mentions": [{"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                          "snippet": "The Moscow Format met in Kazan.", "start": 4, "end": 17}], **fields}


def test_one_mail_lists_every_event_and_its_articles():
    events = [({"id": "ev-1", "titles": {"en": "Moscow Format meets"}},
               [_article("a1"), _article("a2", "tr", "Moskova Formatı"), _article("a3", "ru", "Московский формат")]),
              ({"id": "ev-2", "titles": {"en": "Second event"}}, [_article("b1", title="Second event")])]
    message = build_digest_mail(RULE, events, load_settings({}), "<digest-x@newsmon>", "until 2026-01-05 06:00 UTC")
    assert message["Subject"] == "[newsmon] Moscow Format weekly: digest of 2 events"
    assert message["X-Newsmon-Events"] == "ev-1 ev-2" and message["X-Newsmon-Rule"] == "weekly"
    assert message["To"] == "desk@example.org, b@example.org" and message["Message-ID"] == "<digest-x@newsmon>"
    plain = message.get_body(("plain",)).get_content()
    assert "1. Moscow Format meets" in plain and "2. Second event" in plain
    assert "3 article(s) in en, ru, tr" in plain and "Московский формат" in plain
    assert "until 2026-01-05 06:00 UTC" in plain
    html = message.get_body(("html",)).get_content()
    assert html.count("<h2>") == 2 and "<mark>Moscow Format</mark>" in html


def test_digest_escapes_everything_from_the_page():
    evil = _article("s1", title="Hi\r\nBcc: victim@example.org <script>x()</script>",
                    canonical_url='https://x.org/"><script>')
    message = build_digest_mail(RULE, [({"id": "ev"}, [evil])], load_settings({}), "<d@newsmon>", "since 2025-01-01")
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
