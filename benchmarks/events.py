"""Benchmark event assignment: clusters against the replay site's labelled events, and the cost per article.

Quality: the replay site (``newsmon/devstack/replay``) is crawled, processed and indexed into a throw-away alias of
a real Elasticsearch, then :meth:`EventStore.assign_pending` places every article. Each manifest entry names its
``event`` (and ``duplicate_of`` for a copy); the indexed ``event_id`` of each labelled article is compared with
the labels:

- **B-cubed** precision and recall (per article: the share of its predicted cluster that shares its label, and the
  share of its labelled cluster that shares its prediction; averaged over articles), F1 their harmonic mean —
  goal F1 ≥ 0.90;
- **pairwise** precision and recall (over all pairs of articles put together / labelled together);
- near-duplicates: the copies found (``duplicate_of``) against the labelled ones.

Cost: the same assignment on ``--synthetic`` articles (two texts of the matching dev set joined, matched by the
watchlist, spread over 30 days with random sources) timed per article, in the same run — the assignment runs in the
news_alerts DAG, outside the per-page processing that ``benchmarks/processing.py`` measures.

Elasticsearch: NEWSMON_ELASTICSEARCH_URL, else the running node of ``newsmon es start``, else a local node started for
the run. ``--append PATH`` writes (replaces) the section ``events`` of PATH.

    uv run python benchmarks/events.py [--synthetic 2000] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, delete_alias, environment_lines, figures_table, throwaway_alias, write_section

from newsmon import pipeline
from newsmon.crawl.urls import canonicalize_url
from newsmon.devstack.elasticsearch_local import ensure_elasticsearch
from newsmon.devstack.replay import ReplayServer, replay_settings
from newsmon.index import ArticleStore, connect
from newsmon.index.events_store import EventStore
from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.models import Article, document_id
from newsmon.settings import PROJECT_ROOT, load_settings

MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"
DEV_SET = PROJECT_ROOT / "tests" / "data" / "matching"
GOAL_BCUBED_F1 = 0.90


def labelled_articles() -> dict[str, dict]:
    """Document id → manifest entry (with its source) of every replay article expected to be indexed."""
    found = {}
    for path in sorted(MANIFESTS.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["articles"]:
            if entry.get("expect", "indexed") == "indexed":
                found[document_id(canonicalize_url(entry["canonical_url"]))] = {**entry, "source": path.stem}
    missing = [e["canonical_url"] for e in found.values() if not e.get("event")]
    if missing:
        raise SystemExit(f"{len(missing)} replay article(s) have no `event` label in {MANIFESTS}, e.g. {missing[0]}; "
                         "label them (see the manifests' README)")
    return found


def bcubed(labels: dict[str, str], predicted: dict[str, str]) -> tuple[float, float]:
    """B-cubed precision and recall of ``predicted`` (item → cluster) against ``labels`` (item → class)."""
    by_label, by_prediction = defaultdict(set), defaultdict(set)
    for item in labels:
        by_label[labels[item]].add(item)
        by_prediction[predicted[item]].add(item)
    precision = sum(len(by_prediction[predicted[i]] & by_label[labels[i]]) / len(by_prediction[predicted[i]])
                    for i in labels) / len(labels)
    recall = sum(len(by_prediction[predicted[i]] & by_label[labels[i]]) / len(by_label[labels[i]])
                 for i in labels) / len(labels)
    return precision, recall


def pairwise(labels: dict[str, str], predicted: dict[str, str]) -> tuple[float, float]:
    together = {frozenset(p) for p in itertools.combinations(labels, 2) if predicted[p[0]] == predicted[p[1]]}
    labelled = {frozenset(p) for p in itertools.combinations(labels, 2) if labels[p[0]] == labels[p[1]]}
    precision = len(together & labelled) / len(together) if together else 1.0
    recall = len(together & labelled) / len(labelled) if labelled else 1.0
    return precision, recall


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def replay_quality(es_url: str) -> dict:
    """Crawl, process and place the replay site; compare the events with the manifests' labels."""
    labels = labelled_articles()
    alias = throwaway_alias("events")
    with ReplayServer("127.0.0.1", 0) as server, tempfile.TemporaryDirectory(prefix="bench-events-") as data_dir:
        settings = load_settings({**replay_settings(server.base_url), "NEWSMON_ELASTICSEARCH_URL": es_url,
                                  "NEWSMON_INDEX_ALIAS": alias, "NEWSMON_DATA_DIR": data_dir})
        try:
            for name in pipeline.source_names(settings):
                pipeline.crawl(name, settings)
            for batch in pipeline.pending_batches(settings):
                pipeline.process_batch(batch, settings)
            client = connect(settings)
            started = time.perf_counter()
            report = EventStore(client, alias).assign_pending()
            seconds = time.perf_counter() - started
            client.indices.refresh(index=alias)
            docs = {h["_id"]: h["_source"] for h in client.search(index=alias, size=10_000, source=[
                "event_id", "duplicate_of", "title", "lang", "source", "themes"])["hits"]["hits"]}
        finally:
            delete_alias(connect(settings), alias)
    indexed = {i: e for i, e in labels.items() if i in docs}
    truth = {i: e["event"] for i, e in indexed.items()}
    guess = {i: docs[i]["event_id"] for i in indexed}
    copies_labelled = {i for i, e in indexed.items() if e.get("duplicate_of")}
    copies_found = {i for i in indexed if docs[i].get("duplicate_of")}
    b_p, b_r = bcubed(truth, guess)
    p_p, p_r = pairwise(truth, guess)
    events = Counter(truth.values())
    gold_themes = [set(e.get("themes") or []) for e in indexed.values()]
    found_themes = [set(docs[i].get("themes") or []) for i in indexed]
    tp = sum(len(g & f) for g, f in zip(gold_themes, found_themes))
    theme_p = tp / max(1, sum(len(f) for f in found_themes))
    theme_r = tp / max(1, sum(len(g) for g in gold_themes))
    off_topic = sum(1 for g, f in zip(gold_themes, found_themes) if not g and f)
    return {"themes": (theme_p, theme_r, off_topic, sum(1 for g in gold_themes if not g)),"articles": len(indexed), "not_indexed": len(labels) - len(indexed), "events": len(events),
            "multi_source_events": sum(1 for label, n in events.items()
                                       if len({indexed[i]["source"] for i in indexed if truth[i] == label}) >= 3),
            "predicted_events": len(set(guess.values())), "bcubed": (b_p, b_r, f1(b_p, b_r)),
            "pairwise": (p_p, p_r, f1(p_p, p_r)), "copies": (len(copies_found & copies_labelled), len(copies_found),
                                                             len(copies_labelled)),
            "seconds": seconds, "placed": report.placed,
            "clusters": _cluster_table(truth, guess, {i: docs[i] for i in indexed})}


def _cluster_table(truth: dict[str, str], guess: dict[str, str], docs: dict[str, dict]) -> list[str]:
    """One line per labelled event: how its articles were placed (to read the errors)."""
    lines = []
    for label in sorted(set(truth.values())):
        members = [i for i in truth if truth[i] == label]
        placed = Counter(guess[i] for i in members)
        shape = " + ".join(f"{n}" for _, n in placed.most_common())
        intruders = sum(1 for i in guess if guess[i] in placed and truth[i] != label)
        langs = ",".join(sorted({docs[i].get("lang", "?") for i in members}))
        lines.append(f"| {label} | {len(members)} | {langs} | {shape} | {intruders} |")
    return lines


def synthetic_cost(es_url: str, count: int) -> dict:
    """Place ``count`` dev-set texts spread over 30 days; the time per article."""
    matcher = WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
    rng = random.Random(16)
    texts = [(json.loads(line)["text"], lang) for lang in ("en", "tr", "ru", "fa")
             for line in (DEV_SET / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()]
    start = datetime(2025, 9, 1, tzinfo=UTC)
    articles = []
    by_lang = defaultdict(list)
    for text, lang in texts:
        by_lang[lang].append(text)
    for n in range(count):  # two texts of one language joined: every article is its own, none a copy
        lang = rng.choice(sorted(by_lang))
        text = " ".join(rng.sample(by_lang[lang], 2))
        url = f"https://example.org/{n}"
        article = Article(url=url, canonical_url=url, source=f"site{rng.randrange(5)}", title=text[:60],
                          text=text + f" ({n})", lang=lang, published=start + timedelta(hours=rng.randrange(720)))
        article.mentions = matcher.match(article.text, lang)
        articles.append(article)
    alias = throwaway_alias("events-cost")
    client = connect(load_settings({"NEWSMON_ELASTICSEARCH_URL": es_url}))
    try:
        store = ArticleStore(client, alias)
        store.ensure_index()
        for chunk in range(0, len(articles), 500):
            store.index_articles(articles[chunk: chunk + 500])
        started = time.perf_counter()
        report = EventStore(client, alias).assign_pending()
        seconds = time.perf_counter() - started
    finally:
        delete_alias(client, alias)
    return {"articles": report.placed, "seconds": seconds, "ms_per_article": 1000 * seconds / max(1, report.placed),
            "events": report.new_events, "duplicates": report.duplicates}


def figures(quality: dict, cost: dict) -> list[Figure]:
    b_p, b_r, b_f = quality["bcubed"]
    p_p, p_r, p_f = quality["pairwise"]
    right, found, labelled = quality["copies"]
    return [
        Figure("B-cubed precision / recall / F1 on the replay site's labelled events",
               f"{b_p:.3f} / {b_r:.3f} / {b_f:.3f}", f"F1 ≥ {GOAL_BCUBED_F1}", b_f >= GOAL_BCUBED_F1),
        Figure("pairwise precision / recall / F1", f"{p_p:.3f} / {p_r:.3f} / {p_f:.3f}", "–", None),
        Figure("labelled events (reported by 3+ sources) / articles",
               f"{quality['events']} ({quality['multi_source_events']}) / {quality['articles']}", "–", None),
        Figure("near-duplicates found right / found / labelled", f"{right} / {found} / {labelled}",
               "all, none wrong", right == found == labelled),
        Figure("themes P / R on the replay site's articles (manifest labels); off-topic given a theme",
               f"{quality['themes'][0]:.3f} / {quality['themes'][1]:.3f}; {quality['themes'][2]} of "
               f"{quality['themes'][3]}", "P ≥ 0.95; 0", quality['themes'][0] >= 0.95 and not quality['themes'][2]),
        Figure("assignment, ms per article (synthetic, same run)",
               f"{cost['ms_per_article']:.1f} ({cost['articles']} articles)", "–", None),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=2000, help="articles for the cost measurement")
    parser.add_argument("--append", help="write (replace) the section 'events' of this markdown file")
    args = parser.parse_args()
    es_url = ensure_elasticsearch(load_settings())
    quality = replay_quality(es_url)
    cost = synthetic_cost(es_url, args.synthetic)
    lines = [*environment_lines("events.py"), "", figures_table(figures(quality, cost)), "",
             (f"Replay site: {quality['articles']} labelled articles indexed ({quality['not_indexed']} not), "
              f"{quality['events']} labelled events, {quality['predicted_events']} predicted; placed in "
              f"{quality['seconds']:.2f}s. Synthetic: {cost['articles']} articles into {cost['events']} events "
              f"({cost['duplicates']} copies) in {cost['seconds']:.1f}s."), "",
             "| labelled event | articles | languages | placed as (sizes of predicted events) | others in them |",
             "|---|---|---|---|---|", *quality["clusters"]]
    body = "\n".join(lines)
    print(body)
    if args.append:
        write_section(args.append, "events", "Events", body)


if __name__ == "__main__":
    main()
