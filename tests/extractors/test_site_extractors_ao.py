"""Site extractors for Afghanistan International and OpSour, run on their replay pages and PDFs, and the solar
Hijri date helper."""

from __future__ import annotations

import importlib.util
import re
import sys
import urllib.request
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml

from extractors.afintl import AfIntlExtractor
from extractors.common.solar_hijri import (
    gregorian_to_solar_hijri,
    is_leap_year,
    normalize_digits,
    parse_solar_hijri_date,
    solar_hijri_to_gregorian,
)
from extractors.opsour import OpSourExtractor
from newsmon.devstack.replay.server import SITE_ROOT, ReplayServer
from newsmon.errors import DropDocument
from newsmon.models import FetchedPage, document_id
from newsmon.settings import PROJECT_ROOT

MANIFESTS = SITE_ROOT.parent / "manifests"
EXTRACTORS = {"afintl": AfIntlExtractor(), "opsour": OpSourExtractor()}
ZWNJ = "\u200c"
KABUL = timezone(timedelta(hours=4, minutes=30))
ISTANBUL = timezone(timedelta(hours=3))

MOSCOW_FORMAT = "/www.afintl.com/202410043812"
RECOGNITION = "/www.afintl.com/202507035127"
CRICKET = "/www.afintl.com/202310234105"
ENGLISH = "/www.afintl.com/en/202405165790"
BARE_IP = "/203.0.113.7/202410043812"
SEED_PDF = "/opsour.com/wp-content/uploads/2021/11/cautious-optimism-moscow-taliban-nexus.pdf"
TURKISH_PDF = "/opsour.com/wp-content/uploads/2023/03/taliban-yonetimi-ve-orta-asya-guvenligi.pdf"

#: The replay pages' chrome: header, "most read", footer, cookie banner, share bar, in-body extras.
AFINTL_CHROME = [
    "پربیننده",
    "قیمت آرد در بازارهای کابل",
    "سیلاب",
    "کوکی",
    "می\u200cپذیرم",
    "تمام حقوق محفوظ",
    "اشتراک\u200cگذاری",
    "جاوااسکریپت",
    "بیشتر بخوانید",
    "عجله ندارد",
    "نویسنده",
    "هواداران تیم ملی کرکت در کابل پس",
    "Most read",
    "Flash floods",
    "cookies",
    "All rights reserved",
    "Read more",
    "could be lifted",
    "exhibition hall",
    "Share",
]
OPSOUR_BOILERPLATE = [
    "ABOUT OPSOUR",
    "DEPARTMENT GOALS",
    "OpSour aims",
    "Ataköy",
    "Bakırköy",
    "info@opsour.com",
    "www.opsour.com",
    "views expressed",
    "Research and Consulting",
    "Series No.",
    "Serisi",
    "OPSOUR HAKKINDA",
    "BÖLÜM HEDEFLERİ",
    "görüşler yazara",
    "Sayfa",
    "NOVEMBER 2021",
    "November 2021",
    "MART 2023",
    "Mart 2023",
    "PhD Candidate",
    "Hibetullah",
]


def manifest(source: str) -> list[dict]:
    return yaml.safe_load((MANIFESTS / f"{source}.yaml").read_text(encoding="utf-8"))["articles"]


ENTRIES = [(s, e) for s in EXTRACTORS for e in manifest(s) if e["expect"] == "indexed"]


def page_file(path: str) -> Path:
    file = SITE_ROOT / path.strip("/")
    return file / "index.html" if file.is_dir() else file


def fetched(
    source: str, path: str, canonical_url: str, body: bytes | None = None, content_type: str | None = None
) -> FetchedPage:
    body = page_file(path).read_bytes() if body is None else body
    if content_type is None:
        content_type = "application/pdf" if path.endswith(".pdf") else "text/html; charset=utf-8"
    return FetchedPage(
        source=source,
        url="http://127.0.0.1:8765" + path,
        canonical_url=canonical_url,
        status=200,
        content_type=content_type,
        body=body,
        fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
    )


def extract(source: str, path: str, canonical_url: str | None = None, **kwargs):
    if canonical_url is None:
        (entry,) = [e for e in manifest(source) if e["path"] == path]
        canonical_url = entry["canonical_url"]
    return EXTRACTORS[source].extract(fetched(source, path, canonical_url, **kwargs))


# -- every replay article ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "entry"), ENTRIES, ids=[e["path"].rsplit("/", 1)[-1] for _, e in ENTRIES])
def test_every_replay_article_is_extracted_cleanly(source, entry):
    article = extract(source, entry["path"], entry["canonical_url"])
    assert article.title == entry["title"]
    assert article.declared_lang == entry["lang"]
    assert article.canonical_url == entry["canonical_url"]
    assert article.published and article.published.tzinfo is not None
    assert article.modified is None or article.modified.tzinfo is not None
    assert article.authors and all(a.strip() == a and a for a in article.authors)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) >= 5 and all(p.strip() == p and p for p in paragraphs)
    assert 250 <= len(article.text.split())
    leaked = [b for b in AFINTL_CHROME + OPSOUR_BOILERPLATE if b in article.text]
    assert not leaked, f"boilerplate in {entry['path']}: {leaked}"


# -- Afghanistan International -----------------------------------------------------------------------------
def test_afintl_article_comes_from_next_data():
    shell = lxml.html.document_fromstring(page_file(MOSCOW_FORMAT).read_bytes())
    assert shell.get("lang") == "fa" and shell.get("dir") == "rtl"
    assert not shell.xpath('//div[contains(@class, "article-body")]//p')  # the server sends an empty body
    a = extract("afintl", MOSCOW_FORMAT)
    assert a.authors == ["نسرین رحیمی"]
    assert a.section == "افغانستان"
    assert a.published == datetime(2024, 10, 4, 11, 10, tzinfo=UTC)
    assert a.modified == datetime(2024, 10, 4, 13, 25, tzinfo=UTC)
    assert a.text.startswith("دور تازه نشست فرمت مسکو")  # the summary leads
    assert "اعلامیه پایانی" in a.text.split("\n\n")  # a subheading is its own paragraph
    assert "کابلوف" in a.text and "امیرخان متقی" in a.text and a.translations == {}


def test_afintl_keeps_zero_width_non_joiners():
    a = extract("afintl", MOSCOW_FORMAT)
    for word in ("طالبان‌ها", "سفارت‌ها", "می‌دهد", "رئیس‌جمهور"):
        assert ZWNJ in word and word in a.text
    assert "طالبانها" not in a.text and "طالبان ها" not in a.text
    assert a.text.count(ZWNJ) >= 20
    cricket = extract("afintl", CRICKET)  # the JSON-blocks body keeps them too
    assert "جاده‌ها" in cricket.title and "می‌کنند" in cricket.text


def test_afintl_arabic_letter_forms_and_digits_pass_through_unchanged():
    a = extract("afintl", RECOGNITION)
    arabic = [p for p in a.text.split("\n\n") if "روسيه" in p]
    assert len(arabic) == 1 and "كمك مي‌كند" in arabic[0] and "١٢ سرطان ١٤٠٤" in arabic[0]
    assert "۲۸ حمل" in a.text  # Persian digits elsewhere
    assert parse_solar_hijri_date(arabic[0]) == a.published.astimezone(KABUL).date()


def test_afintl_printed_solar_date_matches_the_json_date():
    for path in (MOSCOW_FORMAT, RECOGNITION, CRICKET):
        tree = lxml.html.document_fromstring(page_file(path).read_bytes())
        printed = tree.xpath("//article//time")[0].text_content()
        assert re.search("[۰-۹]", printed) and not re.search("[0-9]", printed)
        assert parse_solar_hijri_date(printed) == extract("afintl", path).published.astimezone(KABUL).date()


def test_afintl_hard_negative_is_sport_only():
    a = extract("afintl", CRICKET)
    assert a.section == "ورزش"
    assert "کابل" in a.text and "پاکستان" in a.text
    for word in ("طالبان", "امارت اسلامی", "روسیه", "مسکو", "کابلوف"):
        assert word not in a.text


def test_afintl_english_blocks_skip_images_ads_and_related_links():
    a = extract("afintl", ENGLISH)
    assert a.declared_lang == "en" and a.section == "Business" and a.authors == ["Sahar Mohseni"]
    paragraphs = a.text.split("\n\n")
    assert "Transit through Central Asia" in paragraphs
    assert any(p.startswith("“Afghanistan is no longer a war zone") for p in paragraphs)
    assert "Nooruddin Azizi" in paragraphs[1]  # inline <strong> is flattened
    assert a.published == datetime(2024, 5, 16, 9, 20, tzinfo=UTC)


def test_afintl_bare_ip_copy_is_the_same_document():
    body = page_file(BARE_IP).read_bytes()
    assert (
        b"__NEXT_DATA__" not in body and b'rel="canonical" href="https://www.afintl.com/202410043812"' in body
    )
    copy = extract("afintl", BARE_IP, "http://203.0.113.7/202410043812")
    original = extract("afintl", MOSCOW_FORMAT)
    assert copy.canonical_url == original.canonical_url == "https://www.afintl.com/202410043812"
    assert copy.id == original.id == document_id("https://www.afintl.com/202410043812")
    for field in ("title", "text", "authors", "published", "modified", "section", "declared_lang"):
        assert getattr(copy, field) == getattr(original, field), field


def test_afintl_falls_back_to_the_printed_solar_date():
    html = page_file(BARE_IP).read_text(encoding="utf-8")
    html = re.sub(r'<meta property="article:(published|modified)_time"[^>]*>', "", html)
    html = html.replace('dateTime="2024-10-04T11:10:00.000Z"', "")
    a = extract("afintl", BARE_IP, "https://www.afintl.com/202410043812", body=html.encode("utf-8"))
    assert a.published == datetime(2024, 10, 4, 15, 40, tzinfo=KABUL)
    assert a.published == datetime(2024, 10, 4, 11, 10, tzinfo=UTC) and a.modified is None


def test_afintl_page_without_article_is_dropped():
    html = b'<html lang="fa"><body><div id="__next"><header>x</header></div></body></html>'
    with pytest.raises(DropDocument):
        extract("afintl", MOSCOW_FORMAT, body=html)


# -- OpSour ------------------------------------------------------------------------------------------------
def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _seed_body_words() -> set[str]:
    seed = (PROJECT_ROOT / "tests" / "fixtures" / "seeds" / "004_6f10304757a95b01.txt").read_text(encoding="utf-8")
    body = "ABSTRACT" + seed.split("# ABSTRACT", 1)[1]
    body = re.sub(r"(?m)^<sup>\d+</sup>.*$", "", body)  # footnotes
    body = re.sub(r"<sup>\d+</sup>", "", body)  # their markers
    body = re.sub(r"\(https?://[^)]*\)|<https?://[^>]*>", "", body)
    return _words(body)


def test_opsour_seed_report_text_is_the_seed_body():
    a = extract("opsour", SEED_PDF)
    assert a.title == "Cautious Optimism: The Past and the Future of Moscow-Taliban Nexus"
    assert a.authors == ["Mehmet Akif Koç"]
    assert a.published == datetime(2021, 11, 22, 10, 30, tzinfo=ISTANBUL)
    words, seed = _words(a.text), _seed_body_words()
    assert words <= seed, f"words not in the seed (headers, split words?): {sorted(words - seed)}"
    assert seed - words <= _words(a.title + " " + " ".join(a.authors)), sorted(seed - words - _words(a.title))
    assert a.text.startswith("ABSTRACT\n\n“The paper aims at analyzing")


def test_opsour_mends_hyphenation_and_paragraphs_split_by_pages():
    raw = _pdf_lines(SEED_PDF)
    hyphenated = [ln for ln in raw if re.search(r"[a-z]-$", ln)]
    assert len(hyphenated) >= 10  # the typesetter does hyphenate
    a = extract("opsour", SEED_PDF)
    paragraphs = a.text.split("\n\n")
    for phrase in (
        "Taliban's seizure of power has been",
        "recent rapprochement toward",
        "an official Taliban delegation reached Moscow",
        "Dmitry Zhirnov, had praised",
    ):
        assert phrase in a.text
    assert any("the US withdrawal and Taliban's seizure of power" in p for p in paragraphs)
    assert any(
        "in Afghanistan sooner or later. Those contacts resulted" in p for p in paragraphs
    )  # over a page
    assert any(
        p.endswith(
            "Afghanistan for propaganda purposes; giving the message to the international "
            "community that the US is an unreliable ally and also reflecting domestic audience as "
            "proof of the unavertable decline of the US hegemony."
        )
        for p in paragraphs
    )
    assert "What to expect now?" in paragraphs and "iii) global/systemic implications" in paragraphs
    assert sum(p[:3] in {f"{n}. " for n in range(1, 7)} for p in paragraphs) == 6
    assert not [p for p in paragraphs if re.fullmatch(r"\d+", p)]  # no page numbers


def test_opsour_footnotes_are_kept_apart():
    a = extract("opsour", SEED_PDF)
    assert [f[:4] for f in a.footnotes] == ["[1] ", "[2] "]
    assert a.footnotes[0] == (
        "[1] PhD Candidate, Middle East Studies. Social Sciences University of Ankara, akifkoc@hotmail.com"
    )
    assert a.footnotes[1].endswith(
        "available at: https://carnegieendowment.org/2021/08/18/afghanistan-under-taliban-pub-85168"
    )
    assert "sooner or later. Those" in a.text and "later.2" not in a.text and "Koç1" not in a.text


def test_opsour_turkish_report():
    a = extract("opsour", TURKISH_PDF)
    assert a.declared_lang == "tr" and a.authors == ["Elif Sena Karaca"]
    assert a.published == datetime(2023, 3, 14, 9, 0, tzinfo=ISTANBUL)
    for word in (
        "Taliban'ın",
        "Özbekistan",
        "güçlendirmiş",
        "Taşkent",
        "Duşanbe",
        "Moskova Formatı",
        "Kolektif Güvenlik Antlaşması Örgütü",
        "demiryolu",
        "uygulanabilirliğini",
    ):
        assert word in a.text
    assert a.text.startswith("ÖZET\n\nBu rapor, Taliban'ın")
    assert a.text.endswith("tamamlayıcı bir rol üstlenebilir.")
    assert "yasaklaması, bölgede" in a.text  # the footnote marker is gone, no stray space
    assert len(a.footnotes) == 2 and a.footnotes[1].startswith("[2] Taliban lideri Hibetullah Ahundzade'nin")


def test_opsour_reads_a_pdf_served_with_a_wrong_content_type():
    a = extract("opsour", TURKISH_PDF, content_type="application/octet-stream")
    assert a.title.startswith("Taliban Yönetimi")


def test_opsour_broken_pdf_is_dropped():
    with pytest.raises(DropDocument) as caught:
        extract("opsour", SEED_PDF, body=b"%PDF-1.4\nnot really a pdf")
    assert caught.value.reason in {"unreadable-pdf", "pdf-without-text"}


def _pdf_lines(path: str) -> list[str]:
    import pypdf

    reader = pypdf.PdfReader(page_file(path))
    return [ln.strip() for p in reader.pages for ln in p.extract_text().splitlines()]


def test_opsour_pdfs_carry_the_boilerplate_the_extractor_removes():
    lines = _pdf_lines(SEED_PDF)
    for expected in (
        "ABOUT OPSOUR",
        "DEPARTMENT GOALS",
        "info@opsour.com",
        "www.opsour.com 3",
        "NOVEMBER 2021",
    ):
        assert expected in lines
    turkish = _pdf_lines(TURKISH_PDF)
    assert "OPSOUR HAKKINDA" in turkish and "Sayfa 2 / 4" in turkish


def _load_pdf_script():
    spec = importlib.util.spec_from_file_location(
        "make_opsour_pdf", PROJECT_ROOT / "scripts" / "make_opsour_pdf.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_pdf_script_reproduces_the_committed_pdfs(tmp_path):
    script = _load_pdf_script()
    missing = [f for f in script.FONT_FILES.values() if not (script.DEFAULT_FONTS / f).is_file()]
    assert not missing, f"DejaVu fonts {missing} missing: `make test` installs fonts-dejavu-core and -extra"
    assert script.main(["--out-dir", str(tmp_path)]) == 0
    for path in (SEED_PDF, TURKISH_PDF):
        relative = path.split("/uploads/", 1)[1]
        assert (tmp_path / relative).read_bytes() == page_file(path).read_bytes(), relative


def test_pdf_script_says_what_to_do_without_fonts(tmp_path):
    with pytest.raises(SystemExit) as caught:
        _load_pdf_script().main(["--fonts-dir", str(tmp_path), "--out-dir", str(tmp_path)])
    assert "DejaVu" in str(caught.value) and "--fonts-dir" in str(caught.value)


# -- discovery over real HTTP ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def replay():
    with ReplayServer() as server:
        yield server.base_url


def _get(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["Content-Type"], response.read()


SITEMAP_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def test_afintl_sitemap_index_lists_every_article_and_the_bare_ip_copy(replay):
    _, index = _get(replay + "/www.afintl.com/sitemap.xml")
    root = lxml.etree.fromstring(index)
    assert root.tag == f"{{{SITEMAP_NS['sm']}}}sitemapindex"
    (posts_url,) = root.xpath("//sm:sitemap/sm:loc/text()", namespaces=SITEMAP_NS)
    assert posts_url.startswith(replay + "/www.afintl.com/")
    _, posts = _get(posts_url)
    urls = lxml.etree.fromstring(posts).xpath("//sm:url", namespaces=SITEMAP_NS)
    locs = [u.xpath("string(sm:loc)", namespaces=SITEMAP_NS) for u in urls]
    expected = {replay + e["path"] for e in manifest("afintl")} | {replay + BARE_IP}
    assert set(locs) == expected and len(locs) == len(expected)
    for url in urls:
        news_lang = url.xpath("string(news:news/news:publication/news:language)", namespaces=SITEMAP_NS)
        published = url.xpath("string(news:news/news:publication_date)", namespaces=SITEMAP_NS)
        assert news_lang in {"fa", "en"} and datetime.fromisoformat(published).tzinfo is not None
    for loc in locs:  # every page is served, and declares its real canonical URL
        content_type, body = _get(loc)
        assert content_type.startswith("text/html")
        canonical = lxml.html.document_fromstring(body).xpath('//link[@rel="canonical"]/@href')[0]
        assert canonical.startswith("https://www.afintl.com/") and canonical.endswith(loc.rsplit("/", 1)[-1])
        assert b"{{REPLAY_BASE}}" not in body


def test_opsour_listing_links_both_reports(replay):
    _, listing = _get(replay + "/opsour.com/reports/")
    links = lxml.html.document_fromstring(listing).xpath("//a/@href")
    pdfs = sorted({link for link in links if re.search(r"\.pdf$", link)})
    assert pdfs == sorted(replay + e["path"] for e in manifest("opsour"))
    for url in pdfs:
        content_type, body = _get(url)
        assert content_type == "application/pdf" and body.startswith(b"%PDF-")


@pytest.mark.parametrize("host", ["www.afintl.com", "203.0.113.7", "opsour.com"])
def test_robots_txt_allows_everything(replay, host):
    _, robots = _get(f"{replay}/{host}/robots.txt")
    text = robots.decode()
    assert "User-agent: *" in text and "Allow: /" in text
    assert "Disallow: /" not in text and "crawl-delay" not in text.lower()


# -- solar Hijri dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1 حمل 1403", date(2024, 3, 20)),
        ("۲۸ قوس ۱۴۰۲", date(2023, 12, 19)),
        ("٢٨ قوس ١٤٠٢", date(2023, 12, 19)),  # Arabic-Indic digits
        ("۲۸ آذر ۱۴۰۲", date(2023, 12, 19)),  # the Iranian month name
        ("سه‌شنبه ۲۸ قوس ۱۴۰۲ - ۱۴:۲۰", date(2023, 12, 19)),
        ("۲۴ اسد ۱۴۰۰", date(2021, 8, 15)),  # the fall of Kabul
        ("1 حمل 1404", date(2025, 3, 21)),
        ("۳۰ حوت ۱۴۰۳", date(2025, 3, 20)),  # 1403 is a leap year
        ("۱ فروردین ۱۳۹۹", date(2020, 3, 20)),
        ("12 جدي 1402", date(2024, 1, 2)),  # Arabic ي
        ("۱۰ امرداد ۱۴۰۲", date(2023, 8, 1)),
        ("۱ جوزاء ۱۴۰۳", date(2024, 5, 21)),
        ("۱۴۰۲/۰۹/۲۸", date(2023, 12, 19)),
    ],
)
def test_solar_hijri_dates(printed, expected):
    assert parse_solar_hijri_date(printed) == expected


def test_solar_hijri_month_lengths_and_bad_dates():
    assert is_leap_year(1403) and not is_leap_year(1402) and is_leap_year(1399)
    with pytest.raises(ValueError):
        solar_hijri_to_gregorian(1402, 12, 30)
    with pytest.raises(ValueError):
        solar_hijri_to_gregorian(1402, 7, 31)
    assert parse_solar_hijri_date("۳۰ حوت ۱۴۰۲") is None
    assert parse_solar_hijri_date("کابل، افغانستان") is None and parse_solar_hijri_date("") is None
    assert normalize_digits("۱۴۰۲ و ٤٥") == "1402 و 45"


def test_solar_hijri_round_trip():
    day = date(2000, 1, 1)
    while day < date(2035, 1, 1):
        assert solar_hijri_to_gregorian(*gregorian_to_solar_hijri(day)) == day
        day += timedelta(days=1)
    assert gregorian_to_solar_hijri(date(2023, 10, 23)) == (1402, 8, 1)
