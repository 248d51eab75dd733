"""Where alert mail goes: the ``NEWSMON_SMTP_*`` settings, or an Airflow SMTP connection, and the sending.

With ``NEWSMON_SMTP_CONN_ID`` set (e.g. ``smtp_default``), host, port, login and password come from that
Airflow connection, and its extras are read as the Airflow SMTP provider reads them: ``disable_ssl`` (SSL
from the first byte unless true), ``disable_tls`` (STARTTLS on a plain connection unless true),
``from_email`` and ``timeout``. Without it, the ``NEWSMON_SMTP_*`` settings apply.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from newsmon.configfile import ConfigError
from newsmon.errors import ServiceUnavailable
from newsmon.settings import Settings

__all__ = ["SmtpEndpoint", "send_mail", "smtp_endpoint"]


@dataclass(frozen=True)
class SmtpEndpoint:
    host: str
    port: int
    user: str = ""
    password: str = ""
    ssl: bool = False
    starttls: bool = False
    timeout_seconds: float = 30.0
    #: Overrides the message's From when set (an Airflow connection's ``from_email``).
    mail_from: str = ""
    origin: str = "NEWSMON_SMTP_* settings"

    def __str__(self) -> str:
        mode = "SSL" if self.ssl else "STARTTLS" if self.starttls else "plain"
        return f"{self.host}:{self.port} ({mode}, from {self.origin})"


def _flag(value, name: str, conn_id: str) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("true", "1", "yes", "on"):
        return True
    if str(value).strip().lower() in ("false", "0", "no", "off", ""):
        return False
    raise ConfigError(f"Airflow connection {conn_id!r}: extra {name!r} must be true or false, not {value!r}")


def smtp_endpoint(settings: Settings) -> SmtpEndpoint:
    """The SMTP server to use: the Airflow connection ``settings.smtp_conn_id`` if set, else the settings."""
    if not settings.smtp_conn_id:
        return SmtpEndpoint(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                            settings.smtp_ssl, settings.smtp_starttls, settings.smtp_timeout_seconds)
    conn_id = settings.smtp_conn_id
    try:
        from airflow.sdk import Connection

        connection = Connection.get(conn_id)
    except ImportError:
        raise ConfigError(f"NEWSMON_SMTP_CONN_ID={conn_id!r} needs Airflow, which is not importable here; "
                          "unset it to use the NEWSMON_SMTP_* settings") from None
    except Exception as exc:  # noqa: BLE001 - the SDK raises its own not-found types
        raise ServiceUnavailable(f"cannot read the Airflow SMTP connection {conn_id!r} ({exc}); define it "
                                 f"(UI, `airflow connections add`, or AIRFLOW_CONN_{conn_id.upper()}) or unset "
                                 "NEWSMON_SMTP_CONN_ID; the alert stays pending") from None
    if not connection.host:
        raise ConfigError(f"Airflow connection {conn_id!r} has no host; set it to the SMTP server's name")
    extra = connection.extra_dejson or {}
    use_ssl = not _flag(extra.get("disable_ssl", False), "disable_ssl", conn_id)
    starttls = not use_ssl and not _flag(extra.get("disable_tls", False), "disable_tls", conn_id)
    port = connection.port or (465 if use_ssl else 587 if starttls else 25)
    return SmtpEndpoint(connection.host, int(port), connection.login or "", connection.password or "", use_ssl,
                        starttls, float(extra.get("timeout", settings.smtp_timeout_seconds)),
                        str(extra.get("from_email", "") or ""), f"Airflow connection {conn_id!r}")


def send_mail(message: EmailMessage, settings: Settings) -> None:
    """Send over SMTP; raises :class:`ServiceUnavailable` (so the alert stays pending) on failure."""
    endpoint = smtp_endpoint(settings)
    if endpoint.mail_from:
        del message["From"]
        message["From"] = endpoint.mail_from
    try:
        if endpoint.ssl:
            smtp = smtplib.SMTP_SSL(endpoint.host, endpoint.port, timeout=endpoint.timeout_seconds,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(endpoint.host, endpoint.port, timeout=endpoint.timeout_seconds)
        with smtp:
            if endpoint.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if endpoint.user:
                smtp.login(endpoint.user, endpoint.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise ServiceUnavailable(f"SMTP server {endpoint} did not take the mail ({type(exc).__name__}: {exc}); "
                                 "the alert stays pending and is retried on the next run. Check the SMTP "
                                 "settings or start the local sink with `uv run newsmon demo`") from None
