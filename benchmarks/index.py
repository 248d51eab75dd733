"""Elasticsearch figures: bulk indexing rate, search latency of the saved searches, reindex (migration) time.

Runs against NEWSMON_ELASTICSEARCH_URL, or the local node of ``newsmon es start`` (started if needed), on a
throw-away alias filled with synthetic multilingual articles built from the replay pages' sentences.
No goal is set for these figures. ``--append PATH`` writes (replaces) the section ``index`` of PATH.
Usage: uv run python benchmarks/index.py [--docs 100000] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from elasticsearch import Elasticsearch, helpers

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, environment_lines, figures_table, write_section

from newsmon.devstack.elasticsearch_local import ensure_elasticsearch
from newsmon.index.lifecycle import ensure_index, migrate_index
from newsmon.index.search import search_articles
from newsmon.index.store import article_document
from newsmon.models import Article, Mention
from newsmon.settings import PROJECT_ROOT, load_settings

ACTORS = ["taliban", "russia", "zamir_kabulov", "amir_khan_muttaqi", "china", "pakistan", "iran", "iskp"]
THEMES = ["moscow_format", "recognition", "regional_security", "economic_agreements", "diplomatic_missions"]


def _sentences() -> dict[str, list[str]]:
    by_lang: dict[str, list[str]] = {}
    for golden in (PROJECT_ROOT / "tests" / "fixtures" / "golden").glob("*/*.json"):
        expected = json.loads(golden.read_text(encoding="utf-8"))["expected"]
        lang = (expected.get("declared_lang") or "en")[:2]
        by_lang.setdefault(lang, []).extend(s.strip() for s in expected["text"].split(".") if len(s.split()) > 4)
    return by_lang


def synthetic_documents(count: int, seed: int = 7):
    rng = random.Random(seed)
    sentences = _sentences()
    langs = sorted(sentences)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for n in range(count):
        lang = langs[n % len(langs)]
        text = ". ".join(rng.sample(sentences[lang], k=min(12, len(sentences[lang])))) + "."
        mentions = [Mention(id=a, kind="actor", surface=a, start=0, end=1, snippet=text[:120])
                    for a in rng.sample(ACTORS, k=rng.randint(1, 3))]
        mentions += [Mention(id=t, kind="theme", surface=t, start=0, end=1, snippet=text[:120])
                     for t in rng.sample(THEMES, k=rng.randint(0, 2))]
        article = Article(url=f"https://bench.example/{n}", canonical_url=f"https://bench.example/{n}",
                          source=rng.choice(["ankasam", "newarab", "thebell", "afintl", "opsour"]),
                          title=text[:80], text=text, lang=lang, mentions=mentions,
                          published=start + timedelta(minutes=5 * n))
        yield article.id, article_document(article)


def figures(docs: int, rate: float, p95: list[float], per_100k: float) -> list[Figure]:
    """The headline figures (no goal is set for them)."""
    return [Figure(f"bulk indexing, docs/s ({docs} synthetic docs)", f"{rate:.0f}"),
            Figure("slowest saved search, p95 ms", f"{max(p95):.1f}"),
            Figure("index migration (reindex), s per 100,000 docs", f"{per_100k:.0f}")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=50, help="runs of each saved search")
    parser.add_argument("--append", help="write (replace) the section 'index' of this markdown file")
    args = parser.parse_args()
    settings = load_settings()
    url = ensure_elasticsearch(settings)
    client = Elasticsearch(url, request_timeout=600)
    es_version = client.info()["version"]["number"]
    alias = f"bench-{int(time.time())}"
    ensure_index(client, alias)
    try:
        started = time.perf_counter()
        ok = sum(1 for success, _ in helpers.streaming_bulk(
            client, ({"_index": alias, "_id": i, "_source": d} for i, d in synthetic_documents(args.docs)),
            chunk_size=1000) if success)
        client.indices.refresh(index=alias)
        bulk_seconds = time.perf_counter() - started
        searches = {"theme moscow_format": {"theme": "moscow_format"}, "actor zamir_kabulov": {"actor": "zamir_kabulov"},
                    "recognition in ru": {"theme": "recognition", "lang": "ru"},
                    "text 'Taliban' since 2025": {"query": "Taliban", "since": "2025-01-01"},
                    "text 'талибов' (ru)": {"query": "талибов", "lang": "ru"}}
        lines = [f"{ok} documents bulk-indexed in {bulk_seconds:.1f}s: **{ok / bulk_seconds:.0f} docs/s**", "",
                 "| saved search | p50 ms | p95 ms |", "|---|---|---|"]
        p95 = []
        for name, params in searches.items():
            timings = []
            for _ in range(args.searches):
                begun = time.perf_counter()
                search_articles(client, alias, **params)
                timings.append(1000 * (time.perf_counter() - begun))
            timings.sort()
            p95.append(timings[int(0.95 * len(timings)) - 1])
            lines.append(f"| {name} | {statistics.median(timings):.1f} | {p95[-1]:.1f} |")
        report = migrate_index(client, alias)
        per_100k = report.seconds * 100_000 / max(1, report.copied)
        lines += ["", f"Migration (reindex) of {report.copied} documents: {report.seconds:.1f}s "
                      f"(**{per_100k:.0f}s per 100,000**)"]
    finally:
        for name in client.indices.get(index=f"{alias}-v*"):
            client.indices.delete(index=name)
    heap = "" if settings.elasticsearch_url else " (the local node: 1 GB heap)"
    body = "\n".join([*environment_lines("index.py", es_server=es_version), f"- Elasticsearch at {url}{heap}", "",
                      figures_table(figures(ok, ok / bulk_seconds, p95, per_100k)), "", *lines])
    print(body)
    if args.append:
        write_section(args.append, "index", "Index", body)


if __name__ == "__main__":
    main()
