"""Alert percolation throughput: articles per second against N generated rules on one Elasticsearch node.

Runs against NEWSMON_ELASTICSEARCH_URL, or the local node of ``newsmon es start`` (started if needed). The rules
are generated from the watchlist's ids like analysts write them (a theme; a theme and an actor; an actor in some
languages; a theme from some sources; some free text), stored with :class:`newsmon.alerts.RuleIndex` in a
throw-away index, and the synthetic articles of ``benchmarks/index.py`` are percolated the way ``news_alerts``
does (batches of 100 documents, every matching rule returned, paged past 1,000 rules). No goal is set for these
figures. ``--append PATH`` writes (replaces) the section ``alerts`` of PATH.
Usage: uv run python benchmarks/alerts.py [--rules 1000] [--articles 2000] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

from elasticsearch import Elasticsearch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, environment_lines, figures_table, write_section

from newsmon.alerts import AlertRule, RuleIndex
from newsmon.devstack.elasticsearch_local import ensure_elasticsearch
from newsmon.matching import load_watchlist
from newsmon.settings import load_settings

SOURCES = ["ankasam", "newarab", "thebell", "afintl", "opsour"]
LANGS = ["en", "tr", "ru", "fa"]
TEXTS = ['"Moscow Format"', "Kabulov", "embassy", "Taliban + recognition", '"frozen assets"', "Kazan"]


def generate_rules(count: int, actors: list[str], themes: list[str], seed: int = 11) -> list[AlertRule]:
    rng = random.Random(seed)
    rules = []
    for n in range(count):
        kind = n % 5
        match: dict = {}
        if kind == 0:
            match = {"themes": [rng.choice(themes)]}
        elif kind == 1:
            match = {"themes": [rng.choice(themes)], "actors": [rng.choice(actors)]}
        elif kind == 2:
            match = {"actors": rng.sample(actors, k=2), "languages": rng.sample(LANGS, k=rng.randint(1, 2))}
        elif kind == 3:
            match = {"themes": rng.sample(themes, k=2), "sources": rng.sample(SOURCES, k=2)}
        else:
            match = {"text": rng.choice(TEXTS), "languages": [rng.choice(LANGS)]}
        mode = {"mode": "digest", "schedule": "daily"} if n % 7 == 0 else {}
        rules.append(AlertRule.model_validate({"id": f"bench_{n:05d}", "name": f"Bench {n}", "match": match,
                                               "recipients": [f"desk{n % 20}@example.org"], **mode}))
    return rules


def _synthetic_documents(count: int) -> list[dict]:
    spec = importlib.util.spec_from_file_location("bench_index", Path(__file__).with_name("index.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # What news_alerts percolates: the stored document without the per-language analysed copies.
    return [{k: v for k, v in doc.items() if not k.startswith(("text_", "title_"))}
            for _, doc in module.synthetic_documents(count)]


def measure(rule_index: RuleIndex, documents: list[dict], batch: int) -> dict:
    rule_index.percolate(documents[:batch])  # warm up
    timings, matches = [], 0
    started = time.perf_counter()
    for start in range(0, len(documents), batch):
        begun = time.perf_counter()
        found = rule_index.percolate(documents[start: start + batch])
        timings.append(time.perf_counter() - begun)
        matches += sum(len(slots) for slots in found.values())
    seconds = time.perf_counter() - started
    timings.sort()
    return {"batch": batch, "articles": len(documents), "seconds": seconds, "rate": len(documents) / seconds,
            "matches": matches / len(documents), "p50": 1000 * statistics.median(timings),
            "p95": 1000 * timings[max(0, int(0.95 * len(timings)) - 1)]}


def figures(stored: int, headline: dict) -> list[Figure]:
    """The headline figures, at news_alerts' batch size (no goal is set for them)."""
    return [Figure(f"alert percolation, articles/s against {stored} rules (batches of {headline['batch']})",
                   f"{headline['rate']:.0f}"),
            Figure(f"percolate request of {headline['batch']} articles, p95 ms", f"{headline['p95']:.1f}"),
            Figure("matching rules per article", f"{headline['matches']:.1f}")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=2000, help="articles per measurement (batch size 100)")
    parser.add_argument("--append", help="write (replace) the section 'alerts' of this markdown file")
    args = parser.parse_args()
    settings = load_settings()
    url = ensure_elasticsearch(settings)
    client = Elasticsearch(url, request_timeout=600)
    version = client.info()["version"]["number"]
    watchlist = load_watchlist(settings.watchlist_file)
    rules = generate_rules(args.rules, [a.id for a in watchlist.actors], [t.id for t in watchlist.themes])
    documents = _synthetic_documents(args.articles)
    rule_index = RuleIndex(client, f"bench-alert-rules-{int(time.time())}")
    try:
        started = time.perf_counter()
        rule_index.sync(rules)
        sync_seconds = time.perf_counter() - started
        stored = client.count(index=rule_index.index)["count"]
        results = [measure(rule_index, documents[: max(100, args.articles // 10)], 1),
                   measure(rule_index, documents[: max(100, args.articles // 2)], 10),
                   measure(rule_index, documents, 100)]
    finally:
        client.indices.delete(index=rule_index.index, ignore_unavailable=True)
    headline = results[-1]
    lines = [*environment_lines("alerts.py", es_server=version), f"- Elasticsearch at {url}", "",
             figures_table(figures(stored, headline)), "",
             (f"{stored} rules stored (bulk) in {sync_seconds:.1f}s; synthetic multilingual articles "
              f"(benchmarks/index.py), percolated with `RuleIndex.percolate` (all matching rules, paged)."), "",
             ("| documents per percolate request | articles | articles/s | matching rules per article "
              "| request p50 ms | request p95 ms |"), "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['batch']} | {r['articles']} | {r['rate']:.0f} | {r['matches']:.1f} | {r['p50']:.1f} "
                     f"| {r['p95']:.1f} |")
    lines += ["", (f"news_alerts percolates in batches of 100: **{headline['rate']:.0f} articles/s against "
                  f"{stored} rules**.")]
    body = "\n".join(lines)
    print(body)
    if args.append:
        write_section(args.append, "alerts", "Alert percolation", body)


if __name__ == "__main__":
    main()
