"""Highlighted text as segments, ``{"text": ..., "mark": bool}``, so that page text is only ever escaped.

Titles, snippets and highlight fragments come from crawled pages and may hold markup (``<script>`` in a title).
Elasticsearch marks its hits with two private-use characters (:data:`PRE`, :data:`POST`) instead of HTML tags;
the fragments are split on them, and :func:`segments_html` escapes every segment and adds only its own
``<mark>`` tags. A page that itself contains these characters can at worst shift a mark, never inject markup.
"""

from __future__ import annotations

import html
import re

__all__ = ["POST", "PRE", "mark_surface", "plain", "segments_from_highlight", "segments_html"]

#: Elasticsearch ``pre_tags``/``post_tags`` for the monitor's searches (Unicode private-use characters).
PRE, POST = "\ue000", "\ue001"
_TAG = re.compile(f"([{PRE}{POST}])")


def plain(text: str) -> list[dict]:
    """``text`` as one unmarked segment (none if empty)."""
    return [{"text": text, "mark": False}] if text else []


def _merge(segments: list[dict]) -> list[dict]:
    merged: list[dict] = []
    for segment in segments:
        if not segment["text"]:
            continue
        if merged and merged[-1]["mark"] == segment["mark"]:
            merged[-1] = {"text": merged[-1]["text"] + segment["text"], "mark": segment["mark"]}
        else:
            merged.append(dict(segment))
    return merged


def segments_from_highlight(fragment: str) -> list[dict]:
    """Segments of an Elasticsearch highlight fragment tagged with :data:`PRE` … :data:`POST`."""
    segments, marked = [], False
    for part in _TAG.split(fragment):
        if part == PRE:
            marked = True
        elif part == POST:
            marked = False
        else:
            segments.append({"text": part, "mark": marked})
    return _merge(segments)


def mark_surface(snippet: str, surface: str) -> list[dict]:
    """``snippet`` with the first occurrence of ``surface`` marked (whitespace- and case-insensitively)."""
    words = surface.split()
    if not snippet or not words:
        return plain(snippet)
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    found = pattern.search(snippet)
    if found is None:
        return plain(snippet)
    return _merge([{"text": snippet[: found.start()], "mark": False},
                   {"text": found.group(0), "mark": True},
                   {"text": snippet[found.end():], "mark": False}])


def segments_html(segments: list[dict]) -> str:
    """Escaped HTML of ``segments``: the marked ones inside ``<mark>``, nothing else unescaped."""
    return "".join(f"<mark>{html.escape(s['text'])}</mark>" if s["mark"] else html.escape(s["text"])
                   for s in segments)
