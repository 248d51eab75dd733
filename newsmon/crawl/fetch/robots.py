"""Honour the host's robots.txt: read once per host and run, fetched through the components after this one."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsmon.crawl.fetch.base import FetchContext, FetchError, FetchRequest, FetchResult, Proceed

__all__ = ["RobotsRules"]

log = logging.getLogger(__name__)


class RobotsRules:
    """Refuses what robots.txt disallows for ``user_agent``, and hands its ``Crawl-delay`` on with the request.

    No robots.txt (an error, 404) allows everything; 401 or 403 disallows the whole host. The robots.txt answer
    is reported as ``robots``.
    """

    def __init__(self, context: FetchContext, user_agent: str):
        self.context, self.user_agent = context, user_agent
        self._rules: dict[str, RobotFileParser | None] = {}

    def fetch(self, request: FetchRequest, proceed: Proceed) -> FetchResult:
        rules = self._rules_for(request.url, proceed)
        if rules is not None:
            if not rules.can_fetch(self.user_agent, request.url):
                raise FetchError("robots-disallowed", request.url,
                                 f"robots.txt disallows {request.url} for our User-Agent")
            delay = rules.crawl_delay(self.user_agent)
            if delay:
                request.crawl_delay = float(delay)
        return proceed(request)

    def _rules_for(self, url: str, proceed: Proceed) -> RobotFileParser | None:
        parts = urlsplit(url)
        if parts.netloc not in self._rules:
            requests_before = self.context.requests_made
            try:
                self._rules[parts.netloc] = self._read(f"{parts.scheme}://{parts.netloc}/robots.txt", proceed)
            finally:
                self.context.robots_requests += self.context.requests_made - requests_before
        return self._rules[parts.netloc]

    def _read(self, robots_url: str, proceed: Proceed) -> RobotFileParser | None:
        try:
            result = proceed(FetchRequest(robots_url))
        except FetchError as exc:
            log.info("no robots.txt at %s (%s); assuming everything is allowed", robots_url, exc.reason)
            return None
        self.context.report(result, "robots")
        if result.status == 200:
            parser = RobotFileParser(robots_url)
            parser.parse(result.body.decode("utf-8", "replace").splitlines())
            return parser
        if result.status in (401, 403):
            log.warning("robots.txt at %s answered %d; treating the host as disallowed", robots_url, result.status)
            parser = RobotFileParser(robots_url)
            parser.disallow_all = True
            return parser
        return None
