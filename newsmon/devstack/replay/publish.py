"""Publish a new article on a copy of the replay site, as a CMS would: its page, and an item at the top of the
source's feed (the latency benchmark and the feed-watcher tests)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["NEWARAB_FEED", "publish_article"]

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


def publish_article(site: Path, tag: str, now: datetime | None = None) -> str:
    """Put a new Moscow Format article on the New Arab of the replay site copy ``site`` and at the top of its RSS
    feed; returns its title (unique through ``tag`` and the time)."""
    now = now or datetime.now(UTC)
    slug = f"moscow-format-envoys-meet-{now:%Y%m%d%H%M%S%f}-{tag}"
    title = f"Moscow Format envoys meet again on Afghanistan ({now:%H:%M:%S} UTC, {tag})"
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | The New Arab</title>
<link rel="canonical" href="https://www.newarab.com/news/{slug}">
<meta property="og:title" content="{html.escape(title)}"><meta property="article:published_time" content="{now.isoformat()}">
</head><body><article><h1 class="page-title">{html.escape(title)}</h1>
<div class="article-date"><time datetime="{now.isoformat()}">{now:%d %B, %Y}</time></div>
<div class="field--name-body">{''.join(f'<p>{html.escape(p)}</p>' for p in _PARAGRAPHS)}</div></article></body></html>"""
    target = site / "www.newarab.com" / "news" / slug / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(page, encoding="utf-8")
    feed = site / NEWARAB_FEED
    item = (f"<item><title>{html.escape(title)}</title><link>{{{{REPLAY_BASE}}}}/www.newarab.com/news/{slug}</link>"
            f"<pubDate>{now:%a, %d %b %Y %H:%M:%S} +0000</pubDate><guid isPermaLink=\"false\">{slug}</guid></item>\n  ")
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("<item>", item + "<item>", 1), encoding="utf-8")
    return title
