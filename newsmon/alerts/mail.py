"""Alert e-mail: one mail per recipient and event (updates in the same thread), and digests listing events.

A plain-text and an HTML part; everything that comes from a page is escaped and kept on one line in headers. An
event's articles are grouped by language (the table's order) and source, each with the evidence the matched rules
looked for (its mention snippets, the mention marked); near-duplicates are listed under their original.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formatdate

from newsmon.languages import language_order
from newsmon.settings import Settings
from newsmon.url_policy import is_web_url

__all__ = ["build_digest_mail", "build_event_mail", "build_notice_mail", "event_plain_text", "event_title",
           "notice_plain_text", "notice_subject"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SNIPPETS_PER_ARTICLE = 4


def _one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace and control characters (no header injection), and shorten."""
    text = _CONTROL.sub(" ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _highlight_html(snippet: str, surface: str) -> str:
    escaped = html.escape(snippet)
    return escaped.replace(html.escape(surface), f"<mark>{html.escape(surface)}</mark>") if surface else escaped


def event_title(event: dict, articles: Iterable[dict] = ()) -> str:
    """The event's headline: its first English title, else its first title, else the first article's."""
    titles = event.get("titles") or {}
    for lang in sorted(titles, key=language_order):
        if titles[lang]:
            return _one_line(titles[lang], 150)
    first = next(iter(articles), {})
    return _one_line(first.get("title") or first.get("canonical_url") or event.get("id", ""), 150)


def _wanted(rules) -> set[str]:
    return {i for rule in rules for i in [*rule.match.themes, *rule.match.actors]}


def _link(url: str) -> str:
    """An HTML link to ``url`` if it is a web URL (never a ``javascript:`` or ``data:`` one), else its text."""
    if not is_web_url(url):
        return html.escape(url)
    return f"<a href=\"{html.escape(url, quote=True)}\">{html.escape(url)}</a>"


def _article_parts(article: dict, wanted: set[str], copies: list[dict]) -> tuple[list[str], list[str]]:
    mentions = [m for m in article.get("mentions", []) if m["id"] in wanted] or article.get("mentions", [])[:3]
    meta = f"{article.get('source', '')} · {article.get('lang', '')} · {(article.get('published') or '')[:10]}"
    url = _one_line(article.get("canonical_url", ""), 2000)
    plain = [f"  {_one_line(article.get('title', ''), 300)}", f"  {meta}", f"  {url}"]
    rich = [f"<h4>{html.escape(_one_line(article.get('title', ''), 300))}</h4>"
            f"<p>{html.escape(meta)}<br>{_link(url)}</p><ul>"]
    seen = set()
    for mention in mentions:
        if mention["snippet"] in seen or len(seen) >= _SNIPPETS_PER_ARTICLE:
            continue
        seen.add(mention["snippet"])
        snippet = _one_line(mention["snippet"], 600)
        plain.append(f"    [{mention['id']}] {snippet.replace(mention['surface'], '*' + mention['surface'] + '*', 1)}")
        rich.append(f"<li>[{html.escape(mention['id'])}] {_highlight_html(snippet, mention['surface'])}</li>")
    rich.append("</ul>")
    for copy in copies:
        copy_url = _one_line(copy.get("canonical_url", ""), 2000)
        plain.append(f"    also, near-identical: {copy.get('source', '')} · {copy_url}")
        rich.append(f"<p>Also, near-identical: {html.escape(copy.get('source', ''))} · {_link(copy_url)}</p>")
    plain.append("")
    return plain, rich


def _event_parts(event: dict, articles: list[dict], rules, copies: dict[str, list[dict]],
                 heading_level: int = 2) -> tuple[list[str], list[str]]:
    """The lines and HTML of one event: a summary, then its articles by language and source."""
    languages = sorted({a.get("lang", "?") for a in articles}, key=language_order)
    sources = sorted({a.get("source", "") for a in articles})
    summary = (f"{len(articles)} article(s) in {', '.join(languages)} from {', '.join(sources)}; "
               f"event {event.get('id', '')}, first seen {(event.get('first_seen') or '')[:10]}, "
               f"{event.get('article_count', len(articles))} article(s) so far")
    plain, rich = [summary, ""], [f"<p>{html.escape(summary)}</p>"]
    wanted = _wanted(rules)
    ordered = sorted(articles, key=lambda a: (language_order(a.get("lang")), a.get("source", ""),
                                              a.get("published") or ""))
    current = None
    for article in ordered:
        group = (article.get("lang", "?"), article.get("source", ""))
        if group != current:
            current = group
            plain.append(f"[{group[0]} · {group[1]}]")
            rich.append(f"<h{heading_level + 1}>{html.escape(group[0])} · {html.escape(group[1])}</h{heading_level + 1}>")
        article_plain, article_rich = _article_parts(article, wanted, copies.get(article["_id"], []))
        plain += article_plain
        rich += article_rich
    return plain, rich


def _message(subject: str, to: list[str], plain: list[str], rich: list[str], settings: Settings,
             message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.mail_from
    message["To"] = ", ".join(to)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id
    message.set_content("\n".join(plain))
    message.add_alternative("<html><body>" + "".join(rich) + "</body></html>", subtype="html")
    return message


def _intro(articles: list[dict], rules, seq: int) -> list[str]:
    intro = [f"Rules: {', '.join(f'{r.name} ({r.id})' for r in rules)}"]
    if seq:
        intro.append(f"Update {seq}: {len(articles)} new article(s) about this event.")
    return intro


def event_plain_text(event: dict, articles: list[dict], rules, copies: dict[str, list[dict]] | None = None,
                     seq: int = 0) -> str:
    """The alert about one event as plain text (the mail's text part, a webhook's ``text``)."""
    plain, _ = _event_parts(event, articles, rules, copies or {})
    return "\n".join([*_intro(articles, rules, seq), "", *plain])


def build_event_mail(recipient: str, event: dict, articles: list[dict], rules, settings: Settings, message_id: str,
                     seq: int, thread_message_id: str, copies: dict[str, list[dict]] | None = None) -> EmailMessage:
    """One mail to ``recipient`` about one event: ``articles`` (those not mailed to them before), naming every
    rule of theirs they matched. ``seq`` 0 opens the thread; a later one is an update answering it."""
    title = event_title(event, articles)
    subject = f"[newsmon] {title}"
    if seq:
        subject = f"Re: {subject}"
    intro = _intro(articles, rules, seq)
    plain, rich = _event_parts(event, articles, rules, copies or {})
    message = _message(subject, [recipient], [*intro, "", *plain],
                       [*(f"<p>{html.escape(line)}</p>" for line in intro), *rich], settings, message_id)
    message["X-Newsmon-Event"] = _one_line(event.get("id", ""), 100)
    message["X-Newsmon-Rules"] = " ".join(r.id for r in rules)
    message["X-Newsmon-Update"] = str(seq)
    message["X-Newsmon-Articles"] = " ".join(a["_id"] for a in articles)
    if seq:
        message["In-Reply-To"] = thread_message_id
        message["References"] = thread_message_id
    return message


def build_digest_mail(rule, events: list[tuple[dict, list[dict]]], settings: Settings, message_id: str,
                      period: str, copies: dict[str, list[dict]] | None = None) -> EmailMessage:
    """One mail for one rule listing several events (each with its matched articles), newest first.

    ``period`` says what the digest covers, e.g. ``"until 2026-01-05 06:00 UTC"`` or ``"since 2025-01-01"``.
    The header ``X-Newsmon-Events`` lists the event ids.
    """
    noun = "event" if len(events) == 1 else "events"
    subject = f"[newsmon] {rule.name}: digest of {len(events)} {noun}"
    plain = [f"Rule: {rule.name} ({rule.id}), digest {period}: {len(events)} {noun}", ""]
    rich = [f"<p>Rule: <b>{html.escape(rule.name)}</b> ({html.escape(rule.id)}), digest {html.escape(period)}: "
            f"{len(events)} {noun}</p>"]
    for number, (event, articles) in enumerate(events, 1):
        headline = event_title(event, articles)
        plain += [f"{number}. {headline}", "-" * 40]
        rich.append(f"<hr><h2>{number}. {html.escape(headline)}</h2>")
        event_plain, event_rich = _event_parts(event, articles, [rule], copies or {}, heading_level=2)
        plain += event_plain
        rich += event_rich
    message = _message(subject, rule.recipients, plain, rich, settings, message_id)
    message["X-Newsmon-Rule"] = rule.id
    message["X-Newsmon-Events"] = " ".join(_one_line(e.get("id", ""), 100) for e, _ in events)
    return message


def notice_subject(notice: dict) -> str:
    """``[newsmon operator] <source>: <what> started|cleared`` (one line)."""
    return _one_line(f"[newsmon operator] {notice['source']}: {notice['title']} {notice['transition']}")


def notice_plain_text(notice: dict) -> str:
    """An operator alert as plain text (the mail's text part, a webhook's ``text``)."""
    when = "since" if notice["transition"] == "started" else "cleared at"
    lines = [f"Source: {notice['source']}", f"Check: {notice['title']} ({notice['check']}), "
             f"{notice['transition']} ({when} {notice['at']}, episode {notice['episode']})", "", notice["message"]]
    if notice["transition"] == "cleared":
        lines.append("The condition no longer holds.")
    return "\n".join(lines)


def build_notice_mail(recipient: str, notice: dict, settings: Settings, message_id: str,
                      thread_message_id: str = "") -> EmailMessage:
    """One operator alert to ``recipient``; a "cleared" one answers the "started" mail of its episode."""
    plain = notice_plain_text(notice).split("\n")
    message = _message(notice_subject(notice), [recipient], plain,
                       [f"<p>{html.escape(line)}</p>" for line in plain if line], settings, message_id)
    message["X-Newsmon-Operator"] = f"{_one_line(notice['source'], 100)} {notice['check']} {notice['transition']}"
    if thread_message_id:
        message["In-Reply-To"] = thread_message_id
        message["References"] = thread_message_id
    return message
