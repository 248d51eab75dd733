"""The monitor page and its JSON endpoints on real data: the replay site crawled, processed and alerted on
(real Elasticsearch and SMTP), a source whose feeds fail, a source gone quiet and a hostile article.

Requests go through Airflow's real authentication: the SimpleAuthManager of the test Airflow home signs the
tokens, and the app checks them as it does inside ``airflow api-server`` (see also tests/dags/test_plugins.py,
which mounts the plugin in Airflow's own API app).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from newsmon import pipeline
from newsmon.alerts.rules import load_rules
from newsmon.devstack.airflow_runner import migrate_database
from newsmon.devstack.replay import REPLAY_SOURCES, replay_settings
from newsmon.devstack.smtp_sink import SmtpSink
from newsmon.errors import ServiceUnavailable
from newsmon.index import ArticleStore, connect, search_articles
from newsmon.models import Article, Mention
from newsmon.monitor import URL_PREFIX
from newsmon.monitor.app import create_app
from newsmon.settings import Settings, load_settings
from newsmon.sources import load_registry

pytestmark = pytest.mark.integration

HOSTILE_TITLE = "<script>alert(1)</script> Moscow Format envoys meet in Kazan"
HOSTILE_TEXT = ("The Moscow Format envoys met in Kazan <img src=x onerror=alert(1)> behind closed doors. "
                "Observers called the Kazan round <b>decisive</b>. ") * 3
QUIET_DAYS = 10
DEAD_SOURCE = """
  - name: deadfeed
    title: A source whose feeds fail
    homepage: https://dead.example/
    domains: [dead.example]
    languages: [en]
    feeds:
      - {url: "https://dead.example/feed/"}
      - {url: "https://dead.example/rss"}
    politeness: {min_delay_seconds: 0.0, max_pages_per_run: 10, timeout_seconds: 5}
"""


@dataclass
class Monitored:
    settings: Settings
    first_alerts: dict
    now: datetime


def _hostile_article(now: datetime) -> Article:
    start = HOSTILE_TEXT.index("Moscow Format")
    return Article(url="https://www.ankasam.org/en/hostile/", canonical_url="https://www.ankasam.org/en/hostile/",
                   source="ankasam", title=HOSTILE_TITLE, text=HOSTILE_TEXT, lang="en", published=now,
                   mentions=[Mention(id="moscow_format", kind="theme", surface="Moscow Format", start=start,
                                     end=start + len("Moscow Format"),
                                     snippet="<img src=x onerror=alert(1)> the Moscow Format envoys met")])


def _quiet_articles(now: datetime) -> list[Article]:
    """A daily source whose newest article is QUIET_DAYS old."""
    articles = []
    for age in range(QUIET_DAYS, QUIET_DAYS + 30):
        url = f"https://quiet.example/report-{age}/"
        articles.append(Article(url=url, canonical_url=url, source="quietnews", title=f"Weather report {age}",
                                text="Sunny with light winds over the valley. " * 10, lang="en",
                                published=now - timedelta(days=age)))
    return articles


@pytest.fixture(scope="module")
def monitored(elasticsearch_url, replay_server, tmp_path_factory) -> Monitored:
    """Replay sources plus ``deadfeed`` crawled; articles processed; alerts mailed; then a hostile article
    (whose mail fails: SMTP down) and a quiet source indexed."""
    home = tmp_path_factory.mktemp("monitor")
    sources_file = home / "sources.yaml"
    real = REPLAY_SOURCES.read_text(encoding="utf-8")
    sources_file.write_text(real.rstrip("\n") + "\n" + DEAD_SOURCE, encoding="utf-8")
    with SmtpSink(home / "mailbox") as sink:
        settings = load_settings({**replay_settings(replay_server.base_url),
                                  "NEWSMON_SOURCES_FILE": str(sources_file),
                                  "NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
                                  "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}",
                                  "NEWSMON_DATA_DIR": str(home / "data"), "NEWSMON_SMTP_HOST": sink.host,
                                  "NEWSMON_SMTP_PORT": str(sink.port),
                                  "NEWSMON_KIBANA_URL": "http://kibana.example:5601"})
        failed = []
        for name in pipeline.source_names(settings):
            try:
                pipeline.crawl(name, settings)
            except ServiceUnavailable:
                failed.append(name)
        assert failed == ["deadfeed"]
        for batch in pipeline.pending_batches(settings):
            pipeline.process_batch(batch, settings)
        first_alerts = pipeline.alert(settings)
        assert first_alerts["sent"] == len(sink.messages()) > 0
    now = datetime.now(UTC)
    store = ArticleStore(connect(settings), settings.index_alias)
    store.index_articles([_hostile_article(now), *_quiet_articles(now)])
    with pytest.raises(ServiceUnavailable, match="stay pending"):
        pipeline.alert(settings.model_copy(update={"smtp_port": 1}))  # nothing listens there
    return Monitored(settings, first_alerts, now)


@pytest.fixture(scope="module")
def auth_manager():
    """Airflow's auth manager (SimpleAuthManager), on a migrated metadata database (revoked tokens live there)."""
    migrate_database(Path(os.environ["AIRFLOW_HOME"]))
    from airflow.api_fastapi.app import create_auth_manager

    manager = create_auth_manager()
    manager.init()
    return manager


def _token(auth_manager, role: str | None = "viewer") -> str:
    from airflow.api_fastapi.auth.managers.simple.user import SimpleAuthManagerUser

    return auth_manager.generate_jwt(SimpleAuthManagerUser(username=f"someone-{role}", role=role))


def _client(settings: Settings, token: str | None = None) -> TestClient:
    """The monitor mounted where Airflow mounts it; ``token`` sent as the Airflow UI's ``_token`` cookie."""
    parent = FastAPI()
    parent.mount(URL_PREFIX, create_app(settings))
    client = TestClient(parent, follow_redirects=False)
    if token:
        client.cookies.set("_token", token)
    return client


@pytest.fixture(scope="module")
def api(monitored, auth_manager) -> TestClient:
    return _client(monitored.settings, _token(auth_manager))


def _row(page: str, selector_xpath: str) -> list:
    return lxml_html.fromstring(page).xpath(selector_xpath)


def _cls(name: str) -> str:
    """XPath for "has the class ``name``" (the CSS selector ``.name``)."""
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def test_anonymous_and_unauthorised_requests_are_refused(monitored, auth_manager):
    anonymous = _client(monitored.settings)
    for path in ("/api/sources", "/api/alerts", "/api/search?q=Kabulov", "/api/events", "/api/mentions"):
        answer = anonymous.get(URL_PREFIX + path)
        assert answer.status_code == 401 and answer.json() == {"detail": "Not authenticated"}, path
    page = anonymous.get(URL_PREFIX + "/")
    assert page.status_code == 303 and page.headers["location"].startswith("/auth/login?next=")
    assert "newsmon" in page.headers["location"]
    forged = _client(monitored.settings, "not.a.jwt")
    assert forged.get(URL_PREFIX + "/api/sources").status_code == 403
    no_role = _client(monitored.settings, _token(auth_manager, role=None))
    assert no_role.get(URL_PREFIX + "/api/sources").status_code == 403
    bearer = anonymous.get(URL_PREFIX + "/api/sources",
                           headers={"Authorization": f"Bearer {_token(auth_manager, 'admin')}"})
    assert bearer.status_code == 200 and bearer.json()["sources"]


def test_sources_report_the_article_counts_elasticsearch_holds(monitored, api):
    settings, es = monitored.settings, connect(monitored.settings)
    answer = api.get(URL_PREFIX + "/api/sources")
    assert answer.status_code == 200
    rows = {row["name"]: row for row in answer.json()["sources"]}
    registry = load_registry(settings)
    assert set(registry.names()) | {"quietnews"} == set(rows)
    for source in registry.sources:
        row = rows[source.name]
        expected_total = es.count(index=settings.index_alias, query={"term": {"source": source.name}})["count"]
        assert row["articles_total"] == expected_total
        for field, since in (("articles_24h", "now-24h"), ("articles_7d", "now-7d")):
            langs = es.search(index=settings.index_alias, size=0, query={"bool": {"filter": [
                {"term": {"source": source.name}}, {"range": {"indexed_at": {"gte": since}}}]}},
                aggs={"l": {"terms": {"field": "lang"}}})["aggregations"]["l"]["buckets"]
            assert row[field] == {b["key"]: b["doc_count"] for b in langs}, (source.name, field)
        if source.name == "deadfeed":
            continue
        assert expected_total > 0 and row["status"] != "failed", row["warnings"]
        assert not {"run-failed", "feed-failed", "no-articles"} & {w["kind"] for w in row["warnings"]}
        assert row["last_success"] and row["last_run"]["ok"] is True
        # Every configured feed or listing, and the sitemaps a sitemap index named, checked and not failed.
        assert row["feeds_checked"] == len(row["feeds"]) >= len(source.feeds) + len(source.listings)
        assert row["feeds_failed"] == 0 and all(f["status"] in ("ok", "ok-with-problems") for f in row["feeds"])
    page = api.get(URL_PREFIX + "/")
    assert page.status_code == 200
    for name, row in rows.items():
        [cell] = _row(page.text, f'//table[@id="sources"]//tr[@data-source="{name}"]/td[@class="articles-24h"]')
        shown = {span.get("data-lang"): int(span.text_content().split()[-1]) for span in cell.xpath("span")}
        assert shown == row["articles_24h"], name
    daily = answer.json()["daily"]
    assert sum(day["total"] for day in daily) == es.count(index=settings.index_alias)["count"]


def test_a_failed_feed_shows_with_its_error(api):
    rows = {row["name"]: row for row in api.get(URL_PREFIX + "/api/sources").json()["sources"]}
    dead = rows["deadfeed"]
    assert dead["status"] == "failed" and dead["last_success"] is None
    assert dead["last_run"]["ok"] is False and "every feed/listing failed" in dead["last_run"]["error"]
    feeds = {feed["url"]: feed for feed in dead["feeds"]}
    assert len(feeds) == 2 and all(feed["status"] == "failed" for feed in feeds.values())
    missing = next(url for url in feeds if "dead.example/feed/" in url)
    assert "404" in feeds[missing]["error"]
    assert feeds["https://dead.example/rss"]["error"]
    assert {"run-failed", "feed-failed"} <= {w["kind"] for w in dead["warnings"]}
    page = api.get(URL_PREFIX + "/").text
    shown = _row(page, f'//tr[@data-source="deadfeed"]//li[{_cls("feed-failed")}]')
    assert {li.get("data-feed-url") for li in shown} == set(feeds)
    assert all(li.xpath('.//span[@class="feed-error"]') for li in shown)


def test_a_quiet_source_is_flagged_against_its_usual_rate(api):
    rows = {row["name"]: row for row in api.get(URL_PREFIX + "/api/sources").json()["sources"]}
    quiet = rows["quietnews"]
    assert quiet["configured"] is False and quiet["quiet"] is True
    assert int(quiet["days_since_newest"]) == QUIET_DAYS and quiet["usual_gap_days"] == 1.0
    assert f"quiet for {QUIET_DAYS} days" in next(w["message"] for w in quiet["warnings"] if w["kind"] == "quiet")
    page = api.get(URL_PREFIX + "/").text
    assert _row(page, f'//tr[@data-source="quietnews"]//li[{_cls("warning-quiet")}]')


def test_alert_mails_show_recipient_event_update_state_and_articles(monitored, api):
    settings, es = monitored.settings, connect(monitored.settings)
    answer = api.get(URL_PREFIX + "/api/alerts", params={"size": 200}).json()
    rules = {rule.id: rule for rule in load_rules(settings.alert_rules_file)}
    mails = {(m["recipient"], m["event_id"], m["update"]): m for m in answer["mails"]}
    assert len(mails) == len(answer["mails"]) == sum(answer["mail_counts"]["mail"].values())
    for sent in monitored.first_alerts["mails"]:
        row = mails[(sent["recipient"], sent["event_id"], sent["update"])]
        assert row["state"] == "sent" and row["sent_at"] and row["subject"] == sent["subject"]
        assert row["rules"] == sent["rules"] and row["rule_names"] == {r: rules[r].name for r in sent["rules"]}
        alerted = [a for a in row["articles"] if a["alerted"]]
        assert len(alerted) == sent["articles"] and sorted({a["lang"] for a in alerted}) == sent["languages"]
        assert all(a["event_id"] == sent["event_id"] for a in row["articles"])
    assert any(len({a["lang"] for a in m["articles"]}) > 1 for m in answer["mails"]), "an event in two languages"
    [failed] = [m for m in answer["mails"] if m["state"] == "failed"]
    assert failed["articles"][0]["title"] == HOSTILE_TITLE and failed["sent_at"] is None and failed["update"] == 0
    held = es.get(index=answer["threads"], id=failed["key"])["_source"]
    assert failed["status"] == held["status"] == "pending" and failed["attempts"] == held["attempts"] == 1
    assert failed["error"] == held["last_error"] and failed["error"]
    # The replay's rules are immediate: the ledger holds their matches as `immediate` entries, which are the
    # mails above, so the digest and history list is empty unless asked for them.
    assert answer["alerts"] == [] and answer["ledger_exists"] is True
    assert {s for by_status in answer["counts"].values() for s in by_status} == {"immediate"}
    immediate = api.get(URL_PREFIX + "/api/alerts", params={"size": 200, "status": "immediate"}).json()["alerts"]
    assert len(immediate) == sum(n for by_status in answer["counts"].values() for n in by_status.values())
    assert all(a["event_id"] and a["article_id"] and a["state"] == "immediate" for a in immediate)
    one_rule = api.get(URL_PREFIX + "/api/alerts", params={"size": 200, "rule": "taliban_recognition"}).json()
    assert one_rule["mails"] and all("taliban_recognition" in m["rules"] for m in one_rule["mails"])
    page = api.get(URL_PREFIX + "/").text
    rows = _row(page, f'//table[@id="mails"]//tr[{_cls("mail")}]')
    assert len(rows) == min(30, len(answer["mails"]))
    [failed_row] = [r for r in rows if r.get("data-state") == "failed"]
    assert failed_row.xpath('string(.//div[@class="mail-error"])') == failed["error"]
    sent_row = next(r for r in rows if r.get("data-state") == "sent")
    assert "@" in sent_row.xpath('string(.//td[@class="mail-recipient"])')
    assert sent_row.xpath('string(.//td[@class="mail-sent"])').split()[0][:4].isdigit()
    assert _row(page, '//p[@id="alerts-empty"]')


def test_events_show_articles_per_language_and_source_rules_and_mails(monitored, api):
    settings, es = monitored.settings, connect(monitored.settings)
    answer = api.get(URL_PREFIX + "/api/events", params={"size": 200}).json()
    events = answer["events"]
    assert answer["index"] == settings.index_alias + "-events"
    assert len(events) == es.count(index=answer["index"])["count"] > 0
    assert [e["last_seen"] for e in events] == sorted((e["last_seen"] for e in events), reverse=True)
    ledger = es.search(index=settings.index_alias + "-alert-ledger", size=1000)["hits"]["hits"]
    threads = es.search(index=settings.index_alias + "-alert-threads", size=1000,
                        query={"term": {"kind": "mail"}})["hits"]["hits"]
    for event in events:
        stored = es.search(index=settings.index_alias, size=100, query={"term": {"event_id": event["id"]}},
                           source=["lang", "source"])["hits"]["hits"]
        shown = [(g["lang"], s["source"], a["id"]) for g in event["articles"] for s in g["sources"]
                 for a in s["articles"]]
        assert sorted(shown) == sorted((h["_source"]["lang"], h["_source"]["source"], h["_id"]) for h in stored)
        assert [g["lang"] for g in event["articles"]] == [lang for lang in event["languages"]]
        assert event["article_count"] == len(stored)
        matched = {}
        for entry in (h["_source"] for h in ledger if h["_source"].get("event_id") == event["id"]):
            matched.setdefault(entry["rule_id"], set()).add(entry["article_id"])
        assert {r["id"]: r["articles"] for r in event["rules"]} == {r: len(a) for r, a in matched.items()}
        own = [h["_source"] for h in threads if h["_source"]["event_id"] == event["id"]]
        assert sorted((m["recipient"], m["update"], m["subject"]) for m in event["mails"]) == sorted(
            (m["recipient"], m["seq"], m.get("subject")) for m in own)
    multilingual = [e for e in events if len(e["articles"]) > 1]
    assert multilingual and all(e["mails"] and e["rules"] for e in multilingual)
    [hostile] = [e for e in events if e["title"] == HOSTILE_TITLE]
    assert [m["state"] for m in hostile["mails"]] == ["failed"] and [r["id"] for r in hostile["rules"]] == [
        "moscow_format"]
    since = events[2]["last_seen"][:10]
    recent = api.get(URL_PREFIX + "/api/events", params={"since": since, "size": 200}).json()["events"]
    assert recent and all(e["last_seen"][:10] >= since for e in recent)
    assert len(recent) == sum(1 for e in events if e["last_seen"][:10] >= since)
    assert api.get(URL_PREFIX + "/api/events", params={"since": "yesterday"}).status_code == 422
    page = api.get(URL_PREFIX + "/").text
    rows = _row(page, f'//table[@id="events"]//tr[{_cls("event")}]')
    assert [r.get("data-event") for r in rows] == [e["id"] for e in events[:20]]
    shown = rows[[e["id"] for e in events].index(multilingual[0]["id"])]
    assert len(shown.xpath(f'.//a[{_cls("event-article")}]')) == len(
        [a for g in multilingual[0]["articles"] for s in g["sources"] for a in s["articles"]])
    assert "event_id" in unquote(shown.xpath(f'string(.//a[{_cls("event-kibana")}]/@href)'))


def _tagged(url: str, published: datetime, *ids: tuple[str, str]) -> Article:
    mentions = [Mention(id=entry_id, kind=kind, surface=entry_id, start=0, end=len(entry_id), snippet=entry_id)
                for kind, entry_id in ids]
    return Article(url=url, canonical_url=url, source="wire", title=url, text=" ".join(i for _, i in ids),
                   lang="en", published=published, mentions=mentions)


def test_mentions_per_day_mark_the_days_far_above_their_baseline(monitored, auth_manager):
    """42 days of articles: the Taliban 2-4 a day and 15 on 3 Oct, Kabulov every third day, the Moscow Format
    5 times on 6 Oct (and a near-duplicate copy, not counted); one article dated in the future."""
    settings = monitored.settings.model_copy(update={"index_alias": f"test-{uuid.uuid4().hex[:10]}"})
    last = datetime(2025, 10, 9, 12, tzinfo=UTC)
    taliban = [2 + day % 3 for day in range(42)]
    taliban[35] = 15
    articles = []
    for day in range(42):
        when = last - timedelta(days=41 - day)
        for n in range(taliban[day]):
            ids = [("actor", "taliban")] + ([("actor", "zamir_kabulov")] if n == 0 and day % 3 == 0 else [])
            articles.append(_tagged(f"https://wire.example/{day}/{n}", when, *ids))
    articles += [_tagged(f"https://wire.example/mf/{n}", last - timedelta(days=3), ("theme", "moscow_format"))
                 for n in range(5)]
    articles.append(_tagged("https://wire.example/future", datetime.now(UTC) + timedelta(days=30),
                            ("actor", "taliban")))
    copy = _tagged("https://copy.example/38", last - timedelta(days=3), ("theme", "moscow_format"))
    es = connect(settings)
    store = ArticleStore(es, settings.index_alias)
    store.ensure_index()
    store.index_articles([*articles, copy])
    es.update(index=settings.index_alias, id=copy.id, doc={"duplicate_of": articles[-2].id}, refresh=True)
    answer = _client(settings, _token(auth_manager)).get(URL_PREFIX + "/api/mentions").json()
    assert answer["days"][0] == "2025-09-12" and answer["days"][-1] == "2025-10-09" and len(answer["days"]) == 28
    actors = {s["id"]: s for s in answer["actors"]}
    assert list(actors) == ["taliban", "zamir_kabulov"] and actors["taliban"]["label"] == "Taliban"
    assert actors["taliban"]["counts"] == taliban[14:]
    assert actors["zamir_kabulov"]["counts"] == [1 if day % 3 == 0 else 0 for day in range(14, 42)]
    assert [(p["day"], p["count"]) for p in actors["taliban"]["spikes"]] == [("2025-10-03", 15)]
    assert actors["zamir_kabulov"]["spikes"] == []  # never three a day
    [moscow_format] = answer["themes"]
    assert moscow_format["total"] == 5 and [p["day"] for p in moscow_format["spikes"]] == ["2025-10-06"]
    assert es.count(index=settings.index_alias, query={"bool": {"filter": [
        {"term": {"actors": "taliban"}}, {"range": {"published": {"gte": "2025-10-03", "lt": "2025-10-04"}}}]}})[
        "count"] == 15
    page = _client(settings, _token(auth_manager)).get(URL_PREFIX + "/").text
    [svg] = _row(page, '//figure[@id="mentions-actors-chart"]/*[local-name()="svg"]')
    spikes = svg.xpath('.//*[local-name()="circle"]')
    assert [c.get("data-day") for c in spikes] == ["2025-10-03"]
    assert "mean plus 3 standard deviations" in _row(page, 'string(//p[@id="mentions-rule"])')
    assert _row(page, '//ul[@id="spikes"]/li/@data-day') == ["2025-10-03", "2025-10-06"]


def test_search_gives_highlighted_hits_and_the_kibana_url(monitored, api):
    settings = monitored.settings
    answer = api.get(URL_PREFIX + "/api/search", params={"q": "талибов", "lang": "ru"}).json()
    assert answer["names"] == {"actors": ["taliban"], "themes": []}  # талибов names the Taliban
    expected_total, _ = search_articles(connect(settings), settings.index_alias, "талибов", lang="ru",
                                        named_actors=["taliban"])
    assert answer["total"] == expected_total > 0 and all(hit["lang"] == "ru" for hit in answer["hits"])
    for hit in answer["hits"]:  # the words highlighted, or else the evidence of the tag
        assert any(s["mark"] for h in hit["highlights"] for s in h["segments"]) or \
            hit["mentions"][0]["id"] == "taliban"
    assert answer["kibana_url"].startswith("http://kibana.example:5601/app/discover#/?")
    assert """query:'((талибов) or (actors : "taliban")) and (lang : "ru")'""" in unquote(answer["kibana_url"])
    kabulov = api.get(URL_PREFIX + "/api/search", params={"q": "Kabulov", "size": 50}).json()
    tagged = connect(settings).count(index=settings.index_alias, query={"term": {"actors": "zamir_kabulov"}})["count"]
    assert kabulov["names"]["actors"] == ["zamir_kabulov"] and kabulov["total"] >= tagged > 0
    languages = set()
    for hit in kabulov["hits"]:
        marked = [s["text"] for h in hit["highlights"] for s in h["segments"] if s["mark"]]
        assert all("kabulov" in text.casefold() for text in marked)
        if "zamir_kabulov" in hit["actors"]:
            languages.add(hit["lang"])
            assert hit["mentions"][0]["id"] == "zamir_kabulov" and "<mark>" in hit["mentions"][0]["html"]
    assert len(languages) > 1, "Kabulov is found in the replay's articles of several languages"
    redirect = api.get(URL_PREFIX + "/kibana", params={"q": "Kabulov"})
    assert redirect.status_code == 303 and redirect.headers["location"] == kabulov["kibana_url"]


def test_hostile_page_text_comes_back_escaped(api):
    answer = api.get(URL_PREFIX + "/api/search", params={"q": "Kazan envoys decisive"}).json()
    hit = next(h for h in answer["hits"] if h["title"] == HOSTILE_TITLE)
    assert hit["title_html"].startswith("&lt;script&gt;alert(1)&lt;/script&gt;")
    fragments = "".join(h["html"] for h in hit["highlights"]) + "".join(m["html"] for m in hit["mentions"])
    assert "<mark>" in fragments and "&lt;img src=x" in fragments
    assert "<img" not in fragments and "<b>" not in fragments and "<script" not in fragments
    page = api.get(URL_PREFIX + "/", params={"q": "Kazan envoys decisive"})
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script" not in page.text.lower() and "<img" not in page.text.lower() and "<b>" not in page.text
    results = _row(page.text, f'//ol[@id="search-results"]/li[{_cls("search-hit")}]')
    assert results and any(r.xpath(".//mark") for r in results)


def test_elasticsearch_down_answers_503_and_the_page_keeps_the_crawl_state(monitored, auth_manager, tmp_path):
    """The crawl state outlives Elasticsearch only where it is kept apart from it (the ``files`` store); with the
    default store (in Elasticsearch) the page lists the sources without it."""
    from newsmon.crawl.shared_state import crawl_state_store
    from newsmon.crawl.state import FileCrawlStateStore

    files = FileCrawlStateStore(tmp_path / "state")
    for name in ("deadfeed",):
        kept = crawl_state_store(monitored.settings).load(name)
        kept.store, kept.version = files, None
        kept.save()
    down = monitored.settings.model_copy(update={"elasticsearch_url": "http://127.0.0.1:1", "state_store": "files",
                                                 "data_dir": tmp_path})
    client = _client(down, _token(auth_manager))
    for path in ("/api/sources", "/api/alerts", "/api/search?q=Kabulov", "/api/events", "/api/mentions"):
        answer = client.get(URL_PREFIX + path)
        assert answer.status_code == 503, path
        assert "127.0.0.1:1 is unreachable" in answer.json()["error"] and "newsmon es start" in answer.json()["error"]
    page = client.get(URL_PREFIX + "/")
    assert page.status_code == 503
    [banner] = _row(page.text, '//p[@id="es-error"]')
    assert "127.0.0.1:1 is unreachable" in banner.text_content()
    assert _row(page.text, f'//tr[@data-source="deadfeed"]//li[{_cls("feed-failed")}]')

    in_elasticsearch = _client(monitored.settings.model_copy(update={"elasticsearch_url": "http://127.0.0.1:1"}),
                               _token(auth_manager)).get(URL_PREFIX + "/")
    assert in_elasticsearch.status_code == 503 and _row(in_elasticsearch.text, '//tr[@data-source="deadfeed"]')


def test_no_index_yet_is_not_an_error(monitored, auth_manager):
    fresh = monitored.settings.model_copy(update={"index_alias": f"test-{uuid.uuid4().hex[:10]}"})
    client = _client(fresh, _token(auth_manager))
    sources = client.get(URL_PREFIX + "/api/sources").json()
    assert sources["index_exists"] is False and sources["daily"] == []
    assert all(row["articles_total"] == 0 for row in sources["sources"])
    assert client.get(URL_PREFIX + "/api/alerts").json() == {
        "threads": fresh.index_alias + "-alert-threads", "threads_exist": False, "mail_counts": {}, "mails": [],
        "ledger": fresh.index_alias + "-alert-ledger", "ledger_exists": False, "counts": {}, "alerts": []}
    assert client.get(URL_PREFIX + "/api/events").json() == {"index": fresh.index_alias + "-events", "since": None,
                                                              "events": []}
    mentions = client.get(URL_PREFIX + "/api/mentions").json()
    assert (mentions["days"], mentions["actors"], mentions["themes"]) == ([], [], [])
    assert client.get(URL_PREFIX + "/api/search", params={"q": "Kabulov"}).json()["total"] == 0
    page = client.get(URL_PREFIX + "/").text
    assert _row(page, '//p[@id="index-missing"]') and _row(page, '//p[@id="events-empty"]')
    assert _row(page, '//p[@id="mentions-empty"]') and _row(page, '//p[@id="mails-empty"]')
    assert client.get(URL_PREFIX + "/api/search", params={"q": "x", "lang": "xx"}).status_code == 422
