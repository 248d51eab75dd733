"""Alert e-mail: a plain-text and an HTML part, everything from the page escaped, sent over SMTP."""

from __future__ import annotations

import html
import re
from email.message import EmailMessage
from email.utils import formatdate

from newsmon.settings import Settings

__all__ = ["build_alert_mail", "build_digest_mail"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace and control characters (no header injection), and shorten."""
    text = _CONTROL.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _highlight_html(snippet: str, surfaces: list[str]) -> str:
    escaped = html.escape(snippet)
    for surface in sorted(set(surfaces), key=len, reverse=True):
        if surface:
            escaped = escaped.replace(html.escape(surface), f"<mark>{html.escape(surface)}</mark>")
    return escaped


def _story_parts(rule, articles: list[dict]) -> tuple[list[str], list[str]]:
    """The plain-text lines and HTML fragments of one story (its language versions, the lead first)."""
    wanted = set(rule.match.themes) | set(rule.match.actors)
    plain: list[str] = []
    rich: list[str] = []
    if len(articles) > 1:
        languages = ", ".join(a.get("lang", "?") for a in articles)
        plain.append(f"One story in {len(articles)} language versions: {languages}")
        rich.append(f"<p>One story in {len(articles)} language versions: {html.escape(languages)}</p>")
    for article in articles:
        mentions = [m for m in article.get("mentions", []) if m["id"] in wanted] or article.get("mentions", [])[:3]
        meta = f"{article.get('source', '')} · {article.get('lang', '')} · {(article.get('published') or '')[:10]}"
        url = _one_line(article["canonical_url"], 2000)
        plain += [_one_line(article.get("title", ""), 300), meta, url]
        rich.append(f"<h3>{html.escape(_one_line(article.get('title', ''), 300))}</h3>"
                    f"<p>{html.escape(meta)}<br><a href=\"{html.escape(url, quote=True)}\">"
                    f"{html.escape(url)}</a></p><ul>")
        seen_snippets = set()
        for mention in mentions[:5]:
            if mention["snippet"] in seen_snippets:
                continue
            seen_snippets.add(mention["snippet"])
            snippet = _one_line(mention["snippet"], 600)
            plain.append(f"  [{mention['id']}] {snippet.replace(mention['surface'], '*' + mention['surface'] + '*', 1)}")
            rich.append(f"<li>[{html.escape(mention['id'])}] {_highlight_html(snippet, [mention['surface']])}</li>")
        rich.append("</ul>")
        plain.append("")
    return plain, rich


def _message(rule, subject: str, plain: list[str], rich: list[str], settings: Settings, message_id: str,
             story_id: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.mail_from
    message["To"] = ", ".join(rule.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message["X-Newsmon-Rule"] = rule.id
    message["X-Newsmon-Story"] = story_id
    message.set_content("\n".join(plain))
    message.add_alternative("<html><body>" + "".join(rich) + "</body></html>", subtype="html")
    return message


def build_alert_mail(rule, articles: list[dict], settings: Settings, message_id: str) -> EmailMessage:
    """The mail for one rule and one story (``articles``: the story's language versions, first is the lead)."""
    lead = articles[0]
    subject = f"[newsmon] {rule.name}: {_one_line(lead.get('title') or lead['canonical_url'], 150)}"
    plain, rich = _story_parts(rule, articles)
    return _message(rule, subject, [f"Rule: {rule.name} ({rule.id})", "", *plain],
                    [f"<p>Rule: <b>{html.escape(rule.name)}</b> ({html.escape(rule.id)})</p>", *rich],
                    settings, message_id, _one_line(lead.get("story_id", ""), 100))


def build_digest_mail(rule, stories: list[list[dict]], settings: Settings, message_id: str,
                      period: str) -> EmailMessage:
    """One mail for one rule listing several stories (each: its language versions, lead first), newest first.

    ``period`` says what the digest covers, e.g. ``"until 2026-01-05 06:00 UTC"`` or ``"since 2025-01-01"``.
    The header ``X-Newsmon-Stories`` lists the story ids, ``X-Newsmon-Story`` is ``digest``.
    """
    subject = f"[newsmon] {rule.name}: digest of {len(stories)} {'story' if len(stories) == 1 else 'stories'}"
    plain = [f"Rule: {rule.name} ({rule.id}), digest {period}: {len(stories)} stories", ""]
    rich = [(f"<p>Rule: <b>{html.escape(rule.name)}</b> ({html.escape(rule.id)}), digest {html.escape(period)}: "
            f"{len(stories)} stories</p>")]
    for number, story in enumerate(stories, 1):
        lead = story[0]
        headline = _one_line(lead.get("title") or lead["canonical_url"], 200)
        plain += [f"{number}. {headline}", "-" * 40]
        rich.append(f"<hr><h2>{number}. {html.escape(headline)}</h2>")
        story_plain, story_rich = _story_parts(rule, story)
        plain += story_plain
        rich += story_rich
    message = _message(rule, subject, plain, rich, settings, message_id, "digest")
    message["X-Newsmon-Stories"] = " ".join(_one_line(s[0].get("story_id", ""), 100) for s in stories)
    return message
