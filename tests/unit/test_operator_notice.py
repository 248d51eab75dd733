"""What an operator alert says on each channel: the mail, newsmon's webhook JSON and the Slack text."""

from __future__ import annotations

from newsmon.alerts.channels import Delivery
from newsmon.alerts.channels.webhook import OPERATOR_SCHEMA, payload
from newsmon.alerts.mail import build_notice_mail
from newsmon.settings import load_settings

NOTICE = {"source": "ankasam", "check": "feeds-failing", "title": "feeds failing", "transition": "cleared",
          "episode": 2, "at": "2026-03-20T12:00:00+00:00", "message": "feeds failing: the condition no longer holds",
          "detail": {"runs": 3}}


def _delivery() -> Delivery:
    return Delivery("ops@example.org", "<operator-b@newsmon>", [], {}, [], thread_key="<operator-a@newsmon>",
                    notice=NOTICE)


def test_the_cleared_mail_answers_the_started_one(tmp_path):
    mail = build_notice_mail("ops@example.org", NOTICE, load_settings({}, data_dir=tmp_path), "<operator-b@newsmon>",
                             "<operator-a@newsmon>")
    assert mail["Subject"] == "[newsmon operator] ankasam: feeds failing cleared"
    assert mail["In-Reply-To"] == mail["References"] == "<operator-a@newsmon>"
    assert mail["Message-ID"] == "<operator-b@newsmon>" and mail["X-Newsmon-Operator"] == "ankasam feeds-failing cleared"
    text = mail.get_body(("plain",)).get_content()
    assert "Check: feeds failing (feeds-failing), cleared (cleared at 2026-03-20T12:00:00+00:00, episode 2)" in text


def test_webhook_bodies():
    body = payload(_delivery())
    assert body["schema"] == OPERATOR_SCHEMA and body["idempotency_key"] == "<operator-b@newsmon>"
    assert body["thread"] == "<operator-a@newsmon>" and body["alert"] == {
        k: NOTICE[k] for k in ("source", "check", "title", "transition", "episode", "at", "message", "detail")}
    slack = payload(_delivery(), "slack")
    assert list(slack) == ["text"] and slack["text"].startswith("*[newsmon operator] ankasam: feeds failing cleared*\n")
