"""Text of parsed pages: paragraphs from block elements, whitespace normalisation, obfuscated e-mails.

:func:`text_of` never raises on missing data: ``None`` gives ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from extractors.common.css import pruned_copy

__all__ = ["BLOCK_TAGS", "clean_whitespace", "decode_cfemail", "site_name_of_host", "strip_site_name", "text_of"]

#: Elements that start a new paragraph in :func:`text_of`.
BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre figure figcaption table tr section article "  # noqa: SIM905
    "aside header footer nav main address hr details summary".split()
)
_SKIP_TAGS = frozenset("script style noscript template iframe svg button form select textarea".split())  # noqa: SIM905
_BR = "\x00"  # marks a <br> while the paragraph's source newlines are still plain whitespace
_WS = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_whitespace(text: str | None) -> str:
    """Collapse runs of whitespace (incl. no-break spaces) to one space and strip; U+200C is kept."""
    return _WS.sub(" ", text or "").strip()


def _tag(el) -> str:
    tag = el.tag
    return tag.lower().rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element, skip: Iterable[str | etree.XPath] = ()) -> str:
    """Text of ``element``: one paragraph per block element, joined by blank lines, whitespace normalised.

    ``<br>`` becomes a line break inside its paragraph; scripts, styles and forms are ignored; ``skip``
    selectors name further elements to leave out (the tree is not modified).
    """
    if element is None:
        return ""
    if skip:
        element = pruned_copy(element, skip)
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        lines = [clean_whitespace(line) for line in "".join(buf).split(_BR)]
        para = "\n".join(line for line in lines if line)
        if para:
            blocks.append(para)
        buf.clear()

    def walk(el) -> None:
        tag = _tag(el)
        if not tag or tag in _SKIP_TAGS:  # comments, processing instructions, skipped tags
            return
        if tag == "br":
            buf.append(_BR)
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    walk(element)
    flush()
    return "\n\n".join(blocks)


def decode_cfemail(encoded: str) -> str:
    """Decode a Cloudflare ``data-cfemail`` hex string to the e-mail address it hides."""
    try:
        data = bytes.fromhex(encoded)
    except ValueError:
        return ""
    if not data:
        return ""
    key = data[0]
    return bytes(b ^ key for b in data[1:]).decode("utf-8", "replace")


#: What separates a headline from the site's name in a page title: a bar, a spaced dash, a bullet, guillemets.
_TITLE_SEPARATOR = re.compile(r"\s*[|¦]\s*|\s+[-–—:·•»]{1,2}\s+")
#: Second-level labels that are not the site's name (bbc.co.uk: the name is bbc).
_GENERIC_LABELS = frozenset({"co", "com", "org", "net", "gov", "ac", "edu"})


def _name_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def site_name_of_host(host: str) -> str:
    """The name a host's domain gives a site: ``en.thebell.io`` → ``thebell``, ``www.bbc.co.uk`` → ``bbc``."""
    labels = [label for label in host.lower().split(".") if label]
    while len(labels) > 2 and labels[-2] in _GENERIC_LABELS:
        labels.pop()
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else "")


def strip_site_name(title: str, names: Iterable[str]) -> str:
    """``title`` without a site name (any of ``names``, compared by letters and digits only) appended or
    prepended with a separator: "Headline | The Bell", "Headline - ANKASAM", "The New Arab | Headline"."""
    keys = {_name_key(name) for name in names} - {""}
    title = clean_whitespace(title)
    if not keys:
        return title
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        last, first = separators[-1], separators[0]
        if _name_key(title[last.end():]) in keys and title[:last.start()].strip():
            title = title[:last.start()].strip()
        elif _name_key(title[:first.start()]) in keys and title[first.end():].strip():
            title = title[first.end():].strip()
        else:
            return title
