"""Site extractors for ANKASAM, The New Arab and The Bell, run on their replay pages (and replay feeds)."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml

from extractors.ankasam import AnkasamExtractor
from extractors.common.css import compile_selector, select
from extractors.common.dates import parse_date
from extractors.common.meta import canonical_link
from extractors.common.text import text_of
from extractors.newarab import NewArabExtractor
from extractors.thebell import TheBellExtractor
from newsmon.devstack.replay.server import SITE_ROOT, ReplayServer
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage

MANIFESTS = SITE_ROOT.parent / "manifests"
EXTRACTORS = {"ankasam": AnkasamExtractor(), "newarab": NewArabExtractor(), "thebell": TheBellExtractor()}

#: Boilerplate of SOURCES.md (and of the replay chrome) that must never reach the article text.
BOILERPLATE = [
    "Paylaş",
    "This post is also available in",
    "Bu yazı şu dillerde de mevcut",
    "Эта запись также доступна",
    "Similar Posts",
    "Benzer Yazılar",
    "Похожие записи",
    "yılında",
    "Dumlupınar",
    "[email",
    "Live Story",
    "Most Viewed",
    "min read",
    "The New Arab Staff",
    "agencies",
    "Follow him on Twitter",
    "[Getty]",
    "Support The Bell",
    "The Bell's Newsletter",
    "An inside look at the Russian economy",
    "This post is for paying subscribers only",
    "Subscribe now",
    "Paid Members Public",
    "Поддержите The Bell",
    "Рассылка The Bell",
    "признаны в РФ иноагентами",
    "Date of Accession",
    "Erişim Tarihi",
    "Дата обращения",
]


def manifest_entries() -> list[tuple[str, dict]]:
    entries = []
    for source in EXTRACTORS:
        data = yaml.safe_load((MANIFESTS / f"{source}.yaml").read_text(encoding="utf-8"))
        entries += [(source, entry) for entry in data["articles"]]
    return entries


INDEXED = [(s, e) for s, e in manifest_entries() if e["expect"] == "indexed"]


def page_file(path: str) -> Path:
    file = SITE_ROOT / path.strip("/")
    return file / "index.html" if file.is_dir() else file


def extract(source: str, path: str, url: str | None = None):
    body = page_file(path).read_bytes()
    url = url or canonical_link(lxml.html.document_fromstring(body))
    page = FetchedPage(
        source=source,
        url=url,
        canonical_url=url,
        status=200,
        content_type="text/html; charset=utf-8",
        body=body,
        fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return EXTRACTORS[source].extract(page)


def by_title_start(source: str, start: str) -> dict:
    (entry,) = [e for s, e in INDEXED if s == source and e["title"].startswith(start)]
    return entry


# -- every replay article ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "entry"), INDEXED, ids=[e["path"].strip("/").rsplit("/", 1)[-1] for _, e in INDEXED]
)
def test_every_replay_article_is_extracted_cleanly(source, entry):
    article = extract(source, entry["path"], entry["canonical_url"])
    assert article.title == entry["title"]
    assert article.declared_lang == entry["lang"]
    assert article.published and article.published.tzinfo is not None
    assert article.modified is None or article.modified.tzinfo is not None
    assert article.authors and all(a.strip() == a for a in article.authors)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) >= 2 and all(p.strip() == p and p for p in paragraphs)
    assert len(article.text.split()) >= 100
    leaked = [b for b in BOILERPLATE if b in article.text]
    assert not leaked, f"boilerplate in {entry['path']}: {leaked}"
    assert article.canonical_url not in article.translations.values()


# -- ANKASAM -------------------------------------------------------------------------------------------------
ANK_EN = "/www.ankasam.org/en/talibans-diplomatic-moves-and-moscow-shift/"
ANK_TR = "/www.ankasam.org/talibanin-diplomatik-hamleleri-ve-moskova-acilimi/"
ANK_RU = "/www.ankasam.org/ru/diplomaticheskie-shagi-talibana-i-sdvig-v-pozicii-moskvy/"


def test_ankasam_english_seed_article():
    a = extract("ankasam", ANK_EN)
    assert a.title == "Taliban’s Diplomatic Moves and Moscow Shift"
    assert a.authors == ["Şeyma KIZILAY"]
    assert a.section == "Analysis"
    assert a.published == datetime(2023, 1, 14, 6, 12, 40, tzinfo=UTC)
    assert a.modified == datetime(2023, 1, 16, 8, 3, 5, tzinfo=UTC)
    assert a.text.startswith("Although the Taliban has been ruling Afghanistan since August 2021")
    assert a.text.endswith("However, it does not seem possible to get results in this regard.")
    assert "expand its diplomatic mission in Moscow.[1]" in a.text  # in-text references stay
    assert len(a.footnotes) == 4
    assert (
        a.footnotes[0].startswith("[1] “Russia Place is Special")
        and "(Date of Accession: 13.01.2023)" in a.footnotes[0]
    )
    assert a.footnotes[2] == "[3] “Russia Place…”, op. cit."


def test_ankasam_wpml_translations_link_one_story():
    articles = {
        lang: extract("ankasam", path) for lang, path in (("en", ANK_EN), ("tr", ANK_TR), ("ru", ANK_RU))
    }
    urls = {lang: a.canonical_url for lang, a in articles.items()}
    for lang, a in articles.items():
        assert a.declared_lang == lang
        assert a.translations == {other: url for other, url in urls.items() if other != lang}
    assert len({a.story_id for a in articles.values()}) == 1
    assert "Taliban'ın" in articles["tr"].text and "Moskova'daki" in articles["tr"].text
    assert "Talibanlar" in articles["tr"].text and "Kabulov'un" in articles["tr"].text
    assert "Кабуловым" in articles["ru"].text and "талибов" in articles["ru"].text
    assert articles["tr"].footnotes[0].endswith("(Erişim Tarihi: 13.01.2023).")
    assert articles["ru"].footnotes[2] == "[3] “Russia Place…”, указ. соч."


def test_ankasam_untranslated_pages_have_no_translations():
    for start in ("Moskova Formatı", "Iğdır-Nahçıvan"):
        entry = by_title_start("ankasam", start)
        a = extract("ankasam", entry["path"])
        assert a.translations == {} and a.section == "Analiz"
    assert "Afganistan" not in a.text  # the energy piece is a negative


def test_ankasam_seed_001_keeps_farsi_footnotes_apart():
    a = extract(
        "ankasam", "/www.ankasam.org/en/the-changing-perception-of-taliban-in-russias-afghanistan-policy/"
    )
    assert a.authors == ["Dr. Doğacan BAŞARAN"]
    assert [f[:3] for f in a.footnotes] == ["[1]", "[2]", "[3]"]
    assert "پایان نشست مسکو" in a.footnotes[0] and "پایان نشست" not in a.text
    assert set(a.translations) == {"tr", "ru"}


# -- The New Arab --------------------------------------------------------------------------------------------
NA_SEED = "/www.newarab.com/analysis/russia-and-taliban-assessing-new-diplomatic-gains"


def test_newarab_analysis_prefix_goes_to_section():
    a = extract("newarab", NA_SEED)
    assert a.title == "Russia and the Taliban: Assessing new diplomatic gains"
    assert a.section == "Analysis"
    assert a.authors == ["Giorgio Cafiero"]
    assert a.published == datetime(2022, 4, 18, 13, 42, tzinfo=timezone(timedelta(hours=1)))
    assert a.text.startswith("So far, no government has established full-fledged diplomatic relations")
    assert a.text.endswith("even if the circumstances seem difficult to imagine at this sensitive juncture.")
    assert "Implications for US foreign policy" in a.text.split("\n\n")
    assert "Gulf State Analytics" not in a.text and "@GiorgioCafiero" not in a.text
    assert "How the Taliban turned social media into a weapon" not in a.text
    assert "The acceptance of Taliban diplomats in Moscow" not in a.text  # the pull quote, not the sentence


def test_newarab_agency_byline_and_news_section():
    a = extract(
        "newarab", "/www.newarab.com/news/pakistani-taliban-attack-kills-six-police-khyber-pakhtunkhwa"
    )
    assert a.authors == ["The New Arab Staff"]
    assert a.section == "News"
    assert a.published == parse_date("2024-10-18T23:05:21 +0100")
    assert "face recognition" in a.text


def test_newarab_not_found_template_is_dropped():
    (entry,) = [e for s, e in manifest_entries() if e["expect"] == "dropped"]
    with pytest.raises(DropDocument) as info:
        extract("newarab", entry["path"], entry["canonical_url"])
    assert info.value.reason == "no-article-body"


# -- The Bell ------------------------------------------------------------------------------------------------
def test_thebell_ghost_seed_article():
    a = extract("thebell", "/en.thebell.io/russia-courts-the-taliban-as-u-s-exits-afghanistan/")
    assert a.title == "Russia courts the Taliban as U.S. exits Afghanistan"
    assert a.authors == ["The Bell"] and a.section == "Politics" and not a.paywalled
    assert a.published == datetime(2021, 8, 23, 9, 12, 4, tzinfo=UTC)
    assert a.text.split("\n\n")[-1].startswith("Why the world should care: As relations between Russia")
    assert len(a.text.split("\n\n")) == 8  # lead, six bullets, "Why the world should care"


def test_thebell_paid_post_is_flagged_and_truncated():
    a = extract("thebell", "/en.thebell.io/why-russia-recognized-the-taliban/")
    assert a.paywalled
    assert len(a.text.split("\n\n")) == 2
    assert a.published == datetime(2025, 7, 4, 15, 20, tzinfo=UTC)


def test_thebell_russian_wordpress_page():
    a = extract("thebell", "/thebell.io/verkhovnyy-sud-priostanovil-zapret-talibana")
    assert a.declared_lang == "ru" and a.section == "Политика" and a.authors == ["Ольга Веснина"]
    assert a.published == datetime(2025, 4, 17, 18, 40, tzinfo=timezone(timedelta(hours=3)))
    assert a.footnotes == ["* признаны в РФ иноагентами"]
    assert "Кабуловым" in a.text and "Талибана" in a.text and "талибов" in a.text
    assert not a.paywalled and a.translations == {}
    rate = extract("thebell", "/thebell.io/tsb-sokhranil-klyuchevuyu-stavku-21")
    assert rate.footnotes == [] and "в Москве" in rate.text


# -- helpers -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-10-18T23:05:21 +0100", datetime(2024, 10, 18, 22, 5, 21, tzinfo=UTC)),
        ("Fri, 18 Oct 2024 22:05:21 +0000", datetime(2024, 10, 18, 22, 5, 21, tzinfo=UTC)),
        ("Fri, 04 Jul 2025 15:20:00 GMT", datetime(2025, 7, 4, 15, 20, tzinfo=UTC)),
        ("2025-07-04T15:20:00.000Z", datetime(2025, 7, 4, 15, 20, tzinfo=UTC)),
        ("2022-04-18T13:42:00+0100", datetime(2022, 4, 18, 12, 42, tzinfo=UTC)),
        ("2023-01-14", datetime(2023, 1, 14, tzinfo=UTC)),
        ("14 Ocak 2023", datetime(2023, 1, 14, tzinfo=UTC)),
        ("17 апреля 2025, 18:40", datetime(2025, 4, 17, 18, 40, tzinfo=UTC)),
    ],
)
def test_parse_date_formats(raw, expected):
    parsed = parse_date(raw)
    assert parsed == expected and parsed.tzinfo is not None


def test_parse_date_rejects_garbage():
    assert parse_date("not a date") is None and parse_date("") is None and parse_date(None) is None


def test_text_of_joins_blocks_and_keeps_zwnj():
    root = lxml.html.fragment_fromstring(
        "<div><p>One  <b>two</b>\nthree<br>four</p><div class='x'>skip me</div><ul><li>a</li></ul>"
        "<p>طالبان\u200cها</p><script>var x;</script></div>"
    )
    assert text_of(root, skip=[".x"]) == "One two three\nfour\n\na\n\nطالبان\u200cها"
    assert len(select(root, compile_selector("div > ul li, p"))) == 3


# -- feeds over real HTTP ------------------------------------------------------------------------------------
FEEDS = [
    "/www.ankasam.org/feed/",
    "/www.ankasam.org/en/feed/",
    "/www.ankasam.org/ru/feed/",
    "/www.newarab.com/rss",
    "/en.thebell.io/rss/",
    "/thebell.io/feed/",
]


def test_replay_feeds_list_exactly_the_manifest_articles():
    listed = set()
    with ReplayServer() as server:
        for feed_path in FEEDS:
            with urllib.request.urlopen(server.base_url + feed_path, timeout=10) as response:
                feed = feedparser.parse(response.read())
            assert feed.entries, feed_path
            for item in feed.entries:
                assert item.link.startswith(server.base_url + "/")
                assert parse_date(item.published) is not None, item.published
                with urllib.request.urlopen(item.link, timeout=10) as page:
                    assert page.status == 200 and b"{{REPLAY_BASE}}" not in page.read()
                listed.add(item.link.removeprefix(server.base_url))
    assert listed == {e["path"] for _, e in manifest_entries()}
