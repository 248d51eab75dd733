"""Pick the site extractor for a page (else the generic one) and return an :class:`Article`.

Extractors are discovered from the ``extractors`` package: every module at its top defines one
:class:`~extractors.common.base.ArticleExtractor` subclass whose ``name`` sources refer to (shared helpers live
in ``extractors/common/``). When a site redesigns, its extractor is not edited with an ``if``: a **dated
version** is added beside it. The old class gets ``valid_until`` (the first day of the new layout), the new one
keeps the same ``name``; a page is read by the version that was current when it was fetched, so reprocessing
the archive reads old pages with the old layout's rules.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Iterable
from datetime import date
from functools import cache

import extractors
from extractors.common.base import ArticleExtractor
from newsmon.errors import DropDocument
from newsmon.models import Article, FetchedPage
from newsmon.url_policy import is_web_url

__all__ = ["extract_article", "get_extractor", "known_extractors", "version_for"]

log = logging.getLogger(__name__)


@cache
def _versions() -> dict[str, tuple[type[ArticleExtractor], ...]]:
    """Every extractor class at the top of the ``extractors`` package, by name, oldest version first."""
    found: dict[str, list[type[ArticleExtractor]]] = {}
    for module_info in pkgutil.iter_modules(extractors.__path__):
        if module_info.ispkg:
            continue  # extractors/common: the shared helpers
        module = importlib.import_module(f"extractors.{module_info.name}")
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, ArticleExtractor) and value.name
                    and value.__module__ == module.__name__):
                found.setdefault(value.name, []).append(value)
    return {name: _ordered(name, classes) for name, classes in found.items()}


def _ordered(name: str, classes: Iterable[type[ArticleExtractor]]) -> tuple[type[ArticleExtractor], ...]:
    """The versions of one extractor, oldest first; all but the newest must say until when they are valid."""
    classes = sorted(classes, key=lambda c: (c.valid_until is None, c.valid_until or date.max))
    undated = [c.__qualname__ for c in classes if c.valid_until is None]
    if len(undated) != 1 or len({c.valid_until for c in classes}) != len(classes):
        raise TypeError(f"extractor {name!r}: every version but the newest needs its own valid_until "
                        f"(undated: {', '.join(undated) or 'none'})")
    return tuple(classes)


def version_for(classes: tuple[type[ArticleExtractor], ...], fetched: date | None) -> type[ArticleExtractor]:
    """The version (of ``classes``, oldest first) current on the day ``fetched``; the newest if unknown."""
    if fetched is not None:
        for cls in classes:
            if cls.valid_until is not None and fetched < cls.valid_until:
                return cls
    return classes[-1]


def known_extractors() -> dict[str, type[ArticleExtractor]]:
    """The newest version of every extractor, by name."""
    return {name: classes[-1] for name, classes in _versions().items()}


@cache
def _instance(cls: type[ArticleExtractor]) -> ArticleExtractor:
    return cls()


def get_extractor(name: str, fetched: date | None = None) -> ArticleExtractor:
    """The extractor ``name`` in its version current on ``fetched`` (the newest without a date)."""
    try:
        classes = _versions()[name]
    except KeyError:
        raise KeyError(f"no extractor named {name!r}; known: {', '.join(sorted(_versions()))}") from None
    return _instance(version_for(classes, fetched))


def extract_article(page: FetchedPage, extractor: str = "generic", fetched: date | None = None) -> Article:
    """Extract ``page`` with the named site extractor (its version current on the day ``fetched``, the newest
    without one), falling back to the generic one. Raises :class:`DropDocument` when neither finds an article.

    Whatever the page declares, the article keeps only web URLs (:func:`~newsmon.crawl.urls.is_web_url`): a
    canonical URL of another scheme gives way to the fetched page's, such translation links are left out."""
    return _web_urls_only(_extract(page, extractor, fetched), page)


def _web_urls_only(article: Article, page: FetchedPage) -> Article:
    """The URL policy for what an extractor read off the page (the crawler applies it to what it fetched)."""
    if not is_web_url(article.canonical_url) and is_web_url(page.canonical_url):
        log.warning("%s declares the canonical URL %r, which is not an http(s) URL; keeping %s", page.url,
                    article.canonical_url[:200], page.canonical_url)
        article.canonical_url = page.canonical_url
    dropped = {lang: url for lang, url in article.translations.items() if not is_web_url(url)}
    if dropped:
        log.warning("%s: left out %d translation link(s) that are not http(s) URLs", page.url, len(dropped))
        article.translations = {lang: url for lang, url in article.translations.items() if lang not in dropped}
    return article


def _extract(page: FetchedPage, extractor: str, fetched: date | None) -> Article:
    if extractor == "generic":
        return get_extractor("generic").extract(page)
    site = get_extractor(extractor, fetched)
    try:
        return site.extract(page)
    except DropDocument as exc:
        log.info("site extractor %s found nothing in %s (%s); the generic extractor stands in, with the site's "
                 "boilerplate rules", extractor, page.url, exc.reason)
    except Exception:  # noqa: BLE001 - a redesigned site must not stop the run: fall back, loudly
        log.exception("site extractor %s failed on %s; the generic extractor stands in, with the site's boilerplate "
                      "rules (the site may have changed: add a dated version of the extractor, see "
                      "newsmon/extraction.py)", extractor, page.url)
    return _stand_in(type(site)).extract(page)


@cache
def _stand_in(site: type[ArticleExtractor]) -> ArticleExtractor:
    """The generic extractor standing in for ``site``: the site's boilerplate rules apply."""
    return _versions()["generic"][-1](site=_instance(site))
