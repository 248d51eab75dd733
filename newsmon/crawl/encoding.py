"""Settle the charset of a fetched page once, so every stage (and every re-run from the archive) decodes it alike."""

from __future__ import annotations

import codecs
import re

__all__ = ["content_type_with_charset"]

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def content_type_with_charset(content_type: str, body: bytes) -> str:
    """The page's content type with the charset its body is in, as the archive records it for extraction.

    The charset comes from the Content-Type header, else a byte-order mark, else a ``<meta charset>`` /
    ``http-equiv`` tag in the first 4 KB, else the body itself: valid UTF-8 is UTF-8, anything else is
    detected with ``charset_normalizer`` (a dependency of trafilatura), falling back to windows-1252 (what
    browsers assume). The raw response headers in the WARC record stay as the server sent them.
    """
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in ("text/html", "application/xhtml+xml") or "charset=" in content_type.lower():
        return content_type
    charset = next((name for bom, name in _BOMS if body.startswith(bom)), None)
    if charset is None:
        declared = _META_CHARSET.search(body[:4096])
        if declared:
            try:
                charset = codecs.lookup(declared.group(1).decode("ascii")).name
            except LookupError:
                charset = None
    if charset is None:
        charset = _detect_charset(body)
    return f"{content_type.strip() or media_type}; charset={charset}"


def _detect_charset(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with trafilatura
        return "windows-1252"
    best = from_bytes(body).best()
    return best.encoding if best is not None else "windows-1252"
