"""The small policies hostile input meets: the URL policy, the feed prolog check, charset decisions, matching in
pieces, deep configuration files, the data folder, the Host header guard and strict JSON out of ``analyze``."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

import pytest

from newsmon.analyze import json_line
from newsmon.configfile import ConfigError, load_yaml
from newsmon.crawl.discovery import parse_feed
from newsmon.crawl.encoding import content_type_with_charset
from newsmon.crawl.urls import canonicalize_url, find_canonical_link, is_web_url
from newsmon.models import Mention
from newsmon.monitor.hosts import TrustedHostGuard
from newsmon.processing import _capped, text_pieces
from newsmon.settings import load_settings


@pytest.mark.parametrize(("url", "web"), [
    ("https://a.example/x", True), ("http://[::1]:8080/x", True), ("HTTPS://A.example", True),
    ("javascript://a.example/%0Aalert(1)", False), ("data:text/html,<b>x</b>", False), ("file:///etc/passwd", False),
    ("https://a.example/a b", False), ("https://a.example\\@evil.example/", False), ("https:///x", False),
    ("https://a.example:99999/", False), (None, False)])
def test_only_web_urls_pass_the_url_policy(url, web):
    assert is_web_url(url) is web


def test_ipv6_hosts_keep_their_brackets():
    assert canonicalize_url("http://[::1]:8765/a/") == "http://[::1]:8765/a/"
    assert canonicalize_url("HTTPS://[2001:DB8::1]:443/a?utm_source=x") == "https://[2001:db8::1]/a"


def test_a_canonical_link_of_another_scheme_is_no_canonical_link():
    page = b'<head><link rel="canonical" href="javascript://a.example/%0Aalert(1)"></head>'
    assert find_canonical_link(page, "https://a.example/p/") is None
    assert find_canonical_link(b'<link rel=canonical href="/q/">', "https://a.example/p/") == "https://a.example/q/"


def test_entity_declarations_are_refused_wherever_the_doctype_sits():
    bomb = (b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><?pi x?>\n<!DOCTYPE rss SYSTEM "a>[b" [\n'
            b'<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>')
    with pytest.raises(ValueError, match="declares XML entities"):
        parse_feed(bomb, "https://a.example/feed")
    with pytest.raises(ValueError, match="declares XML entities"):
        parse_feed(bomb.decode().encode("utf-16"), "https://a.example/feed")
    public_dtd = (b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                  b'"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><item>'
                  b"<title>&lt;!ENTITY is text here</title><link>https://a.example/1</link></item></channel></rss>")
    assert [item.url for item in parse_feed(public_dtd, "https://a.example/feed").items] == ["https://a.example/1"]


def test_a_page_that_declares_utf8_but_is_not_is_decoded_by_detection(caplog):
    russian = ("<html><head><meta charset='utf-8'><title>Кабулов</title></head><body><p>"
               + "Специальный представитель по Афганистану заявил о контактах с талибами. " * 10 + "</p></body></html>")
    with caplog.at_level(logging.WARNING, logger="newsmon.crawl.encoding"):
        assert content_type_with_charset("text/html; charset=UTF-8", russian.encode("cp1251"), "https://a/p") \
            == "text/html; charset=cp1251"
        assert content_type_with_charset("text/html", russian.encode("cp1251")) == "text/html; charset=cp1251"
    assert len(caplog.records) == 2 and "https://a/p declares UTF-8" in caplog.records[0].getMessage()
    stray = russian.encode("utf-8") + b"\xff"  # one bad byte in a UTF-8 page: still UTF-8
    assert content_type_with_charset("text/html; charset=utf-8", stray) == "text/html; charset=utf-8"


def test_long_texts_are_cut_at_paragraph_breaks_and_nothing_is_lost():
    text = "\n\n".join(f"Paragraph {n} " + "word " * 50 for n in range(1000))
    pieces = text_pieces(text, 20_000)
    assert "".join(text[start:end] for start, end in pieces) == text
    assert all(end - start <= 20_000 for start, end in pieces) and len(pieces) == 14
    assert all(text[end - 2:end] == "\n\n" for _, end in pieces[:-1])


def test_capped_mentions_keep_the_first_of_every_actor_and_theme():
    mentions = [Mention("taliban", "actor", "Taliban", n, n + 7) for n in range(0, 100, 10)]
    mentions.append(Mention("zamir_kabulov", "actor", "Kabulov", 200, 207))
    kept = _capped(mentions, 3)
    assert [(m.id, m.start) for m in kept] == [("taliban", 0), ("taliban", 10), ("zamir_kabulov", 200)]


def test_yaml_too_deep_to_read_names_the_file(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(ConfigError, match=f"^{deep}: nested too deeply"):
        load_yaml(deep)


def test_a_data_dir_this_user_cannot_write_fails_at_load(tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == tmp_path else real_access(path, mode))
    with pytest.raises(ConfigError, match=f"data_dir .*{tmp_path}/data is not writable: it would be created in "
                                          f"{tmp_path}, which this user cannot write; set NEWSMON_DATA_DIR"):
        load_settings({"NEWSMON_DATA_DIR": str(tmp_path / "data")})


def _ask(guard: TrustedHostGuard, host: str) -> int:
    answers = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        answers.append(message)

    guard.app = app
    asyncio.run(guard({"type": "http", "headers": [(b"host", host.encode())]}, None, send))
    return answers[0]["status"]


def test_the_host_guard_answers_only_its_own_address():
    guard = TrustedHostGuard(None, ["127.0.0.1:8080", "localhost:8080"])
    assert [_ask(guard, host) for host in ("127.0.0.1:8080", "LOCALHOST:8080", "evil.example:8080",
                                           "127.0.0.1:8081", "")] == [200, 200, 400, 400, 400]
    assert _ask(TrustedHostGuard(None, []), "evil.example") == 200  # not configured: not in the way


def test_analyze_output_is_always_strict_json():
    line = json_line({"id": float("nan"), "text": "x"})
    assert json.loads(line) == {"id": "nan", "error": "the result cannot be written as JSON (Out of range float "
                                                      "values are not JSON compliant)"}
    assert json.loads(json_line({"id": 7, "title": "ok"})) == {"id": 7, "title": "ok"}
