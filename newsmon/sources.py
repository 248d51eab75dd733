"""The source registry: every monitored site is one declarative entry in a YAML file.

A source names its feeds, sitemaps and listing pages, its languages, its extractor and its politeness
settings. Loading validates the whole file (unknown keys, duplicate names, unknown extractors) and reports
problems with file and line.
"""

from __future__ import annotations

import copy
import os
import re
from collections import Counter
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from newsmon.configfile import ConfigError, load_model
from newsmon.languages import LANGUAGES

__all__ = ["Feed", "LanguageUrls", "Listing", "Politeness", "Source", "SourceRegistry", "load_registry",
           "load_sources"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Feed(_Strict):
    """An RSS, Atom or JSON feed, or an XML sitemap (index), to discover article URLs from."""

    url: HttpUrl
    kind: Literal["feed", "sitemap"] = "feed"
    #: The language of the items, when the feed is per language (WPML, /en/ editions).
    language: str | None = None


class Listing(_Strict):
    """A page whose links matching ``link_pattern`` are articles (for sites with neither feed nor sitemap)."""

    url: HttpUrl
    link_pattern: str
    language: str | None = None

    @field_validator("link_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"link_pattern is not a valid regular expression: {exc}") from None
        return value


class Politeness(_Strict):
    """How hard the crawler may press one source."""

    min_delay_seconds: float = Field(default=1.0, ge=0)
    #: Article URLs tried per run, whatever the outcome (failed, deferred and refused ones count too).
    max_pages_per_run: int = Field(default=200, ge=1)
    #: Per socket operation (connect, each read); ``fetch_deadline_seconds`` bounds the whole fetch.
    timeout_seconds: float = Field(default=20.0, gt=0)
    #: One fetch, everything included (redirects, robots.txt, retries and waits, the whole body).
    fetch_deadline_seconds: float = Field(default=60.0, gt=0)
    #: One crawl run of the source; the items left when it passes are skipped (``run-deadline``) for the next run.
    run_deadline_seconds: float = Field(default=1800.0, gt=0)
    #: A ``Retry-After`` up to this is waited for (within the fetch's deadline); a longer one defers the URL to a
    #: later run (``deferred``).
    max_retry_after_seconds: float = Field(default=60.0, ge=0)
    max_body_bytes: int = Field(default=10_000_000, ge=1024)
    respect_robots_txt: bool = True
    #: How often the feed watcher (Airflow's triggerer) asks each feed and listing whether it changed: one
    #: conditional request per URL per interval (:mod:`newsmon.crawl.watch`).
    feed_poll_seconds: float = Field(default=30.0, ge=1.0)


class LanguageUrls(_Strict):
    """How a multilingual site spells an article's language in its URLs (WordPress WPML and the like).

    The same article may come as ``/en/slug/`` (a language folder) and ``/slug/?lang=en`` (a parameter);
    both canonicalise to the folder form, and the ``default`` language lives at the root with no folder.
    """

    #: The query parameter that selects the language.
    param: str = Field(default="lang", pattern=r"^[A-Za-z_][A-Za-z0-9_-]*$")
    #: The language served at the root (no folder), e.g. ``tr`` on ANKASAM.
    default: str

    @field_validator("default")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; use one of {list(LANGUAGES)}")
        return value


class Source(_Strict):
    """One monitored site."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    homepage: HttpUrl
    #: Registered domains whose URLs belong to this source (canonical links elsewhere are ignored).
    domains: list[str] = Field(min_length=1)
    languages: list[str] = Field(min_length=1)
    extractor: str = "generic"
    feeds: list[Feed] = Field(default_factory=list)
    listings: list[Listing] = Field(default_factory=list)
    politeness: Politeness = Politeness()
    #: Set for sites whose URLs carry the language both as a folder and as a parameter (see LanguageUrls).
    language_urls: LanguageUrls | None = None
    #: Allow requests to loopback and private addresses (an intranet source; never for public sites).
    allow_private_network: bool = False
    #: Fetch this source through a mirror that keeps each host under its first path segment: ``https://<host>/
    #: <path>`` is requested as ``<mirror>/<host>/<path>`` (an offline copy, an archive). The URLs above stay the
    #: real ones. Empty: the ``mirror_url`` setting, else the network.
    mirror: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _legacy_replay(cls, data):
        """``replay: true`` (files written for older versions): the URLs are the replay site's
        ``<mirror>/<host>/<path>``; the source is fetched through that mirror (see :mod:`newsmon.crawl.mirror`)."""
        if not isinstance(data, dict) or "replay" not in data:
            return data
        data = dict(data)
        if data.pop("replay") and not data.get("mirror"):
            urls = [str(entry["url"]) for key in ("feeds", "listings") for entry in data.get(key) or []
                    if isinstance(entry, dict) and "url" in entry]
            bases = Counter(f"{parts.scheme}://{parts.netloc}" for parts in map(urlsplit, urls) if parts.netloc)
            data["mirror"] = bases.most_common(1)[0][0] if bases else None
        return data

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [lang for lang in value if lang not in LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language(s) {unknown}; use some of {list(LANGUAGES)}")
        return value

    @model_validator(mode="after")
    def _has_discovery(self) -> Source:
        if not self.feeds and not self.listings:
            raise ValueError("a source needs at least one entry under feeds or listings")
        return self

    def owns(self, host: str) -> bool:
        """Whether ``host`` (e.g. ``www.ankasam.org``) belongs to one of this source's domains."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


class SourceRegistry(_Strict):
    """All sources of one sources file, by name."""

    sources: list[Source] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, value: list[Source]) -> list[Source]:
        seen: set[str] = set()
        for source in value:
            if source.name in seen:
                raise ValueError(f"duplicate source name {source.name!r}; each source needs its own name")
            seen.add(source.name)
        return value

    def __iter__(self):
        return iter(self.sources)

    def names(self) -> list[str]:
        return [s.name for s in self.sources]

    def get(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(f"no source named {name!r}; known sources: {', '.join(self.names())}")


def load_sources(path: str | os.PathLike, variables: dict[str, str] | None = None,
                 overrides: dict[str, dict] | None = None) -> SourceRegistry:
    """Load and validate a sources file; ``${NAME}`` placeholders are filled from ``variables``.

    ``overrides`` (source name, or ``*`` for every source → settings to merge into its entry, e.g.
    ``{"*": {"politeness": {"min_delay_seconds": 0}}}``) come from the ``source_overrides`` setting.
    """
    registry = load_model(path, SourceRegistry, variables, transform=_overrider(overrides or {}))
    from newsmon.extraction import known_extractors  # late: extraction imports trafilatura

    known = known_extractors()
    for source in registry:
        if source.extractor not in known:
            raise ConfigError(f"{path}: source {source.name!r}: unknown extractor {source.extractor!r}; "
                              f"known: {', '.join(sorted(known))} (add a file under extractors/)")
    unknown = sorted(set(overrides or {}) - {"*", *registry.names()})
    if unknown:
        raise ConfigError(f"source_overrides name unknown source(s) {unknown}; known: {', '.join(registry.names())}")
    return registry


def load_registry(settings) -> SourceRegistry:
    """The sources of ``settings.sources_file`` with the settings' per-source overrides applied."""
    return load_sources(settings.sources_file, settings.config_variables(), settings.source_overrides)


def _merge(base: dict, extra: dict) -> dict:
    merged = copy.copy(base)  # keeps the line numbers the loader attached
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def _overrider(overrides: dict[str, dict]):
    """A transform of the loaded file that merges ``overrides`` into the source entries (``*`` first)."""
    def apply(data):
        if not overrides or not isinstance(data, dict) or not isinstance(data.get("sources"), list):
            return data
        data, entries = copy.copy(data), copy.copy(data["sources"])
        for position, entry in enumerate(entries):
            for key in ("*", entry.get("name") if isinstance(entry, dict) else None):
                if key in overrides and isinstance(entries[position], dict):
                    entries[position] = _merge(entries[position], overrides[key])
        data["sources"] = entries
        return data
    return apply
