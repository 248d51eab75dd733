"""Where alerts go: one channel per kind of destination, each one file with one hook, ``deliver``.

A rule's ``recipients`` are destinations: an e-mail address (the e-mail channel, :mod:`.email`) or
``webhook:<connection id>`` (a JSON POST to the URL of that Airflow connection, :mod:`.webhook`). Dispatch hands
each channel a :class:`Delivery` — what one alert says, whatever the medium — and the channel either delivers it
and returns a receipt, or raises :class:`~newsmon.errors.ServiceUnavailable` so the alert stays pending (claimed,
with the same idempotency key, for the next run). Exactly-once holds per destination: the thread store keys mails
by (destination, event, seq).

To add a channel: one module here with one class that has ``prefix`` (what its destinations start with, e.g.
``"telegram:"``), ``check(destination)`` (raise :class:`ValueError` saying what a destination looks like) and
``deliver(delivery, settings) -> str`` (:mod:`.base`), plus its tests. It is found by its module; nothing else
changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from newsmon.alerts.channels.base import Channel, Delivery

__all__ = ["Channel", "Delivery", "channel_for", "channels", "check_destination"]


@cache
def channels() -> tuple[Channel, ...]:
    """One instance of every channel class in this package (a class with ``prefix`` and ``deliver``), the longest
    prefix first: a destination goes to the first channel whose prefix it starts with (e-mail's is empty)."""
    found = []
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        found += [value() for value in vars(module).values()
                  if isinstance(value, type) and value.__module__ == module.__name__
                  and hasattr(value, "prefix") and hasattr(value, "deliver")]
    return tuple(sorted(found, key=lambda c: len(c.prefix), reverse=True))


def channel_for(destination: str) -> Channel:
    """The channel that delivers to ``destination``."""
    return next(c for c in channels() if destination.startswith(c.prefix))


def check_destination(destination: str) -> str:
    """``destination`` if its channel takes it, else a :class:`ValueError` saying what is expected."""
    channel_for(destination).check(destination)
    return destination
