"""The small vocabulary of exceptions shared by the stages."""

from newsmon.configfile import ConfigError

__all__ = ["ConfigError", "CrawlBusy", "DropDocument", "ServiceUnavailable"]


class DropDocument(Exception):
    """Bad content: skip this document, count the reason, and carry on with the rest."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class ServiceUnavailable(RuntimeError):
    """Infrastructure failure (Elasticsearch, SMTP, a whole site down): raise so that Airflow retries."""


class CrawlBusy(ServiceUnavailable):
    """Another process crawls this source right now (Airflow retries; the fast poll just skips the round)."""
