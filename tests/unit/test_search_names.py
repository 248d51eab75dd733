"""A search's words name watchlist actors and themes in any language (newsmon.search_names), and the article
query then also asks for the articles tagged with them (newsmon.index.queries.article_query)."""

from __future__ import annotations

import os

import pytest

from newsmon.index.queries import TAG_BOOST, article_query
from newsmon.search_names import SearchNameFinder, SearchNames, search_name_finder
from newsmon.settings import PROJECT_ROOT

WATCHLIST = PROJECT_ROOT / "config" / "watchlist.yaml"


@pytest.fixture(scope="module")
def finder() -> SearchNameFinder:
    return search_name_finder(WATCHLIST)


@pytest.mark.parametrize("query", ["Moscow Format", "moscow format", "Московский формат", "Московского формата",
                                   "Moskova Formatı", "فرمت مسکو"])
def test_the_moscow_format_in_four_languages(finder, query):
    assert finder.find(query).themes == ("moscow_format",)


@pytest.mark.parametrize("query", ["Kabulov", "Кабулов", "Кабулова заявил", "Zamir Kabulov", "ضمیر کابلوف"])
def test_kabulov_in_any_script_and_case(finder, query):
    names = finder.find(query)
    assert names.actors == ("zamir_kabulov",) and names.themes == ()


def test_several_names_in_the_order_of_their_words(finder):
    names = finder.find("Lavrov met Kabulov on the Moscow Format")
    assert names.actors == ("sergey_lavrov", "zamir_kabulov") and names.themes == ("moscow_format",)
    assert dict(names.surfaces) == {"sergey_lavrov": "Lavrov", "zamir_kabulov": "Kabulov",
                                    "moscow_format": "Moscow Format"}
    assert names.to_dict() == {"actors": ["sergey_lavrov", "zamir_kabulov"], "themes": ["moscow_format"]}


@pytest.mark.parametrize("query", ["", "   ", "Kazan envoys decisive", "Russian roulette", "Moscow", "Moskova",
                                   "ISIS"])
def test_what_names_nothing(finder, query):
    """No watchlist word; a name inside its exclusion phrase; a capital that is the state only in context; a
    name that counts only in a text about Afghanistan."""
    assert finder.find(query) == SearchNames()


def test_the_finder_is_shared_until_the_watchlist_changes(tmp_path):
    copy = tmp_path / "watchlist.yaml"
    copy.write_bytes(WATCHLIST.read_bytes())
    first = search_name_finder(copy)
    assert search_name_finder(copy) is first
    os.utime(copy, (copy.stat().st_atime, copy.stat().st_mtime + 5))
    assert search_name_finder(copy) is not first


def test_the_query_asks_for_the_words_or_the_named_tags():
    query = article_query("Moscow Format", lang="ru", named_actors=["zamir_kabulov"], named_themes=["moscow_format"])
    should = query["bool"]["should"]
    assert should[0]["multi_match"]["query"] == "Moscow Format"
    assert should[1:] == [{"constant_score": {"filter": {"term": {"actors": "zamir_kabulov"}}, "boost": TAG_BOOST}},
                          {"constant_score": {"filter": {"term": {"themes": "moscow_format"}}, "boost": TAG_BOOST}}]
    assert query["bool"]["minimum_should_match"] == 1 and query["bool"]["filter"] == [{"term": {"lang": "ru"}}]


def test_without_names_the_query_is_the_words_as_before():
    assert article_query("talks") == {"bool": {"should": [{"multi_match": {
        "query": "talks", "type": "best_fields", "fields": article_query("x")["bool"]["should"][0]["multi_match"][
            "fields"]}}], "minimum_should_match": 1, "filter": []}}
    by_actor = article_query(actor="taliban")
    assert by_actor["bool"]["must"][0]["nested"]["query"] == {"term": {"mentions.id": "taliban"}}
    assert article_query(since="2025-01-01")["bool"] == {"must": [{"match_all": {}}], "filter": [
        {"range": {"published": {"gte": "2025-01-01"}}}]}
