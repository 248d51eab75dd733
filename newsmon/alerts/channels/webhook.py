"""The webhook channel: ``webhook:<connection id>`` POSTs the alert as JSON to the URL of that Airflow connection.

The connection (UI, ``airflow connections add`` or ``AIRFLOW_CONN_<ID>``): ``host`` is the URL (or a host name,
with ``schema`` http/https and ``port``), ``password`` the shared secret (optional), ``extra`` may say
``{"format": "slack"}`` (a Slack- or Mattermost-compatible ``{"text": …}`` body instead of newsmon's own),
``"timeout"`` (seconds, default 10) and ``"headers"`` (added to the request).

Every request carries ``Idempotency-Key`` (the same on a resend of the same alert: the receiver drops a repeat)
and, with a secret, ``X-Newsmon-Signature: sha256=<hex HMAC-SHA256 of the body>``. A 5xx answer, a 429 or no
answer is retried with back-off (1 s, 2 s); a 4xx is refused at once. Either way a failed delivery raises
:class:`~newsmon.errors.ServiceUnavailable`: the alert stays claimed and goes again on the next run, same key.

newsmon's JSON (``schema: newsmon.alert/1``)::

    {"schema": "newsmon.alert/1", "idempotency_key": "...", "thread": "...", "update": 0,
     "subject": "...", "text": "... the alert as plain text ...",
     "event": {"id", "title", "titles": {lang: title}, "first_seen", "last_seen", "languages", "sources",
               "article_count"},
     "rules": [{"id", "name"}],
     "articles": [{"id", "title", "url", "source", "lang", "published",
                   "evidence": [{"id", "kind", "surface", "snippet"}], "copies": [{"url", "source"}]}]}

An operator alert (:mod:`newsmon.alerts.operator`, schema ``newsmon.operator/1``)::

    {"schema": "newsmon.operator/1", "idempotency_key": "...", "thread": "<key of the episode's started alert>",
     "subject": "...", "text": "...",
     "alert": {"source", "check", "title", "transition": "started" | "cleared", "episode", "at", "message",
               "detail": {... the check's figures ...}}}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

import httpx

from newsmon.alerts.channels.base import Delivery
from newsmon.alerts.mail import event_plain_text, event_title, notice_plain_text, notice_subject
from newsmon.configfile import ConfigError
from newsmon.errors import ServiceUnavailable
from newsmon.settings import Settings
from newsmon.url_policy import is_web_url

__all__ = ["OPERATOR_SCHEMA", "SCHEMA", "WebhookChannel", "WebhookEndpoint", "payload", "signature"]

SCHEMA = "newsmon.alert/1"
OPERATOR_SCHEMA = "newsmon.operator/1"
#: Waits before the second and third attempt.
BACKOFF_SECONDS = (1.0, 2.0)


@dataclass(frozen=True)
class WebhookEndpoint:
    url: str
    secret: str = ""
    format: str = "newsmon"
    timeout_seconds: float = 10.0
    headers: tuple[tuple[str, str], ...] = ()


def endpoint(conn_id: str) -> WebhookEndpoint:
    """The endpoint of the Airflow connection ``conn_id``."""
    try:
        from airflow.sdk import Connection

        connection = Connection.get(conn_id)
    except ImportError:
        raise ConfigError(f"webhook:{conn_id} needs Airflow to read its connection, which is not importable here") from None
    except Exception as exc:  # noqa: BLE001 - the SDK raises its own not-found types
        raise ServiceUnavailable(f"cannot read the Airflow connection {conn_id!r} of webhook:{conn_id} ({exc}); "
                                 f"define it (UI, `airflow connections add`, or AIRFLOW_CONN_{conn_id.upper()}); "
                                 "the alert stays pending") from None
    host = (connection.host or "").strip()
    if "://" in host:
        url = host
    else:
        scheme = connection.schema or "https"
        url = f"{scheme}://{host}{f':{connection.port}' if connection.port else ''}"
    if not host or not is_web_url(url):
        raise ConfigError(f"Airflow connection {conn_id!r}: its host {host!r} is no http(s) URL; set it to the "
                          "webhook's URL")
    extra = connection.extra_dejson or {}
    fmt = str(extra.get("format", "newsmon")).lower()
    if fmt not in ("newsmon", "slack", "mattermost"):
        raise ConfigError(f"Airflow connection {conn_id!r}: extra format {fmt!r} is not newsmon, slack or mattermost")
    headers = extra.get("headers") or {}
    return WebhookEndpoint(url, connection.password or "", fmt, float(extra.get("timeout", 10.0)),
                           tuple((str(k), str(v)) for k, v in dict(headers).items()))


def payload(delivery: Delivery, fmt: str = "newsmon") -> dict:
    """The JSON body of a delivery (newsmon's schema, or Slack/Mattermost's ``{"text": ...}``)."""
    if delivery.notice is not None:
        return _operator_payload(delivery, fmt)
    title = event_title(delivery.event, delivery.articles)
    subject = f"{'Re: ' if delivery.seq else ''}[newsmon] {title}"
    text = event_plain_text(delivery.event, delivery.articles, delivery.rules, delivery.copies, delivery.seq)
    if fmt in ("slack", "mattermost"):
        return {"text": f"*{subject}*\n{text}"}
    event = delivery.event
    return {
        "schema": SCHEMA, "idempotency_key": delivery.key, "thread": delivery.thread_key, "update": delivery.seq,
        "subject": subject, "text": text,
        "event": {"id": event.get("id"), "title": title, "titles": event.get("titles") or {},
                  "first_seen": event.get("first_seen"), "last_seen": event.get("last_seen"),
                  "languages": event.get("languages") or [], "sources": event.get("sources") or [],
                  "article_count": event.get("article_count")},
        "rules": [{"id": rule.id, "name": rule.name} for rule in delivery.rules],
        "articles": [{
            "id": a["_id"], "title": a.get("title"), "url": a.get("canonical_url"), "source": a.get("source"),
            "lang": a.get("lang"), "published": a.get("published"),
            "evidence": [{k: m.get(k) for k in ("id", "kind", "surface", "snippet")} for m in a.get("mentions", [])],
            "copies": [{"url": c.get("canonical_url"), "source": c.get("source")}
                       for c in delivery.copies.get(a["_id"], [])]} for a in delivery.articles],
    }


def _operator_payload(delivery: Delivery, fmt: str) -> dict:
    notice = delivery.notice or {}
    subject, text = notice_subject(notice), notice_plain_text(notice)
    if fmt in ("slack", "mattermost"):
        return {"text": f"*{subject}*\n{text}"}
    return {"schema": OPERATOR_SCHEMA, "idempotency_key": delivery.key, "thread": delivery.thread_key,
            "subject": subject, "text": text,
            "alert": {k: notice.get(k) for k in ("source", "check", "title", "transition", "episode", "at",
                                                  "message", "detail")}}


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


_CONN_ID = re.compile(r"^[A-Za-z0-9_.-]+$")


class WebhookChannel:
    prefix = "webhook:"

    def check(self, destination: str) -> None:
        if not _CONN_ID.match(destination.removeprefix(self.prefix)):
            raise ValueError(f"{destination!r}: a webhook destination is webhook:<Airflow connection id>, the id made "
                             "of letters, digits, '_', '.', '-'")

    def deliver(self, delivery: Delivery, settings: Settings) -> str:
        conn_id = delivery.destination.removeprefix(self.prefix)
        target = endpoint(conn_id)
        body = json.dumps(payload(delivery, target.format), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": delivery.key,
                   "User-Agent": settings.user_agent, **dict(target.headers)}
        if target.secret:
            headers["X-Newsmon-Signature"] = signature(target.secret, body)
        problem = ""
        for attempt in range(len(BACKOFF_SECONDS) + 1):
            if attempt:
                time.sleep(BACKOFF_SECONDS[attempt - 1])
            try:
                answer = httpx.post(target.url, content=body, headers=headers, timeout=target.timeout_seconds,
                                    follow_redirects=False)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
                continue
            if answer.status_code < 300:
                return f"{answer.status_code} from {target.url}"
            problem = f"HTTP {answer.status_code}"
            if answer.status_code < 500 and answer.status_code != 429:
                break  # refused: trying again now would be refused again
        raise ServiceUnavailable(f"webhook:{conn_id} ({target.url}) did not take the alert ({problem}); it stays "
                                 "pending and goes again on the next run with the same Idempotency-Key")
