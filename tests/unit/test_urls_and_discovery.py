from __future__ import annotations

import pytest

from newsmon.crawl.discovery import parse_feed, parse_listing, parse_sitemap
from newsmon.crawl.mirror import MirrorTransport
from newsmon.crawl.safety import UnsafeAddress, check_url_allowed
from newsmon.crawl.urls import canonicalize_url, find_canonical_link


@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://WWW.Example.com:443/a/./b/?utm_source=x&b=2&a=1#top", "https://www.example.com/a/b/?a=1&b=2"),
    ("http://example.com:80", "http://example.com/"),
    ("https://example.com:8443//x//y", "https://example.com:8443/x/y"),
    ("https://example.com/news?fbclid=abc", "https://example.com/news"),
])
def test_canonicalize_url(url, expected):
    assert canonicalize_url(url) == expected


def test_canonical_link_is_found_and_resolved():
    html = b'<html><head><link href="/en/story/" rel="canonical"></head></html>'
    assert find_canonical_link(html, "https://www.ankasam.org/x") == "https://www.ankasam.org/en/story/"
    assert find_canonical_link(b"<html></html>", "https://a.org/") is None


def test_mirror_urls_map_to_and_from_the_real_site():
    mirror = MirrorTransport("http://127.0.0.1:9/")
    assert mirror.real_url("http://127.0.0.1:9/www.afintl.com/202311193344") == "https://www.afintl.com/202311193344"
    assert mirror.real_url("http://127.0.0.1:10/www.afintl.com/1") == "http://127.0.0.1:10/www.afintl.com/1"
    assert mirror.mirror_url("https://www.afintl.com/en/1?x=2#top") == "http://127.0.0.1:9/www.afintl.com/en/1?x=2"


def test_drupal_feed_with_odd_dates_and_relative_links():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>The New Arab</title>
    <item><title>A</title><link>/news/a</link><pubDate>2024-10-18T23:05:21 +0100</pubDate></item>
    <item><title>No link</title></item></channel></rss>"""
    result = parse_feed(feed, "https://www.newarab.com/rss", "en")
    assert [i.url for i in result.items] == ["https://www.newarab.com/news/a"]
    assert result.items[0].published.isoformat() == "2024-10-18T22:05:21+00:00"
    assert any("no link" in p for p in result.problems)


def test_broken_feed_still_yields_items_and_says_why():
    feed = b"""<rss version="2.0"><channel><item><title>A & B</title><link>https://x.org/a</link></item>
    <item><title>C</title><link>https://x.org/c</link></item>"""
    result = parse_feed(feed, "https://x.org/feed", None)
    assert {i.url for i in result.items} == {"https://x.org/a", "https://x.org/c"}
    assert any("malformed" in p for p in result.problems)


def test_well_formed_feed_reports_no_problem():
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
    <item><title>A</title><link>https://x.org/a</link><pubDate>Fri, 18 Oct 2024 08:00:00 GMT</pubDate></item>
    </channel></rss>"""
    result = parse_feed(feed, "https://x.org/feed", None)
    assert [i.url for i in result.items] == ["https://x.org/a"] and result.problems == []


def test_entity_declarations_are_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><rss><channel></channel></rss>'
    with pytest.raises(ValueError, match="entities"):
        parse_feed(bomb, "https://x.org/feed")
    assert parse_sitemap(bomb, "https://x.org/sitemap.xml").problems


def test_sitemap_index_and_news_sitemap():
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>https://x.org/posts.xml</loc></sitemap></sitemapindex>"""
    assert parse_sitemap(index, "https://x.org/sitemap.xml").sitemaps == ["https://x.org/posts.xml"]
    news = """<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://x.org/1</loc>
    <news:news><news:publication><news:language>fa</news:language></news:publication>
    <news:publication_date>2023-11-19T10:00:00+04:30</news:publication_date><news:title>عنوان</news:title>
    </news:news></url></urlset>""".encode()
    item = parse_sitemap(news, "https://x.org/posts.xml").items[0]
    assert (item.url, item.language, item.title) == ("https://x.org/1", "fa", "عنوان")
    assert item.published.utcoffset().total_seconds() == 4.5 * 3600


def test_listing_page_links_by_pattern():
    html = b'<a href="/r/one.pdf">One</a><a href="/about">About</a><a href="/r/one.pdf">dup</a>'
    result = parse_listing(html, "https://opsour.com/reports/", r"\.pdf$")
    assert [i.url for i in result.items] == ["https://opsour.com/r/one.pdf"]


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://169.254.169.254/latest/meta-data",
                                 "http://10.0.0.1/", "http://[::1]/", "file:///etc/passwd", "http://localhost/"])
def test_private_and_metadata_addresses_are_refused(url):
    with pytest.raises(UnsafeAddress):
        check_url_allowed(url)


def test_private_addresses_allowed_only_when_the_source_says_so():
    check_url_allowed("http://127.0.0.1:8765/x", allow_private=True)


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://169.254.170.2/v2/credentials",
                                 "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/",
                                 "http://[64:ff9b::a9fe:a9fe]/", "http://[fd00:ec2::254]/",
                                 "http://100.100.100.200/latest/meta-data/", "http://metadata.google.internal/",
                                 "http://0.0.0.0/", "http://224.0.0.1/"])
def test_metadata_and_link_local_addresses_are_refused_even_for_private_sources(url):
    # The replay site and intranet sources may reach loopback and private addresses, never these.
    with pytest.raises(UnsafeAddress, match="always refused"):
        check_url_allowed(url, allow_private=True)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/x", "http://[::1]/", "http://10.0.0.1/",
                                 "http://192.168.1.20/feed", "http://localhost/"])
def test_loopback_and_private_addresses_stay_allowed_for_private_sources(url):
    check_url_allowed(url, allow_private=True)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.ankasam.org/slug/?lang=en", "https://www.ankasam.org/en/slug/"),
    ("https://www.ankasam.org/slug/?lang=RU&page=2", "https://www.ankasam.org/ru/slug/?page=2"),
    ("https://www.ankasam.org/slug/?lang=tr", "https://www.ankasam.org/slug/"),  # the root language
    ("https://www.ankasam.org/en/slug/?lang=en", "https://www.ankasam.org/en/slug/"),
    ("https://www.ankasam.org/en/slug/?lang=ru", "https://www.ankasam.org/en/slug/?lang=ru"),  # not the same page
    ("https://www.ankasam.org/slug/?lang=de", "https://www.ankasam.org/slug/?lang=de"),  # not a site language
    ("https://www.ankasam.org/en/slug/", "https://www.ankasam.org/en/slug/"),
])
def test_language_parameter_folds_into_the_language_folder(url, expected):
    from newsmon.crawl.urls import fold_language_parameter

    assert fold_language_parameter(url, "lang", "tr", ["tr", "en", "ru"]) == expected


def test_language_urls_setting_is_validated():
    from pydantic import ValidationError

    from newsmon.sources import LanguageUrls

    assert LanguageUrls(default="tr").param == "lang"
    with pytest.raises(ValidationError, match="unknown language"):
        LanguageUrls(default="xx")
