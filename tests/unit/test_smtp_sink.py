"""The SMTP sink receives real mail over SMTP and keeps it as mbox and as .eml files."""

from __future__ import annotations

import mailbox
import smtplib
from email.message import EmailMessage
from pathlib import Path

import pytest

from newsmon.devstack.smtp_sink import SmtpSink, ensure_running, read_record, stop_recorded


def _mail(subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "newsmon@example.org"
    message["To"] = "analyst@example.org"
    message["Subject"] = subject
    message.set_content(body)
    return message


def test_two_mails_are_stored_as_mbox_and_eml(tmp_path: Path) -> None:
    with SmtpSink(tmp_path) as sink:
        assert sink.port > 0
        with smtplib.SMTP(sink.host, sink.port, timeout=10) as client:
            client.send_message(_mail("Alert: Kabul", "Талибан и Россия: переговоры в Москве."))
            client.send_message(_mail("Alert: Moscow", "Rusya ile Taliban görüştü."),
                                to_addrs=["analyst@example.org", "hidden@example.org"])
        received = sink.messages()

    assert [m["Subject"] for m in received] == ["Alert: Kabul", "Alert: Moscow"]
    assert "переговоры в Москве" in received[0].get_content()
    assert received[1]["X-RcptTo"] == "analyst@example.org, hidden@example.org"
    assert len(list((tmp_path / "messages").glob("*.eml"))) == 2

    box = mailbox.mbox(tmp_path / "mailbox.mbox")
    stored = list(box)
    box.close()
    assert [m["Subject"] for m in stored] == ["Alert: Kabul", "Alert: Moscow"]
    assert stored[0].get_from().startswith("newsmon@example.org ")
    assert "Rusya ile Taliban" in stored[1].get_payload(decode=True).decode("utf-8")


def test_stop_closes_the_port(tmp_path: Path) -> None:
    sink = SmtpSink(tmp_path)
    host, port = sink.start()
    sink.stop()
    sink.stop()
    with pytest.raises(OSError):
        smtplib.SMTP(host, port, timeout=2)


def test_detached_sink_is_reused_then_stopped(tmp_path: Path) -> None:
    state, mail, other = tmp_path / "state", tmp_path / "mail", tmp_path / "other-mail"
    host, port = ensure_running(state, mail)
    try:
        first = read_record(state)
        assert ensure_running(state, mail) == (host, port)
        with smtplib.SMTP(host, port, timeout=10) as client:
            client.send_message(_mail("Detached", "hello"))
        assert [m["Subject"] for m in SmtpSink(mail).messages()] == ["Detached"]
        ensure_running(state, other)  # another mailbox: the old sink is replaced
        assert read_record(state)["pid"] != first["pid"]
        assert not Path(f"/proc/{first['pid']}").exists()
    finally:
        assert stop_recorded(state)
    assert read_record(state) is None
    assert not stop_recorded(state)
