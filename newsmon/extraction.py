"""Pick the site extractor for a page (else the generic one) and return an :class:`Article`.

Extractors are discovered from the ``extractors`` package: every module there defines one
:class:`~extractors.base.ArticleExtractor` subclass whose ``name`` sources refer to.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import cache

import extractors
from extractors.base import ArticleExtractor
from newsmon.errors import DropDocument
from newsmon.models import Article, FetchedPage

__all__ = ["extract_article", "get_extractor", "known_extractors"]

log = logging.getLogger(__name__)


@cache
def known_extractors() -> dict[str, type[ArticleExtractor]]:
    """All extractor classes of the ``extractors`` package, by name."""
    found: dict[str, type[ArticleExtractor]] = {}
    for module_info in pkgutil.iter_modules(extractors.__path__):
        module = importlib.import_module(f"extractors.{module_info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, ArticleExtractor) and value.name
                    and value.__module__ == module.__name__):
                found[value.name] = value
    return found


@cache
def get_extractor(name: str) -> ArticleExtractor:
    try:
        return known_extractors()[name]()
    except KeyError:
        raise KeyError(f"no extractor named {name!r}; known: {', '.join(sorted(known_extractors()))}") from None


def extract_article(page: FetchedPage, extractor: str = "generic") -> Article:
    """Extract ``page`` with the named site extractor, falling back to the generic one.

    Raises :class:`DropDocument` when neither finds an article.
    """
    if extractor != "generic":
        try:
            return get_extractor(extractor).extract(page)
        except DropDocument as exc:
            log.info("site extractor %s found nothing in %s (%s); trying the generic extractor",
                     extractor, page.url, exc.reason)
        except Exception:  # noqa: BLE001 - a redesigned site must not stop the run: fall back, loudly
            log.exception("site extractor %s failed on %s; falling back to the generic extractor "
                          "(the site may have changed: add a dated extractor version)", extractor, page.url)
    return get_extractor("generic").extract(page)
