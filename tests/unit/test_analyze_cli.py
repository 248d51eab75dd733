"""`newsmon analyze`: the JSON Lines contract, run as the real command."""

from __future__ import annotations

import json
import subprocess
import sys

from newsmon.devstack.replay.server import SITE_ROOT
from newsmon.settings import PROJECT_ROOT


def run_analyze(lines: list[str]) -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "newsmon.cli", "analyze"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300, check=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_contract_order_offsets_and_bad_lines():
    page = (SITE_ROOT / "www.afintl.com" / "202410043812" / "index.html").read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "en", "text": "Zamir Kabulov said Moscow would host the Moscow Format with the Taliban."}),
        "{not json",
        json.dumps({"id": "tr", "text": "Kabulov'un açıklamasına göre Rusya, Taliban'ı tanımaya hazırlanıyor."}),
        json.dumps({"id": "nothing"}),
        json.dumps({"id": "page", "html": page, "url": "https://www.afintl.com/202410043812"}),
        json.dumps({"id": "az", "text": "Azərbaycan Respublikasının Prezidenti İlham Əliyev bu gün Bakıda görüşüb."}),
    ]
    out = run_analyze(lines)
    assert [o.get("id") for o in out] == ["en", None, "tr", "nothing", "page", "az"]
    assert "error" in out[1] and "line 2" in out[1]["error"] and "error" in out[3]
    en, tr, page_out, az = out[0], out[2], out[4], out[5]
    assert en["lang"] == "en" and {"zamir_kabulov", "taliban"} <= set(en["actors"])
    assert "moscow_format" in en["themes"]
    assert tr["lang"] == "tr" and {"zamir_kabulov", "russia", "taliban"} <= set(tr["actors"])
    assert page_out["lang"] == "fa" and page_out["title"] and page_out["published"]
    assert "moscow_format" in page_out["themes"]
    assert az["lang"] == "other"
    assert page_out["extractor"] == "afintl" and page_out["canonical_url"] == "https://www.afintl.com/202410043812"
    assert page_out["authors"] and page_out["declared_lang"] == "fa"
    for result in (en, tr, page_out):
        assert {"id", "title", "text", "lang", "published", "actors", "themes", "mentions"} <= set(result)
        for mention in result["mentions"]:
            assert result["text"][mention["start"]:mention["end"]] == mention["surface"]
            assert mention["kind"] in ("actor", "theme")


def test_deterministic():
    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate([
        "Талибы и Кремль обсудили признание.", "طالبان‌ها در نشست فرمت مسکو شرکت کردند.", "Hello"])]
    assert run_analyze(lines) == run_analyze(lines)
