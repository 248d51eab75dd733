"""The monitor page renders hostile crawled text as text, and Elasticsearch failures as 503s.

The data here is a fake of :class:`~newsmon.monitor.service.MonitorService` and authentication is overridden;
tests/integration/test_monitor_api.py runs the real service and Airflow's real authentication.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from newsmon.errors import ServiceUnavailable
from newsmon.monitor.app import create_app
from newsmon.monitor.auth import airflow_user
from newsmon.monitor.marks import segments_from_highlight, segments_html
from newsmon.monitor.mentions_chart import mentions_chart
from newsmon.settings import load_settings

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'
MARKED = segments_from_highlight(f"before {EVIL} \ue000Kabulov\ue001 after")


def _sources(with_articles: bool = True) -> dict:
    return {"index": "newsmon-articles", "index_exists": True, "generated_at": "2026-03-01T12:00:00+00:00",
            "daily": [{"day": "2026-03-01", "total": 2, "counts": {"en": 2}}] if with_articles else None,
            "sources": [{"name": "evil", "title": EVIL, "configured": True, "status": "failed",
                         "last_run": {"ok": False, "finished": "2026-03-01T06:00:00+00:00", "error": EVIL},
                         "last_success": None, "last_checked": None, "feeds_checked": 1, "feeds_unchanged": 0,
                         "feeds_failed": 1, "feeds_with_problems": 0,
                         "feeds": [{"url": f"https://evil.example/{EVIL}", "configured": True, "status": "failed",
                                    "last_checked": None, "error": EVIL}],
                         "warnings": [{"kind": "feed-failed", "message": EVIL}],
                         "operator_alerts": {
                             "open": [{"check": "feeds-failing", "title": "feeds failing", "message": EVIL,
                                       "opened_at": "2026-03-01T06:00:00+00:00"}],
                             "history": [{"check": "feeds-failing", "title": "feeds failing", "transition": "started",
                                          "status": "pending", "at": "2026-03-01T06:00:00+00:00",
                                          "destination": "ops@example.org", "sent_at": None, "last_error": EVIL}]},
                         "articles_24h": {"en": 2} if with_articles else None, "articles_7d": None,
                         "newest_published": None, "usual_gap_days": None}]}


def _article(**extra) -> dict:
    return {"id": "a", "title": EVIL, "lang": "en", "source": "evil", "url": "javascript:alert(1)",
            "published": None, **extra}


def _alerts(**_) -> dict:
    return {"threads": "t", "threads_exist": True, "mail_counts": {}, "mails": [{
        "key": "m", "recipient": f"{EVIL}@example.org", "event_id": "ev-1", "event_title": EVIL, "update": 1,
        "status": "pending", "state": "failed", "rules": ["r"], "rule_names": {"r": EVIL}, "subject": EVIL,
        "claimed_at": "2026-03-01T06:00:00+00:00", "sent_at": None, "attempts": 1, "error": EVIL,
        "message_id": None, "articles": [_article(alerted=True, missing=False)]}],
            "ledger": "l", "ledger_exists": True, "counts": {}, "alerts": [{
        "key": "k", "rule_id": "r", "rule_name": EVIL, "story_id": "s", "status": "pending", "state": "failed",
        "recipients": [f"{EVIL}@example.org"], "subject": EVIL, "claimed_at": "2026-03-01T06:00:00+00:00",
        "sent_at": None, "attempts": 1, "error": EVIL, "digest_id": None,
        "articles": [{"id": "a", "title": EVIL, "lang": "en", "source": "evil", "url": "javascript:alert(1)",
                      "alerted": True, "missing": False}]}]}


def _events(**_) -> dict:
    return {"index": "e", "since": None, "events": [{
        "id": "ev-1", "title": EVIL, "titles": {"en": EVIL, "ru": EVIL + " ru"}, "first_seen": None,
        "last_seen": None, "languages": ["en"], "sources": [EVIL], "article_count": 1, "duplicate_count": 0,
        "themes": [], "actors": [], "kibana_url": "javascript:alert(1)",
        "articles": [{"lang": "en", "sources": [{"source": EVIL, "articles": [_article(duplicate_of=None)]}]}],
        "rules": [{"id": "r", "name": EVIL, "articles": 1}],
        "mails": [{"key": "m", "recipient": EVIL, "update": 0, "status": "sent", "state": "sent", "subject": EVIL,
                   "rules": ["r"], "articles": 1, "claimed_at": None, "sent_at": None, "error": None}]}]}


def _mentions(**_) -> dict:
    days = [(date(2026, 1, 18) + timedelta(days=n)).isoformat() for n in range(42)]  # to 28 February
    return mentions_chart({"days": days, "actors": {"a": [0] * 41 + [9]}, "themes": {}}, {"a": EVIL})


def _search(query: str, lang: str | None = None, size: int = 10) -> dict:
    return {"query": query, "lang": lang, "kibana_url": "http://kibana:5601/app/discover#/", "total": 1,
            "names": {"actors": [EVIL], "themes": []}, "names_error": EVIL, "hits": [{
        "id": "a", "title": EVIL, "title_segments": MARKED, "url": "javascript:alert(1)", "source": "evil",
        "lang": "en", "published": None, "highlights": [{"segments": MARKED, "html": segments_html(MARKED)}],
        "mentions": [{"id": "zamir_kabulov", "kind": "actor", "segments": MARKED}]}]}


@pytest.fixture
def app():
    app = create_app(load_settings({}))
    app.dependency_overrides[airflow_user] = lambda: "tester"
    service = app.state.service
    service.client = lambda: None
    service.sources, service.alerts, service.search = _sources, _alerts, _search
    service.events, service.mentions = _events, _mentions
    return app


def test_hostile_text_is_escaped_everywhere_and_only_marks_are_added(app):
    page = TestClient(app).get("/", params={"q": EVIL})
    assert page.status_code == 200
    body = page.text
    assert "<script" not in body.lower() and "<img" not in body.lower() and "javascript:" not in body
    assert body.count("&lt;script&gt;") >= 20
    tree = lxml_html.fromstring(body)
    assert [m.text for m in tree.xpath("//mark")] == ["Kabulov"] * 3  # title, highlight, mention
    assert tree.xpath('//input[@id="search-q"]/@value') == [EVIL]
    assert tree.xpath('//ol[@id="search-results"]/li//a[@class="hit-title"]/@href') == [""]
    assert tree.xpath('//tr[@data-source="evil"]//li[contains(@class, "feed-failed")]/@data-feed-url') == [
        f"https://evil.example/{EVIL}"]
    assert tree.xpath('string(//tr[@data-state="failed"]//div[@class="alert-error"])') == EVIL
    assert tree.xpath('string(//table[@id="mails"]//tr[@data-state="failed"]//div[@class="mail-error"])') == EVIL
    [event] = tree.xpath('//table[@id="events"]//tr[@data-event="ev-1"]')
    assert event.xpath('string(.//strong[@class="event-title"])') == EVIL
    assert event.xpath('.//a/@href') == ["", ""]  # neither the Kibana link nor the article's javascript: URL
    assert event.xpath('string(.//div[@data-lang="ru"])') == f"ru: {EVIL} ru"
    [chart] = tree.xpath('//figure[@id="mentions-actors-chart"]/*[local-name()="svg"]')
    assert chart.xpath('string(.//*[local-name()="g"]/@data-label)') == EVIL
    assert tree.xpath('//ul[@id="spikes"]/li/@data-day') == ["2026-02-28"]
    assert tree.xpath('string(//p[@id="search-names-error"])') == EVIL
    [alert] = tree.xpath('//tr[@data-source="evil"]//li[@class="operator-alert"]')
    assert alert.get("data-check") == "feeds-failing" and alert.text_content().endswith(EVIL)
    [notice] = tree.xpath('//tr[@data-source="evil"]//li[@class="operator-notice"]')
    assert notice.get("data-transition") == "started" and notice.get("data-status") == "pending"
    assert notice.xpath('string(.//span[@class="operator-error"])') == EVIL


def test_elasticsearch_down_shows_the_message_and_the_crawl_state(app):
    def down():
        raise ServiceUnavailable(f"Elasticsearch at http://es:9200 is unreachable ({EVIL})")

    app.state.service.client = down
    page = TestClient(app).get("/")
    assert page.status_code == 503 and "<script" not in page.text
    tree = lxml_html.fromstring(page.text)
    assert EVIL in tree.xpath('string(//p[@id="es-error"])')
    assert tree.xpath('//tr[@data-source="evil"]') and not tree.xpath('//table[@id="alerts"]')


def test_json_endpoints_answer_503_with_the_error(app):
    def down(*_, **__):
        raise ServiceUnavailable("Elasticsearch at http://es:9200 is unreachable; start it")

    service = app.state.service
    service.sources = service.alerts = service.search = service.events = service.mentions = down
    client = TestClient(app)
    for path in ("/api/sources", "/api/alerts", "/api/search?q=x", "/api/events", "/api/mentions"):
        answer = client.get(path)
        assert answer.status_code == 503 and answer.json() == {
            "error": "Elasticsearch at http://es:9200 is unreachable; start it"}
    assert client.get("/api/search", params={"q": "x", "lang": "de"}).status_code == 422
    assert client.get("/api/events", params={"since": "last week"}).status_code == 422
