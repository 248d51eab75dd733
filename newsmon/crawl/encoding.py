"""Settle the charset of a fetched page once, so every stage (and every re-run from the archive) decodes it alike."""

from __future__ import annotations

import codecs
import logging
import re

__all__ = ["content_type_with_charset"]

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r""";\s*charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]*)["']?""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
#: Share of a page's non-ASCII bytes that may be invalid UTF-8 before a UTF-8 declaration is not believed (a
#: stray byte in a UTF-8 page stays UTF-8; a windows-1251 page declared UTF-8 is nearly all invalid).
_INVALID_UTF8_SHARE = 0.2


def content_type_with_charset(content_type: str, body: bytes, url: str = "") -> str:
    """The page's content type with the charset its body is in, as the archive records it for extraction.

    The charset comes from the Content-Type header, else a byte-order mark, else a ``<meta charset>`` /
    ``http-equiv`` tag in the first 4 KB, else the body itself: valid UTF-8 is UTF-8, anything else is
    detected with ``charset_normalizer`` (a dependency of trafilatura), falling back to windows-1252 (what
    browsers assume). A page that declares UTF-8 (header or meta tag) but is mostly not valid UTF-8 (a
    windows-1251 page under a UTF-8 template) is detected instead, and the decision logged. The raw response
    headers in the WARC record stay as the server sent them.
    """
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in ("text/html", "application/xhtml+xml"):
        return content_type
    declared = _HEADER_CHARSET.search(content_type)
    if declared:
        if _known(declared.group(1)) == "utf-8" and not _mostly_utf8(body):
            return _redeclared(content_type, media_type, body, url, "its Content-Type header")
        return content_type
    charset = next((name for bom, name in _BOMS if body.startswith(bom)), None)
    if charset is None:
        meta = _META_CHARSET.search(body[:4096])
        charset = _known(meta.group(1).decode("ascii")) if meta else None
        if charset == "utf-8" and not _mostly_utf8(body):
            return _redeclared(content_type, media_type, body, url, "its <meta charset>")
    if charset is None:
        charset = _detect_charset(body)
    return f"{content_type.strip() or media_type}; charset={charset}"


def _known(name: str) -> str | None:
    """The codec's canonical name (``UTF8`` → ``utf-8``), or ``None`` for a charset Python does not know."""
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _mostly_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
        return True
    except UnicodeDecodeError:
        pass
    high = len(body) - len(body.translate(None, bytes(range(0x80))))
    invalid = body.decode("utf-8", "replace").count("\ufffd")
    return invalid <= _INVALID_UTF8_SHARE * high


def _redeclared(content_type: str, media_type: str, body: bytes, url: str, where: str) -> str:
    detected = _detect_charset(body)
    log.warning("%s declares UTF-8 in %s but is not UTF-8; decoding it as %s (detected from its bytes)",
                url or "a page", where, detected)
    rest = [part for part in content_type.split(";")[1:] if not part.strip().lower().startswith("charset")]
    return "; ".join([media_type, *[part.strip() for part in rest if part.strip()], f"charset={detected}"])


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
