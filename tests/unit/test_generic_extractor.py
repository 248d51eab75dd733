"""The generic extractor: stub pages dropped, chunked bodies joined, the rescue pass, headline and metadata."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

import lxml.html
import pytest

from extractors import generic
from extractors.generic import GenericExtractor, merge_body_chunks
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

SENTENCES = [
    "The city council approved the new transit budget on Tuesday after a long debate about bus routes.",
    "Officials said the plan adds three express lines and extends service hours on weekends for workers.",
    "Critics argued that the money should go to road repairs, which residents have requested for years.",
    "The mayor promised a public review of the first year of operations before any further expansion.",
    "Construction of the new depots is expected to begin in the spring and to last about eighteen months.",
    "Union representatives welcomed the decision but asked for more drivers to be hired before the launch.",
]


def page_of(html: str, url: str = "https://example.org/news/transit-budget") -> FetchedPage:
    return FetchedPage(
        source="",
        url=url,
        canonical_url=url,
        status=200,
        content_type="text/html; charset=utf-8",
        body=html.encode("utf-8"),
        fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
    )


def paragraphs(sentences: list[str]) -> str:
    return "".join(f"<p>{s}</p>" for s in sentences)


def article_page(body: str, head: str = "", h1: str = "Council approves transit budget") -> str:
    return (
        f"<html lang='en'><head><title>{h1} | Example News</title>{head}</head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<main><article><h1>{h1}</h1><div class='article-body'>{body}</div></article></main>"
        "<footer>© Example News</footer></body></html>"
    )


def test_article_text_title_and_metadata_from_json_ld():
    ld = {
        "@type": "NewsArticle",
        "headline": "Council approves &quot;transit&quot; budget",
        "datePublished": "2024-03-05T10:00:00+01:00",
        "author": [{"name": "Ana Ruiz"}, {"name": "Li Wei"}],
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    article = GenericExtractor().extract(page_of(article_page(paragraphs(SENTENCES), head)))
    assert article.title == 'Council approves "transit" budget'
    assert article.authors == ["Ana Ruiz", "Li Wei"]
    assert article.published == datetime(2024, 3, 5, 9, 0, tzinfo=UTC)
    assert article.text.split("\n\n") == SENTENCES  # no headline line, no navigation, no footer
    assert article.declared_lang == "en"


def test_headline_repeated_as_first_line_is_dropped():
    body = "<p>Council approves transit budget</p>" + paragraphs(SENTENCES)
    text = GenericExtractor().extract(page_of(article_page(body))).text
    assert text.split("\n\n")[0] == SENTENCES[0]


def test_stub_pages_are_dropped():
    stub = "<html><body><a href='#main'>Skip to main content</a><h1>Page not found</h1></body></html>"
    with pytest.raises(DropDocument):
        GenericExtractor().extract(page_of(stub))
    with pytest.raises(DropDocument) as empty:
        GenericExtractor().extract(page_of(""))
    assert empty.value.reason == "empty-page"


def test_text_without_spaces_counts_its_characters_as_words():
    sentences = [
        "政府は火曜日に新しい交通予算を承認し、バス路線の拡充について長い議論が行われた。",
        "当局によると、計画には三つの急行路線が含まれ、週末の運行時間も延長される。",
        "批判的な住民は、道路の補修に資金を回すべきだと主張している。",
    ]
    article = GenericExtractor().extract(page_of(article_page(paragraphs(sentences), h1="交通予算を承認")))
    assert article.text.split("\n\n") == sentences


def test_text_is_nfc():
    decomposed = unicodedata.normalize("NFD", "Die Südtiroler Ärztekammer feierte ihr Jubiläum mit Gästen. ")
    article = GenericExtractor().extract(page_of(article_page(paragraphs([decomposed * 3, *SENTENCES]))))
    assert "Südtiroler Ärztekammer" in article.text and unicodedata.is_normalized("NFC", article.text)


def test_chunked_body_is_joined_but_siblings_and_teasers_are_not():
    cell = "<div class='grid-cell'><div class='body article__body'>{}</div></div>"
    ad = "<div class='grid-cell'><div class='ad'>Advertisement</div></div>"
    html = article_page("").replace(
        "<div class='article-body'></div>",
        cell.format(paragraphs(SENTENCES[:3])) + ad + cell.format(paragraphs(SENTENCES[3:])),
    )
    tree = lxml.html.document_fromstring(html)
    assert merge_body_chunks(tree) == 1
    assert len(tree.xpath("//div[@class='body article__body']")) == 1
    assert GenericExtractor().extract(page_of(html)).text.split("\n\n") == SENTENCES

    siblings = lxml.html.document_fromstring(
        "<html><body><div>"
        + "".join(f"<section class='article-content'><p>{s * 3}</p></section>" for s in SENTENCES)
        + "</div></body></html>"
    )
    assert merge_body_chunks(siblings) == 0


def test_balanced_pass_rescues_a_precise_result_that_is_a_fraction_of_the_page(monkeypatch):
    notice = "This copy is for your personal, non-commercial use only."
    passes = []

    def fake_extract(tree, url, **options):
        passes.append(options)
        return notice if options.get("favor_precision") else "\n".join(SENTENCES * 3)

    monkeypatch.setattr(generic, "_extract", fake_extract)
    html = article_page(paragraphs(SENTENCES * 3))
    assert GenericExtractor().extract(page_of(html)).text.split("\n\n") == SENTENCES * 3
    assert passes == [{"favor_precision": True}, {}]

    passes.clear()  # a precise result that covers the page: no second pass
    monkeypatch.setattr(
        generic, "_extract", lambda tree, url, **options: passes.append(options) or "\n".join(SENTENCES * 3)
    )
    GenericExtractor().extract(page_of(html))
    assert passes == [{"favor_precision": True}]


def test_body_without_a_declared_charset_is_decoded_by_guessing():
    sentences = ["Президент провёл совещание с членами правительства в Москве во вторник утром.",
                 "Обсуждались вопросы бюджета, транспорта и строительства новых дорог в регионах.",
                 "Министры представили планы на следующий год и ответили на вопросы журналистов."]
    html = article_page(paragraphs(sentences), "<meta charset='windows-1251'>", h1="Совещание в Москве")
    page = page_of(html)
    page.content_type, page.body = "text/html", html.encode("cp1251")
    assert GenericExtractor().extract(page).text.split("\n\n") == sentences


# -- titles, "read also" boxes, repeats, Persian joiners, standing in for a site ---------------------------
@pytest.mark.parametrize(("title", "names", "expected"), [
    ("Council approves budget | Example News", ["Example News"], "Council approves budget"),
    ("Council approves budget - EXAMPLE NEWS", ["example news"], "Council approves budget"),
    ("Example News :: Council approves budget", ["Example News"], "Council approves budget"),
    ("Başlık - ANKASAM | Ankara Kriz ve Siyaset Araştırmaları Merkezi",
     ["ANKASAM", "Ankara Kriz ve Siyaset Araştırmaları Merkezi"], "Başlık"),
    ("Iğdır-Nahçıvan pipeline - a new route", ["Example News"], "Iğdır-Nahçıvan pipeline - a new route"),
    ("Example News", ["Example News"], "Example News"),  # a title that is only the name stays
])
def test_site_names_go_from_titles(title, names, expected):
    from extractors.common.text import strip_site_name

    assert strip_site_name(title, names) == expected


def test_the_page_title_loses_the_site_name_it_declares():
    head = "<meta property='og:title' content='Council approves transit budget — Example News'>" \
           "<meta property='og:site_name' content='Example News'>"
    article = GenericExtractor().extract(page_of(article_page(paragraphs(SENTENCES), head)))
    assert article.title == "Council approves transit budget"


@pytest.mark.parametrize("box", [
    "<p>Read also: Mayor opens new tram line</p>",
    "<div><span>Читайте также</span></div><div><a href='/x'>Мэр открыл новую линию трамвая</a></div>",
    "<p>بیشتر بخوانید</p><p><a href='/x'>شهردار خط تازه تراموا را افتتاح کرد</a></p>",
])
def test_read_also_boxes_inside_the_body_go(box):
    body = paragraphs(SENTENCES[:3]) + box + paragraphs(SENTENCES[3:])
    text = GenericExtractor().extract(page_of(article_page(body))).text
    assert text.split("\n\n") == SENTENCES


def test_a_sentence_starting_like_a_label_stays():
    line = "Related to the budget, the council also approved a study of night buses across the whole city."
    text = GenericExtractor().extract(page_of(article_page(paragraphs([*SENTENCES, line])))).text
    assert text.split("\n\n")[-1] == line


def test_a_summary_repeated_as_the_first_paragraph_appears_once():
    body = f"<p class='lead'>{SENTENCES[0]}</p>" + paragraphs(SENTENCES)
    text = GenericExtractor().extract(page_of(article_page(body))).text
    assert text.split("\n\n") == SENTENCES


def test_persian_zero_width_non_joiners_survive():
    sentences = ["این نشست در یکی از اقامتگاه\u200cهای دولتی در حومه مسکو برگزار شد و نمایندگان منطقه حضور داشتند.",
                 "وزیر خارجه گفت کشورهای منطقه مسئولیت اصلی ثبات را بر عهده دارند و همکاری\u200cها ادامه می\u200cیابد."] * 3
    html = ("<html lang='fa'><head><title>نشست</title></head><body><article><h1>نشست</h1>"
            + paragraphs([f"{s} ({n})" for n, s in enumerate(sentences)]) + "</article></body></html>")
    text = GenericExtractor().extract(page_of(html)).text
    assert "اقامتگاه\u200cهای" in text and "می\u200cیابد" in text and "\u2e4e" not in text


def test_standing_in_for_a_site_applies_its_boilerplate_rules():
    import re

    from extractors.common.base import ArticleExtractor
    from extractors.common.css import compile_selector

    class Site(ArticleExtractor):
        name = "site"
        BOILERPLATE = (compile_selector(".donate"),)
        BOILERPLATE_LINES = (re.compile(r"^Follow us on "),)
        FOOTNOTE_LINES = (re.compile(r"^\*"),)
        SITE_NAMES = ("Example News",)

    body = (paragraphs(SENTENCES[:2]) + "<div class='donate'><p>Support independent journalism with a monthly gift "
            "today, every contribution helps us.</p></div>" + paragraphs(SENTENCES[2:])
            + "<p>Follow us on the social network of your choice for more local stories.</p>"
            + "<p>* The council is a public body of the city and its members are elected every four years.</p>")
    article = GenericExtractor(site=Site()).extract(page_of(article_page(body)))
    assert article.text.split("\n\n") == SENTENCES
    assert article.footnotes == ["* The council is a public body of the city and its members are elected every four years."]
