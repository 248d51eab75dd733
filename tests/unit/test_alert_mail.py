"""Alert mail per recipient and event: both parts, the articles grouped by language and source, the rules named,
copies listed under their original, updates threaded, nothing from the page can inject HTML or headers."""

from __future__ import annotations

from newsmon.alerts.mail import build_event_mail
from newsmon.alerts.rules import AlertRule
from newsmon.settings import load_settings

RULES = [AlertRule(id="moscow_format", name="Moscow Format", match={"themes": ["moscow_format"]},
                   recipients=["desk@example.org"]),
         AlertRule(id="taliban_recognition", name="Recognition", match={"themes": ["recognition"]},
                   recipients=["desk@example.org"])]
EVENT = {"id": "ev-1", "titles": {"ru": "Московский формат собрался", "en": "Moscow Format meets"},
         "first_seen": "2025-10-06T09:00:00+00:00", "article_count": 3}


def _article(doc_id="a1", **fields) -> dict:
    base = {"_id": doc_id, "canonical_url": f"https://www.ankasam.org/en/{doc_id}/", "title": "Moscow Format meets",
            "source": "ankasam", "lang": "en", "published": "2025-10-06T10:00:00+00:00",
            "mentions": [{"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                          "snippet": "The Moscow Format met in Kazan.", "start": 4, "end": 17}]}
    return {**base, **fields}


def _mail(articles, seq=0, copies=None):
    return build_event_mail("desk@example.org", EVENT, articles, RULES, load_settings({}), "<m@newsmon>", seq,
                            "<first@newsmon>", copies)


def test_one_mail_per_event_names_its_rules_and_groups_articles_by_language_and_source():
    articles = [_article("a1"), _article("a2", lang="fa", source="afintl", title="نشست فرمت مسکو"),
                _article("a3", lang="ru", source="thebell", title="Московский формат")]
    message = _mail(articles)
    assert message["Subject"] == "[newsmon] Moscow Format meets"  # the English title when there is one
    assert message["X-Newsmon-Event"] == "ev-1" and message["X-Newsmon-Rules"] == "moscow_format taliban_recognition"
    assert message["To"] == "desk@example.org" and message["In-Reply-To"] is None
    plain = message.get_body(("plain",)).get_content()
    assert "Rules: Moscow Format (moscow_format), Recognition (taliban_recognition)" in plain
    assert plain.index("[en · ankasam]") < plain.index("[ru · thebell]") < plain.index("[fa · afintl]")
    assert "3 article(s) in en, ru, fa from afintl, ankasam, thebell" in plain
    html = message.get_body(("html",)).get_content()
    assert "<mark>Moscow Format</mark>" in html and "*Moscow Format*" in plain


def test_an_update_answers_the_first_mail_and_copies_are_listed_under_their_original():
    copy = _article("c1", source="newarab", canonical_url="https://www.newarab.com/news/copy")
    message = _mail([_article("a4")], seq=2, copies={"a4": [copy]})
    assert message["Subject"] == "Re: [newsmon] Moscow Format meets"
    assert message["In-Reply-To"] == message["References"] == "<first@newsmon>" and message["X-Newsmon-Update"] == "2"
    plain = message.get_body(("plain",)).get_content()
    assert "Update 2: 1 new article(s)" in plain
    assert "also, near-identical: newarab · https://www.newarab.com/news/copy" in plain


def test_page_content_cannot_inject_html_or_headers():
    evil = _article(title="Hi\r\nBcc: victim@example.org <script>alert(1)</script>",
                    canonical_url='https://x.org/"><script>', mentions=[
                        {"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                         "snippet": "<img src=x onerror=alert(1)> Moscow Format", "start": 0, "end": 1}])
    event = {**EVENT, "titles": {"en": "Evil\r\nBcc: x@y.org <b>"}}
    message = build_event_mail("desk@example.org", event, [evil], RULES, load_settings({}), "<k@newsmon>", 0, "<k@newsmon>")
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html and "&lt;img" in html


def test_rule_query_combines_lists_with_and():
    rule = AlertRule(id="r", name="R", match={"themes": ["recognition"], "actors": ["taliban"], "languages": ["ru"]},
                     recipients=["a@b.org"])
    assert rule.to_query() == {"bool": {"filter": [{"terms": {"themes": ["recognition"]}},
                                                   {"terms": {"actors": ["taliban"]}},
                                                   {"terms": {"lang": ["ru"]}}]}}
