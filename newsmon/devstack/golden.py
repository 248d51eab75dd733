"""Golden files: stored pages with the article each extractor must produce from them.

One JSON file per page under ``tests/fixtures/golden/<source>/``: ``{"page": <path>, "url": <canonical URL>,
"expected": {...}}``. ``page`` is relative to that folder, else to the replay site's tree. The golden test
and ``scripts/regenerate_golden.py`` both use :func:`run_golden`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from newsmon.devstack.replay.server import SITE_ROOT
from newsmon.extraction import extract_article
from newsmon.models import Article, FetchedPage
from newsmon.settings import PROJECT_ROOT

__all__ = ["GOLDEN_DIR", "FIELDS", "article_fields", "golden_article", "golden_files", "run_golden"]

GOLDEN_DIR = PROJECT_ROOT / "tests" / "fixtures" / "golden"
FIELDS = ("title", "text", "authors", "published", "modified", "section", "declared_lang", "translations",
          "paywalled", "footnotes")
_FETCHED_AT = datetime(2026, 11, 1, tzinfo=timezone.utc)


def golden_files(source: str) -> list[Path]:
    return sorted((GOLDEN_DIR / source).glob("*.json"))


def _page_path(golden: Path, page: str) -> Path:
    local = golden.parent / page
    return local if local.exists() else SITE_ROOT / page


def article_fields(article: Article) -> dict:
    values = {name: getattr(article, name) for name in FIELDS}
    for name in ("published", "modified"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def golden_article(golden: Path, extractor: str,
                   rewrite: Callable[[bytes], bytes] | None = None) -> tuple[dict, Article]:
    """The golden file's expected fields and the article ``extractor`` makes of its page (the page's body passed
    through ``rewrite`` first, if given: the site as it might change)."""
    spec = json.loads(golden.read_text(encoding="utf-8"))
    body = _page_path(golden, spec["page"]).read_bytes()
    if rewrite is not None:
        body = rewrite(body)
    content_type = "application/pdf" if body.startswith(b"%PDF") else "text/html; charset=utf-8"
    page = FetchedPage(source=golden.parent.name, url=spec["url"], canonical_url=spec["url"], status=200,
                       content_type=content_type, body=body, fetched_at=_FETCHED_AT)
    return spec["expected"], extract_article(page, extractor)


def run_golden(golden: Path, extractor: str) -> tuple[dict, dict]:
    """Extract the golden file's page with ``extractor``; return (expected, actual) field dicts."""
    expected, article = golden_article(golden, extractor)
    return expected, article_fields(article)
