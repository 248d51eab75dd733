"""The batch interface behind ``newsmon analyze``: JSON Lines in, one JSON line out per input, same order.

Input lines are ``{"id", "text"}`` or ``{"id", "html", "url"}``. Output lines are ``{"id", "title", "text",
"lang", "published", "actors", "themes", "mentions": [{"id", "kind", "surface", "start", "end"}]}`` with
offsets into the output ``text`` (the stable contract), plus the other fields an article has
(``lang_confidence``, ``declared_lang``, ``canonical_url``, ``modified``, ``authors``, ``section``,
``translations``, ``paywalled``, ``footnotes``, ``story_id``, ``extractor``, ``processing_notes``). A bad line
gets ``{"id", "error"}`` and the rest still run; every output line is valid JSON (:func:`json_line`): input
with ``NaN`` or ``Infinity`` is a bad line. Deterministic.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from urllib.parse import urlsplit

from newsmon.errors import DropDocument
from newsmon.models import FetchedPage
from newsmon.processing import LanguageStage, MatchingStage
from newsmon.settings import Settings
from newsmon.sources import SourceRegistry

__all__ = ["Analyzer", "json_line"]

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class Analyzer:
    """Analyses records one by one with the same stages as the pipeline."""

    def __init__(self, settings: Settings, registry: SourceRegistry | None = None):
        self.registry = registry
        self.language = LanguageStage()
        self.matching = MatchingStage(settings.watchlist_file)

    def analyze_lines(self, lines: Iterable[str]) -> Iterator[dict]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            record_id = None
            try:
                record = json.loads(line, parse_constant=_refuse_constant)
                if not isinstance(record, dict):
                    raise ValueError("each line must be a JSON object")
                record_id = record.get("id")
                yield self.analyze(record)
            except Exception as exc:  # noqa: BLE001 - one bad line must never stop the batch
                log.warning("line %d: %s", number, exc)
                yield {"id": record_id, "error": f"line {number}: {type(exc).__name__}: {exc}"}

    def analyze(self, record: dict) -> dict:
        from newsmon.extraction import extract_article
        from newsmon.models import Article

        if "html" in record:
            url = record.get("url") or "about:blank"
            html = record["html"]
            if not isinstance(html, str):
                raise ValueError("'html' must be a string")
            if not isinstance(url, str):
                raise ValueError("'url' must be a string (the page's address), e.g. \"https://example.org/a\"")
            page = FetchedPage(source="", url=url, canonical_url=url, status=200,
                               content_type="text/html; charset=utf-8", body=html.encode("utf-8"),
                               fetched_at=_EPOCH)
            try:
                article = extract_article(page, self._extractor_for(url))
            except DropDocument as exc:
                raise ValueError(f"no article text found in the HTML ({exc.reason})") from None
        elif "text" in record:
            if not isinstance(record["text"], str):
                raise ValueError("'text' must be a string")
            article = Article(url="", canonical_url="", source="", title="", text=record["text"])
        else:
            raise ValueError("a line needs 'text', or 'html' (with 'url')")
        article = self.matching.process(self.language.process(article))
        return {
            # The stable contract.
            "id": record.get("id"), "title": article.title, "text": article.text, "lang": article.lang,
            "published": article.published.isoformat() if article.published else None,
            "actors": article.actors, "themes": article.themes,
            "mentions": [{"id": m.id, "kind": m.kind, "surface": m.surface, "start": m.start, "end": m.end}
                         for m in article.mentions],
            # Additions (never renamed or removed): what the extractors and language stage found.
            "lang_confidence": round(article.lang_confidence, 4), "declared_lang": article.declared_lang,
            "canonical_url": article.canonical_url or None,
            "modified": article.modified.isoformat() if article.modified else None,
            "authors": article.authors, "section": article.section, "translations": article.translations,
            "paywalled": article.paywalled, "footnotes": article.footnotes, "story_id": article.story_id,
            "extractor": article.extractor or None, "processing_notes": article.processing_notes,
        }

    def _extractor_for(self, url: str) -> str:
        host = urlsplit(url).hostname or ""
        if self.registry is not None and host:
            for source in self.registry:
                if source.owns(host):
                    return source.extractor
        return "generic"


def json_line(result: dict) -> str:
    """``result`` as one line of strict JSON (no ``NaN``/``Infinity``); a value JSON cannot hold makes the line an
    error with the id as a string."""
    try:
        return json.dumps(result, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        record_id = result.get("id")
        safe_id = record_id if isinstance(record_id, str | int) or record_id is None else repr(record_id)
        return json.dumps({"id": safe_id, "error": f"the result cannot be written as JSON ({exc})"},
                          ensure_ascii=False, allow_nan=False, default=repr)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON; write null or a number")
