"""What every channel takes: a :class:`Delivery` (one alert), and the :class:`Channel` protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from newsmon.settings import Settings

__all__ = ["Channel", "Delivery"]


@dataclass
class Delivery:
    """One alert, as every channel sees it: one event's new articles for one destination (the event's first
    alert there, or an update), or an operator alert (``notice``). Digests are e-mail only
    (:mod:`newsmon.alerts.digest`)."""

    destination: str
    #: Stable across resends: the e-mail Message-ID, the webhook's idempotency key.
    key: str
    #: The rules it is for (objects with ``id``, ``name``, ``match``).
    rules: list
    #: The event (``id``, ``titles``, ``first_seen``…) and the articles this alert carries.
    event: dict
    articles: list[dict]
    #: The update number (0: the first alert about the event there) and the key of that first alert.
    seq: int = 0
    thread_key: str = ""
    #: Original article id → its near-duplicates (listed under it).
    copies: dict[str, list[dict]] = field(default_factory=dict)
    #: An operator alert instead of an event (:mod:`newsmon.alerts.operator`): ``source``, ``check``, ``title``,
    #: ``transition`` (started, cleared), ``episode``, ``message``, ``detail``, ``at``. Then ``rules``, ``event``
    #: and ``articles`` are empty and ``thread_key`` is the key of the episode's "started" alert.
    notice: dict | None = None


class Channel(Protocol):
    #: What its destinations start with (``webhook:``); the e-mail channel's is empty.
    prefix: str

    def check(self, destination: str) -> None:
        """Raise :class:`ValueError` (saying what is expected) if ``destination`` is not one of this channel's."""

    def deliver(self, delivery: Delivery, settings: Settings) -> str:
        """Deliver, returning a receipt; raise :class:`~newsmon.errors.ServiceUnavailable` to leave it pending."""
