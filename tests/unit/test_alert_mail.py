"""Alert mail: both parts, highlighted mentions, nothing from the page can inject HTML or headers."""

from __future__ import annotations

from newsmon.alerts.mail import build_alert_mail
from newsmon.alerts.rules import AlertRule
from newsmon.settings import load_settings

RULE = AlertRule(id="moscow_format", name="Moscow Format", match={"themes": ["moscow_format"]},
                 recipients=["desk@example.org"])


def _article(**fields) -> dict:
    base = {"canonical_url": "https://www.ankasam.org/en/x/", "title": "Moscow Format meets", "source": "ankasam",
            "lang": "en", "published": "2024-10-04T10:00:00+00:00", "story_id": "s1",
            "mentions": [{"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                          "snippet": "The Moscow Format met in Kazan.", "start": 4, "end": 17}]}
    return {**base, **fields}


def test_mail_has_both_parts_and_highlights():
    message = build_alert_mail(RULE, [_article()], load_settings({}), "<k@newsmon>")
    assert message["Subject"] == "[newsmon] Moscow Format: Moscow Format meets"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "*Moscow Format*" in plain and "<mark>Moscow Format</mark>" in html
    assert message["Message-ID"] == "<k@newsmon>" and message["To"] == "desk@example.org"


def test_page_content_cannot_inject_html_or_headers():
    evil = _article(title="Hi\r\nBcc: victim@example.org <script>alert(1)</script>",
                    canonical_url='https://x.org/"><script>', mentions=[
                        {"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                         "snippet": "<img src=x onerror=alert(1)> Moscow Format", "start": 0, "end": 1}])
    message = build_alert_mail(RULE, [evil], load_settings({}), "<k@newsmon>")
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html and "&lt;img" in html


def test_translations_are_listed_in_one_mail():
    versions = [_article(), _article(lang="tr", title="Moskova Formatı", canonical_url="https://www.ankasam.org/x/"),
                _article(lang="ru", title="Московский формат", canonical_url="https://www.ankasam.org/ru/x/")]
    plain = build_alert_mail(RULE, versions, load_settings({}), "<k@newsmon>").get_body(("plain",)).get_content()
    assert "3 language versions: en, tr, ru" in plain and "Московский формат" in plain


def test_rule_query_combines_lists_with_and():
    rule = AlertRule(id="r", name="R", match={"themes": ["recognition"], "actors": ["taliban"], "languages": ["ru"]},
                     recipients=["a@b.org"])
    assert rule.to_query() == {"bool": {"filter": [{"terms": {"themes": ["recognition"]}},
                                                   {"terms": {"actors": ["taliban"]}},
                                                   {"terms": {"lang": ["ru"]}}]}}
