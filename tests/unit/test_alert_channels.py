"""Alert channels: destinations checked by their channel, the webhook's JSON (newsmon's schema and Slack's), its
HMAC signature; the e-mail channel is the mail of tests/unit/test_alert_mail.py."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from newsmon.alerts.channels import Delivery, channel_for, channels, check_destination
from newsmon.alerts.channels.webhook import SCHEMA, payload, signature
from newsmon.alerts.rules import AlertRule

RULE = AlertRule(id="moscow_format", name="Moscow Format", match={"themes": ["moscow_format"]},
                 recipients=["desk@example.org", "webhook:slack_desk"])
ARTICLE = {"_id": "a1", "canonical_url": "https://www.ankasam.org/en/x/", "title": "Moscow Format meets",
           "source": "ankasam", "lang": "en", "published": "2025-10-06T10:00:00+00:00",
           "mentions": [{"id": "moscow_format", "kind": "theme", "surface": "Moscow Format",
                         "snippet": "The Moscow Format met in Kazan.", "start": 4, "end": 17}]}
DELIVERY = Delivery("webhook:slack_desk", "<event-k@newsmon>", [RULE], {"id": "ev-1", "titles": {"en": "Moscow Format meets"},
                    "first_seen": "2025-10-06T09:00:00+00:00", "languages": ["en"], "article_count": 1}, [ARTICLE],
                    0, "<event-k@newsmon>", {"a1": [{"canonical_url": "https://www.newarab.com/copy", "source": "newarab"}]})


def test_every_destination_goes_to_the_channel_that_checks_it():
    assert [c.prefix for c in channels()] == ["webhook:", ""]
    assert channel_for("webhook:slack_desk").prefix == "webhook:" and channel_for("desk@example.org").prefix == ""
    assert check_destination("webhook:a.b-c_d") == "webhook:a.b-c_d"
    for bad, why in (("webhook:two words", "webhook:<Airflow connection id>"), ("desk", "neither an e-mail address")):
        with pytest.raises(ValueError, match=why):
            check_destination(bad)


def test_rules_take_webhooks_for_immediate_alerts_and_digests_by_mail_only():
    assert RULE.recipients == ["desk@example.org", "webhook:slack_desk"]
    with pytest.raises(ValueError, match="digests go by e-mail"):
        AlertRule(id="d", name="D", match={"themes": ["moscow_format"]}, recipients=["webhook:x"], mode="digest",
                  schedule="daily")


def test_the_webhook_json_follows_its_schema():
    body = payload(DELIVERY)
    assert body["schema"] == SCHEMA and body["idempotency_key"] == "<event-k@newsmon>" and body["update"] == 0
    assert body["event"]["id"] == "ev-1" and body["event"]["title"] == "Moscow Format meets"
    assert body["rules"] == [{"id": "moscow_format", "name": "Moscow Format"}]
    [article] = body["articles"]
    assert article["url"] == "https://www.ankasam.org/en/x/" and article["evidence"][0]["surface"] == "Moscow Format"
    assert article["copies"] == [{"url": "https://www.newarab.com/copy", "source": "newarab"}]
    assert body["subject"] == "[newsmon] Moscow Format meets" and "Rules: Moscow Format (moscow_format)" in body["text"]
    json.dumps(body)  # plain JSON


def test_slack_and_mattermost_get_a_text_message():
    body = payload(Delivery(**{**DELIVERY.__dict__, "seq": 2}), "slack")
    assert set(body) == {"text"} and body["text"].startswith("*Re: [newsmon] Moscow Format meets*")
    assert "Update 2: 1 new article(s)" in body["text"]


def test_the_signature_is_the_hmac_sha256_of_the_body():
    body = b'{"a": 1}'
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert signature("s3cret", body) == f"sha256={expected}"
