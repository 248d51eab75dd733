"""Publish a new article on a copy of the replay site, as a CMS would: its page, and an item at the top of the
source's feed (the latency benchmark and the feed-watcher tests)."""

from __future__ import annotations

import hashlib
import html
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

__all__ = ["NEWARAB_FEED", "Published", "publish_article"]

#: The New Arab's RSS feed in the replay site.
NEWARAB_FEED = Path("www.newarab.com") / "rss" / "index.rss"

_PARAGRAPHS = (
    "Special envoys from Russia, China, Iran, Pakistan, India and the Central Asian states met on Tuesday "
    "for a new round of the Moscow Format consultations on Afghanistan, with a Taliban delegation attending.",
    "Zamir Kabulov, the Russian presidential envoy, told reporters that the Moscow Format remains the main "
    "regional platform for talks with the Taliban authorities in Kabul and that recognition was discussed.",
    "The joint statement called for an inclusive government in Kabul, action against terrorist groups "
    "operating from Afghan territory, and more trade through the North-South transport corridor.",
    "Diplomats said the next meeting of the format could take place in Kazan next year.",
)


class Published(NamedTuple):
    """An article :func:`publish_article` put on the site."""

    title: str
    #: The real site's URL of the article (its canonical link): ``document_id`` of it is the article's id.
    canonical_url: str


_WORDS = ("officials delegation ministers border trade corridor wheat fuel railway bank sanctions embassy "
          "province governor market prices winter refugees pipeline customs airport convoy talks summit agenda "
          "parliament envoy statement briefing reporters analysts security drought harvest schools hospitals "
          "loans exports imports mines copper lithium highway tunnel electricity grid water dam river valley "
          "council committee commission observers journalists lawyers traders farmers drivers pilots students "
          "teachers doctors engineers soldiers police guards clerics elders merchants bankers investors").split()


def _background(tag: str, sentences: int = 12) -> list[str]:
    """Sentences of their own for the article ``tag`` (seeded by it), so that two published articles are not
    near-duplicates of each other (the events stage would make the later one a copy that never mails)."""
    rng = random.Random(hashlib.sha256(tag.encode()).digest())
    return [" ".join(rng.choice(_WORDS) for _ in range(rng.randint(9, 14))).capitalize() + "."
            for _ in range(sentences)]


def publish_article(site: Path, tag: str, now: datetime | None = None) -> Published:
    """Put a new Moscow Format article on the New Arab of the replay site copy ``site`` and at the top of its RSS
    feed; its title (unique through ``tag`` and the time) and canonical URL."""
    now = now or datetime.now(UTC)
    slug = f"moscow-format-envoys-meet-{now:%Y%m%d%H%M%S%f}-{tag}"
    paragraphs = [*_PARAGRAPHS[:2], " ".join(_background(slug)[:6]), *_PARAGRAPHS[2:], " ".join(_background(slug)[6:])]
    title = f"Moscow Format envoys meet again on Afghanistan ({now:%H:%M:%S} UTC, {tag})"
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | The New Arab</title>
<link rel="canonical" href="https://www.newarab.com/news/{slug}">
<meta property="og:title" content="{html.escape(title)}"><meta property="article:published_time" content="{now.isoformat()}">
</head><body><article><h1 class="page-title">{html.escape(title)}</h1>
<div class="article-date"><time datetime="{now.isoformat()}">{now:%d %B, %Y}</time></div>
<div class="field--name-body">{''.join(f'<p>{html.escape(p)}</p>' for p in paragraphs)}</div></article></body></html>"""
    target = site / "www.newarab.com" / "news" / slug / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(page, encoding="utf-8")
    feed = site / NEWARAB_FEED
    item = (f"<item><title>{html.escape(title)}</title><link>{{{{REPLAY_BASE}}}}/www.newarab.com/news/{slug}</link>"
            f"<pubDate>{now:%a, %d %b %Y %H:%M:%S} +0000</pubDate><guid isPermaLink=\"false\">{slug}</guid></item>\n  ")
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("<item>", item + "<item>", 1), encoding="utf-8")
    return Published(title, f"https://www.newarab.com/news/{slug}")
