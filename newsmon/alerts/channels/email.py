"""The e-mail channel: a destination that is an address gets the alert as a mail over SMTP (:mod:`newsmon.alerts.smtp`,
:mod:`newsmon.alerts.mail`); the delivery key is its Message-ID, updates answer the thread's first mail."""

from __future__ import annotations

import re

from newsmon.alerts.channels.base import Delivery
from newsmon.alerts.mail import build_event_mail, build_notice_mail
from newsmon.alerts.smtp import send_mail
from newsmon.settings import Settings

__all__ = ["EmailChannel"]


_ADDRESS = re.compile(r"^[^@\s<>,;:]+@[^@\s<>,;]+$")


class EmailChannel:
    prefix = ""

    def check(self, destination: str) -> None:
        if not _ADDRESS.match(destination):
            raise ValueError(f"{destination!r} is neither an e-mail address nor a destination of another channel "
                             "(webhook:<Airflow connection id>)")

    def deliver(self, delivery: Delivery, settings: Settings) -> str:
        if delivery.notice is not None:
            message = build_notice_mail(delivery.destination, delivery.notice, settings, delivery.key,
                                        delivery.thread_key)
            send_mail(message, settings)
            return str(message["Subject"])
        message = build_event_mail(delivery.destination, delivery.event, delivery.articles, delivery.rules,
                                   settings, delivery.key, delivery.seq, delivery.thread_key, delivery.copies)
        send_mail(message, settings)
        return str(message["Subject"])
