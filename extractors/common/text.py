"""Text of parsed pages: paragraphs from block elements, whitespace normalisation, obfuscated e-mails.

:func:`text_of` never raises on missing data: ``None`` gives ``""``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from extractors.common.css import pruned_copy

__all__ = ["BLOCK_TAGS", "clean_whitespace", "decode_cfemail", "text_of"]

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
