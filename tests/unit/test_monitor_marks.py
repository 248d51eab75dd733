"""Highlight segments for the monitor page: marks from Elasticsearch's tags or a mention's surface, page text
only ever escaped."""

from __future__ import annotations

from newsmon.monitor.marks import POST, PRE, mark_surface, plain, segments_from_highlight, segments_html
from newsmon.monitor.search_view import kibana_discover_url, kql_for


def test_highlight_tags_become_marked_segments():
    fragment = f"the {PRE}Moscow{POST} {PRE}Format{POST} met in {PRE}Kazan{POST}"
    assert segments_from_highlight(fragment) == [
        {"text": "the ", "mark": False}, {"text": "Moscow", "mark": True}, {"text": " ", "mark": False},
        {"text": "Format", "mark": True}, {"text": " met in ", "mark": False}, {"text": "Kazan", "mark": True}]
    assert segments_from_highlight("no marks") == plain("no marks")


def test_markup_in_page_text_is_escaped_and_only_our_marks_are_tags():
    fragment = f'<script>alert(1)</script> {PRE}<b>Kabulov</b>{POST} «талибы» <img src=x onerror="x">'
    html = segments_html(segments_from_highlight(fragment))
    assert html == ("&lt;script&gt;alert(1)&lt;/script&gt; <mark>&lt;b&gt;Kabulov&lt;/b&gt;</mark> «талибы» "
                    "&lt;img src=x onerror=&quot;x&quot;&gt;")


def test_a_surface_is_marked_in_its_snippet_whatever_the_spacing_and_case():
    snippet = "Russia's envoy ZAMIR   Kabulov said <i>so</i>."
    assert mark_surface(snippet, "Zamir Kabulov") == [
        {"text": "Russia's envoy ", "mark": False}, {"text": "ZAMIR   Kabulov", "mark": True},
        {"text": " said <i>so</i>.", "mark": False}]
    assert segments_html(mark_surface(snippet, "Zamir Kabulov")).endswith(" said &lt;i&gt;so&lt;/i&gt;.")
    assert mark_surface(snippet, "Lavrov") == plain(snippet)
    assert mark_surface("", "Lavrov") == [] and mark_surface(snippet, " ") == plain(snippet)
    assert mark_surface("a (b) c", "(b)") == [{"text": "a ", "mark": False}, {"text": "(b)", "mark": True},
                                              {"text": " c", "mark": False}]


def test_kql_escapes_special_characters_and_boolean_words():
    assert kql_for("Moscow Format") == "Moscow Format"
    assert kql_for('a:b (x) "q" *', "ru") == '(a\\:b \\(x\\) \\"q\\" \\*) and (lang : "ru")'
    assert kql_for("Taliban and Russia") == 'Taliban "and" Russia'
    assert kql_for("", "fa") == 'lang : "fa"' and kql_for("") == ""


def test_kql_also_asks_for_the_tags_the_words_name():
    assert kql_for("Moscow Format", named_themes=["moscow_format"]) == '(Moscow Format) or (themes : "moscow_format")'
    assert kql_for("Кабулов Lavrov", "ru", named_actors=["zamir_kabulov", "sergey_lavrov"]) == (
        '((Кабулов Lavrov) or (actors : ("zamir_kabulov" or "sergey_lavrov"))) and (lang : "ru")')


def test_kibana_discover_url_carries_the_query_in_rison():
    url = kibana_discover_url("http://kibana:5601/", "it's done!")
    assert url.startswith("http://kibana:5601/app/discover#/?_g=(time:(from:now-10y,to:now))&_a=(")
    assert "index:'newsmon-data-view'" in url and "sort:!(!(published,desc))" in url
    assert "query:(language:kuery,query:'it!'s%20done!!')" in url
