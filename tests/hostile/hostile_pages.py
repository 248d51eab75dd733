"""What the hostile site serves: feeds, robots.txt files and pages built to break a crawler, and their numbers.

Everything is generated here (no static files); :mod:`hostile_site` maps each route to one of these.
"""

from __future__ import annotations

import gzip
from functools import cache
from html import escape

HOST = "hostile.example"
R500_HOST = "r500.hostile.example"  # robots.txt answers 500
GROUPS_HOST = "groups.hostile.example"  # robots.txt with two "User-agent: *" groups and an Allow
REDIRBOTS_HOST = "redirbots.hostile.example"  # robots.txt behind a redirect
FLOOD_HOST = "flood.hostile.example"  # 10,000 links, each 503 with Retry-After: 999999
SLOW_HOST = "slow.hostile.example"  # every page takes a second: the run deadline

FLOOD_LINKS = 10_000
SLOW_LINKS = 12
#: A marker word past the first million characters of the long article (beyond what highlighting reads).
LATE_MARKER = "quasquicentennial"
#: One near its start.
EARLY_MARKER = "sesquicentennial"
LONG_ARTICLE_CHARS = 1_350_000
CRLF_TITLE = "Taliban envoy meets Kabulov\r\nBcc: victim@example.org"
SCRIPT_TITLE = "<script>alert(document.cookie)</script> Kabul talks resume"
JAVASCRIPT_CANONICAL = "javascript://hostile.example/%0Aalert(document.cookie)"
METADATA_URL = "http://169.254.169.254/latest/meta-data/"
RUSSIAN_TITLE = "Кабулов обсудил с талибами признание"
ENTITY_BOMB_COMMENT_BYTES = 70_000

#: The main feed's links: (host, path, feed title) — one line per attack on a page.
FEED_LINKS = (
    (HOST, "/drip/", "A page that sends one byte per second"),
    (HOST, "/canonical-js/", "A javascript: canonical link"),
    (HOST, "/cp1251/", "Declares UTF-8, is windows-1251"),
    (HOST, "/to-ipv6/", "A redirect to an IPv6 loopback address"),
    (HOST, "/gzip-bomb/", "A gzip bomb"),
    (HOST, "/endless/", "A body that never ends"),
    (HOST, "/long/", "An article of 1.35 million characters"),
    (HOST, "/crlf-title/", CRLF_TITLE),
    (HOST, "/script-title/", SCRIPT_TITLE),
    (HOST, "/to-metadata/", "A redirect to the cloud metadata address"),
    (R500_HOST, "/a/", "A page on a host whose robots.txt answers 500"),
    (R500_HOST, "/b/", "Another page on that host"),
    (GROUPS_HOST, "/first/1/", "Disallowed by the first User-agent: * group"),
    (GROUPS_HOST, "/second/1/", "Disallowed by the second User-agent: * group"),
    (GROUPS_HOST, "/second/open/1/", "Allowed by the longer Allow rule"),
    (GROUPS_HOST, "/third/1/", "Allowed: no rule"),
    (REDIRBOTS_HOST, "/blocked/1/", "Disallowed by a robots.txt behind a redirect"),
    (REDIRBOTS_HOST, "/open/1/", "Allowed by it"),
)

ROBOTS = {
    HOST: b"User-agent: *\nDisallow: /private/\n",
    GROUPS_HOST: b"User-agent: *\nDisallow: /first/\n\nUser-agent: other-bot\nDisallow: /\n\n"
                 b"User-agent: *\nDisallow: /second/\nAllow: /second/open/\n",
    "redirbots-real": b"User-agent: *\nDisallow: /blocked/\n",
}

_PARAGRAPHS = (
    "Diplomats from Ankara, Moscow and Tehran met in Doha on Thursday to discuss humanitarian access to "
    "Afghanistan before the winter. According to officials present, the talks covered aid convoys, border "
    "crossings and the status of foreign embassies in Kabul; a further round is planned for next month.",
    "Analysts said the meeting showed how regional powers keep their own channels to the Taliban open while "
    "Western governments hesitate. None of the delegations announced formal recognition of the authorities "
    "in Kabul, but all of them described the talks as practical and said the contacts would continue.",
)
_RUSSIAN = (
    "Специальный представитель президента России по Афганистану Замир Кабулов заявил в четверг, что Москва "
    "продолжит контакты с талибами, несмотря на отсутствие официального признания новых властей в Кабуле.",
    "По словам Кабулова, гуманитарная помощь населению Афганистана должна поступать без политических условий, "
    "а следующая встреча в московском формате запланирована на конец месяца.",
)


def _page(title: str, paragraphs, *, head: str = "", lang: str = "en") -> bytes:
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}'
            f"</head><body><article><h1>{escape(title)}</h1>\n{body}</article></body></html>").encode("utf-8")


def article(title: str, canonical: str | None = None) -> bytes:
    head = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    return _page(title, _PARAGRAPHS, head=head)


def feed(links=FEED_LINKS) -> bytes:
    """RSS 2.0 listing ``links`` as real URLs (the crawler fetches them through the mirror)."""
    items = "".join(f"<item><title>{escape(title)}</title><link>https://{host}{path}</link></item>\n"
                    for host, path, title in links)
    items = items.replace("\r", "&#13;").replace("\n</", "</")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>hostile</title>'
            f"<link>https://{HOST}/</link>{items}</channel></rss>").encode("utf-8")


def numbered_feed(host: str, count: int) -> bytes:
    return feed([(host, f"/item/{n}/", f"Item {n}") for n in range(count)])


@cache
def entity_bomb_feed() -> bytes:
    """A billion-laughs feed whose DOCTYPE comes after a 70 KB comment (past a 64 KB pre-check)."""
    entities = ['<!ENTITY a "aaaaaaaaaa">'] + [
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)]
    return ('<?xml version="1.0"?>\n<!--' + "x" * ENTITY_BOMB_COMMENT_BYTES + "-->\n<!DOCTYPE rss [\n"
            + "\n".join(entities) + '\n]>\n<rss version="2.0"><channel><title>&j;</title><item><title>&j;</title>'
            f"<link>https://{HOST}/bombed/</link></item></channel></rss>").encode("utf-8")


def xxe_feed() -> bytes:
    return ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
            '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
            f"<link>https://{HOST}/xxe-item/</link></item></channel></rss>").encode("utf-8")


def self_sitemap(path: str, others: tuple[str, ...] = ()) -> bytes:
    """A sitemap index listing itself (and ``others``)."""
    entries = "".join(f"<sitemap><loc>https://{HOST}{p}</loc></sitemap>" for p in (path, *others))
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>').encode("utf-8")


def russian_page_cp1251() -> bytes:
    """A Russian article that declares UTF-8 (header and meta tag) but is encoded in windows-1251."""
    return _page(RUSSIAN_TITLE, _RUSSIAN * 3, lang="ru").decode("utf-8").encode("cp1251")


@cache
def gzip_bomb() -> bytes:
    """20 MB of zeros in ~20 KB of gzip."""
    return gzip.compress(b"\0" * 20_000_000, compresslevel=9)


@cache
def long_article() -> bytes:
    """An article of more than :data:`LONG_ARTICLE_CHARS` characters, with a marker word early and one past the
    first million characters."""
    paragraphs, size, number, late = [], 0, 0, False
    while size < LONG_ARTICLE_CHARS:
        text = f"Section {number}. {_PARAGRAPHS[number % 2]}"
        if number == 3:
            text += f" The {EARLY_MARKER} of the treaty was noted."
        if size > 1_100_000 and not late:
            text, late = text + f" The {LATE_MARKER} is far down this page.", True
        paragraphs.append(text)
        size += len(text) + 2
        number += 1
    return _page("A very long report on Afghanistan", paragraphs)
