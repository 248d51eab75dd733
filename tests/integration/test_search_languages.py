"""One query, four languages, on a real Elasticsearch: a search whose words name a watchlist actor or theme in any
language also finds the articles tagged with it in the other languages, ranked with the full-text hits; the same
search lists events (``newsmon search --events``), and the monitor's search does the same.

The articles are tagged by the real matcher, as the pipeline tags them; the commands run as subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from newsmon import pipeline
from newsmon.index import ArticleStore, connect, search_articles
from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.models import Article
from newsmon.monitor.service import MonitorService
from newsmon.settings import PROJECT_ROOT, Settings, load_settings

pytestmark = pytest.mark.integration

DAY = datetime(2025, 10, 6, 9, tzinfo=UTC)
#: (url, source, lang, day, title, text): the seventh Moscow Format round in four languages, a second Russian
#: report of it, an unrelated Russian article and an English one that shares the query's words but no tag.
ARTICLES = [
    ("https://www.ankasam.org/en/mf7/", "ankasam", "en", 0, "Moscow Format talks open",
     "The seventh round of the Moscow Format consultations on Afghanistan opened in Moscow on Monday. Sergey Lavrov "
     "told the Taliban delegation led by Amir Khan Muttaqi that an inclusive government was still needed, and Zamir "
     "Kabulov said recognition of the Islamic Emirate would follow its own pace."),
    ("https://thebell.io/mf7/", "thebell", "ru", 1, "Консультации по Афганистану",
     "В Москве открылся седьмой раунд консультаций Московского формата по Афганистану. Сергей Лавров заявил "
     "делегации талибов во главе с Амиром Ханом Муттаки, что инклюзивное правительство по-прежнему необходимо."),
    ("https://www.ankasam.org/ru/mf7/", "ankasam", "ru", 1, "Кабулов о признании талибов",
     "Замир Кабулов заявил на полях седьмого раунда Московского формата по Афганистану, что признание талибов "
     "зависит от их шагов по борьбе с терроризмом."),
    ("https://www.ankasam.org/mf7-tr/", "ankasam", "tr", 2, "Moskova'da yedinci tur",
     "Afganistan konulu Moskova Formatı istişarelerinin yedinci turu Moskova'da sürüyor; Zamir Kabulov ve Sergey "
     "Lavrov, Taliban heyetine kapsayıcı bir hükümetin gerekli olduğunu söyledi."),
    ("https://www.afintl.com/2025100611", "afintl", "fa", 1, "نشست فرمت مسکو",
     "هفتمین دور نشست فرمت مسکو درباره افغانستان در مسکو آغاز شد. ضمیر کابلوف گفت روسیه به تعامل با طالبان ادامه "
     "می‌دهد."),
    ("https://thebell.io/key-rate/", "thebell", "ru", 3, "ЦБ сохранил ключевую ставку",
     "Банк России сохранил ключевую ставку на уровне 21% и пообещал держать её высокой до конца года."),
    ("https://www.newarab.com/metro/", "newarab", "en", 3, "A new format for the Moscow metro",
     "The Moscow metro tries a new format of night trains this winter, the city's transport office said."),
]


@pytest.fixture(scope="module")
def settings(elasticsearch_url) -> Settings:
    """An index holding :data:`ARTICLES`, tagged by the real matcher and placed into events."""
    settings = load_settings({"NEWSMON_ELASTICSEARCH_URL": elasticsearch_url,
                              "NEWSMON_INDEX_ALIAS": f"test-{uuid.uuid4().hex[:10]}",
                              "NEWSMON_KIBANA_URL": "http://kibana.example:5601"})
    matcher = WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
    articles = []
    for url, source, lang, day, title, text in ARTICLES:
        article = Article(url=url, canonical_url=url, source=source, title=title, text=text, lang=lang,
                          published=DAY + timedelta(days=day))
        article.mentions = matcher.match(text, lang)
        articles.append(article)
    store = ArticleStore(connect(settings), settings.index_alias)
    store.ensure_index()
    assert not store.index_articles(articles).failed
    assert pipeline.assign_events(settings)["placed"] == len(ARTICLES)
    return settings


def newsmon_search(settings: Settings, *args: str) -> dict:
    env = {**os.environ, "NEWSMON_ELASTICSEARCH_URL": settings.elasticsearch_url,
           "NEWSMON_INDEX_ALIAS": settings.index_alias}
    done = subprocess.run([sys.executable, "-m", "newsmon.cli", "search", *args, "--json"], capture_output=True,
                          text=True, env=env, cwd=PROJECT_ROOT, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def tagged(settings: Settings, field: str, value: str, lang: str | None = None) -> set[str]:
    query = {"bool": {"filter": [{"term": {field: value}}] + ([{"term": {"lang": lang}}] if lang else [])}}
    hits = connect(settings).search(index=settings.index_alias, query=query, size=100, source=["canonical_url"])
    return {hit["_source"]["canonical_url"] for hit in hits["hits"]["hits"]}


def test_moscow_format_in_english_finds_the_russian_articles_tagged_with_it(settings):
    russian = tagged(settings, "themes", "moscow_format", "ru")
    assert russian == {"https://thebell.io/mf7/", "https://www.ankasam.org/ru/mf7/"}
    words_only, _ = search_articles(connect(settings), settings.index_alias, "Moscow Format", lang="ru")
    assert words_only == 0  # what the search found before: the words are not in the Russian texts
    found = newsmon_search(settings, "Moscow Format", "--lang", "ru")
    assert found["names"] == {"actors": [], "themes": ["moscow_format"]}
    assert found["total"] == 2 and {hit["url"] for hit in found["hits"]} == russian
    for hit in found["hits"]:  # the evidence: the snippet of the matcher's mention of the theme, marked
        assert any("«" in h and "формат" in h for h in hit["highlights"]), hit["highlights"]


def test_tagged_articles_rank_with_the_full_text_hits(settings):
    found = newsmon_search(settings, "Moscow Format", "--size", "20")
    ranked = [(hit["lang"], hit["url"]) for hit in found["hits"]]
    moscow_format = tagged(settings, "themes", "moscow_format")
    assert {url for _, url in ranked} == moscow_format | {"https://www.newarab.com/metro/"}
    assert ranked[0] == ("en", "https://www.ankasam.org/en/mf7/")  # tagged and the words in its title and text
    # Every report of the round, in four languages, before the metro article that only shares two words.
    assert ranked[-1][1] == "https://www.newarab.com/metro/" and {lang for lang, _ in ranked[:-1]} == {
        "en", "ru", "tr", "fa"}


@pytest.mark.parametrize("query", ["Kabulov", "Кабулов", "Кабулова", "ضمیر کابلوف"])
def test_an_actor_named_in_any_language_finds_every_language(settings, query):
    found = newsmon_search(settings, query, "--size", "20")
    assert found["names"]["actors"] == ["zamir_kabulov"]
    kabulov = tagged(settings, "actors", "zamir_kabulov")
    assert {h["lang"] for h in found["hits"] if h["url"] in kabulov} == {"en", "ru", "tr", "fa"}
    assert kabulov <= {hit["url"] for hit in found["hits"]}


def test_words_that_name_nothing_search_the_words_only(settings):
    found = newsmon_search(settings, "Russian roulette")
    assert found["names"] == {"actors": [], "themes": []} and found["total"] == 0
    metro = newsmon_search(settings, "metro")
    assert [hit["url"] for hit in metro["hits"]] == ["https://www.newarab.com/metro/"]


def test_search_events_lists_the_event_with_its_matching_articles(settings):
    found = newsmon_search(settings, "Moscow Format", "--events")
    articles = newsmon_search(settings, "Moscow Format", "--size", "20")
    event = found["events"][0]
    assert found["total"] == len(found["events"]) >= 1
    client = connect(settings)
    stored = client.get(index=settings.index_alias + "-events", id=event["id"])["_source"]
    assert (event["title"], event["article_count"], event["languages"], event["sources"]) == (
        stored["title"], stored["article_count"], stored["languages"], stored["sources"])
    assert event["first_seen"] == stored["first_seen"] and event["titles"] == stored["titles"]
    matched = [hit for e in found["events"] for hit in e["matches"]]
    assert {hit["id"] for hit in matched} == {hit["id"] for hit in articles["hits"]}
    # The event of the best article comes first, that article first among its matches; an event that holds reports
    # in several languages lists them together.
    assert event["matches"][0]["url"] == "https://www.ankasam.org/en/mf7/" == articles["hits"][0]["url"]
    assert len({hit["lang"] for hit in event["matches"]}) >= 2
    in_event = client.search(index=settings.index_alias, query={"term": {"event_id": event["id"]}}, size=50)
    assert {hit["_id"] for hit in in_event["hits"]["hits"]} >= {hit["id"] for hit in event["matches"]}


def test_the_monitor_search_finds_the_same_and_links_kibana_to_it(settings):
    service = MonitorService(settings)
    answer = service.search("Московский формат", size=20)
    assert answer["names"] == {"actors": [], "themes": ["moscow_format"]} and answer["names_error"] is None
    assert {hit["lang"] for hit in answer["hits"]} == {"en", "ru", "tr", "fa"}
    assert {hit["url"] for hit in answer["hits"]} == tagged(settings, "themes", "moscow_format")
    for hit in answer["hits"]:
        if not any(s["mark"] for h in hit["highlights"] for s in h["segments"]):
            assert hit["mentions"][0]["id"] == "moscow_format" and "<mark>" in hit["mentions"][0]["html"]
    assert 'themes : "moscow_format"' in answer["kibana_url"].replace("%20", " ").replace("%22", '"')
