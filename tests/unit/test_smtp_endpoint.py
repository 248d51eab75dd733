"""Where alert mail goes: the NEWSMON_SMTP_* settings, or an Airflow SMTP connection read like the provider does."""

from __future__ import annotations

import json

import pytest

from newsmon.alerts.smtp import smtp_endpoint
from newsmon.configfile import ConfigError
from newsmon.errors import ServiceUnavailable
from newsmon.settings import load_settings


def _connection(monkeypatch, conn_id: str, **fields) -> None:
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps({"conn_type": "smtp", **fields}))


def test_settings_apply_without_a_connection():
    endpoint = smtp_endpoint(load_settings({}, smtp_host="mail.example", smtp_port=2525, smtp_starttls=True))
    assert (endpoint.host, endpoint.port, endpoint.ssl, endpoint.starttls) == ("mail.example", 2525, False, True)
    assert "NEWSMON_SMTP_*" in str(endpoint)


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, (True, False, 465)),  # the provider's default: SSL from the first byte
    ({"disable_ssl": True}, (False, True, 587)),  # then STARTTLS
    ({"disable_ssl": "true", "disable_tls": "true"}, (False, False, 25)),
])
def test_airflow_connection_extras_are_read_like_the_smtp_provider(monkeypatch, extra, expected):
    _connection(monkeypatch, "smtp_newsmon", host="smtp.example.org", login="alerts", password="s3cret", extra=extra)
    endpoint = smtp_endpoint(load_settings({}, smtp_conn_id="smtp_newsmon", smtp_host="ignored"))
    assert (endpoint.ssl, endpoint.starttls, endpoint.port) == expected
    assert (endpoint.host, endpoint.user, endpoint.password) == ("smtp.example.org", "alerts", "s3cret")
    assert "Airflow connection 'smtp_newsmon'" in str(endpoint)


def test_connection_port_timeout_and_sender(monkeypatch):
    _connection(monkeypatch, "smtp_x", host="h", port=2587,
                extra={"disable_ssl": False, "timeout": 5, "from_email": "Desk <desk@example.org>"})
    endpoint = smtp_endpoint(load_settings({}, smtp_conn_id="smtp_x"))
    assert (endpoint.port, endpoint.timeout_seconds, endpoint.mail_from) == (2587, 5.0, "Desk <desk@example.org>")


def test_bad_or_missing_connections_say_what_to_do(monkeypatch):
    _connection(monkeypatch, "smtp_bad", host="h", extra={"disable_ssl": "maybe"})
    with pytest.raises(ConfigError, match="'disable_ssl' must be true or false"):
        smtp_endpoint(load_settings({}, smtp_conn_id="smtp_bad"))
    _connection(monkeypatch, "smtp_nohost")
    with pytest.raises(ConfigError, match="has no host"):
        smtp_endpoint(load_settings({}, smtp_conn_id="smtp_nohost"))
    with pytest.raises(ServiceUnavailable, match="AIRFLOW_CONN_SMTP_MISSING.*stays pending"):
        smtp_endpoint(load_settings({}, smtp_conn_id="smtp_missing"))
