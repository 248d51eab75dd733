"""Actor and theme matching against the labelled sets: dev (tests/data/matching/, tuned on), held-out
(tests/data/matching_heldout/) and blind (tests/data/matching_blind/, written before the rules changed).

Prints micro precision, recall and F1 per language for actors and for themes, and the time per item. Only the
dev set lists its errors (``--errors``): the held-out and blind sets are scored, never read item by item.
Goals (issue 14, for unseen text; reported for every set): per language, actors P and R ≥ 0.98, themes P and R
≥ 0.93, no theme on an item labelled with none; texts in other languages (``other.jsonl``) identified as
``other`` and given no theme. tests/unit/test_matching.py asserts them on the dev set, and on the held-out and
blind sets the floors measured when issue 14 closed (below the goals: see BENCHMARKS.md).

``--append PATH`` writes (replaces) this set's section of PATH: keys ``matching-dev``, ``matching-held-out``,
``matching-blind``.
``--batch 501-525`` scores one round of the dev set alone (its first scoring, before the rules are tuned on it).
Usage: uv run python benchmarks/matching.py [--set dev|held-out|blind | --data DIR] [--errors] [--batch FIRST-LAST]
       [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, environment_lines, figures_table, write_section

from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "tests" / "data" / "matching"
HELD_OUT = PROJECT_ROOT / "tests" / "data" / "matching_heldout"
BLIND = PROJECT_ROOT / "tests" / "data" / "matching_blind"
SETS = {"dev": DEV_SET, "held-out": HELD_OUT, "blind": BLIND}
#: Goals per language: lowest of precision and recall.
GOAL_ACTORS, GOAL_THEMES = 0.98, 0.93


def score(gold: list[set], predicted: list[set]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(matcher: WatchlistMatcher, lang: str, show_errors: bool = False, data: Path = DEV_SET,
             batch: range | None = None) -> dict:
    items = [json.loads(line) for line in (data / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    if batch is not None:  # one dev round only (ids <lang>-501 ... -525): its first scoring, before any tuning
        items = [item for item in items if int(item["id"].rpartition("-")[2]) in batch]
    predicted_actors, predicted_themes = [], []
    started = time.perf_counter()
    for item in items:
        mentions = matcher.match(item["text"], lang)
        predicted_actors.append({m.id for m in mentions if m.kind == "actor"})
        predicted_themes.append({m.id for m in mentions if m.kind == "theme"})
    seconds = time.perf_counter() - started
    gold_actors = [set(i["actors"]) for i in items]
    gold_themes = [set(i["themes"]) for i in items]
    negatives = [i for i, item in enumerate(items) if not item["themes"]]
    negatives_with_themes = sum(1 for i in negatives if predicted_themes[i])
    if show_errors:
        for item, pa, pt, ga, gt in zip(items, predicted_actors, predicted_themes, gold_actors, gold_themes):
            if pa != ga or pt != gt:
                print(f"- {item['id']}: actors +{sorted(pa - ga)} -{sorted(ga - pa)}; "
                      f"themes +{sorted(pt - gt)} -{sorted(gt - pt)}\n    {item['text'][:300]}")
    return {"lang": lang, "items": len(items), "actors": score(gold_actors, predicted_actors),
            "themes": score(gold_themes, predicted_themes), "ms_per_item": 1000 * seconds / len(items),
            "negatives": len(negatives), "negatives_with_themes": negatives_with_themes}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _articles_by_language() -> dict[str, list[str]]:
    """Article bodies of the golden files (replay pages), by language."""
    texts: dict[str, list[str]] = {}
    for golden in sorted((PROJECT_ROOT / "tests" / "fixtures" / "golden").glob("*/*.json")):
        expected = json.loads(golden.read_text(encoding="utf-8"))["expected"]
        lang = (expected.get("declared_lang") or "")[:2]
        texts.setdefault(lang, []).append(expected["text"])
    return texts


def speed(matcher: WatchlistMatcher, words: int = 1000, rounds: int = 20) -> dict[str, float]:
    """Median matching time (ms) per ``words``-word article per language, after warm-up."""
    medians = {}
    for lang, texts in sorted(_articles_by_language().items()):
        if lang not in ("en", "tr", "ru", "fa"):
            continue
        pool = " ".join(texts).split()
        article = " ".join((pool * (words // max(1, len(pool)) + 1))[:words])
        matcher.match(article, lang)
        timings = []
        for _ in range(rounds):
            started = time.perf_counter()
            matcher.match(article, lang)
            timings.append(1000 * (time.perf_counter() - started))
        medians[lang] = statistics.median(timings)
    return medians


def evaluate_other(matcher: WatchlistMatcher, data: Path) -> dict | None:
    """Texts in languages newsmon does not read (``other.jsonl``): language ``other``, actors by name, no theme."""
    from newsmon.language import detect_language

    path = data / "other.jsonl"
    if not path.exists():
        return None
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    langs, actors, themes = [], [], []
    for item in items:
        lang = detect_language(item["text"]).lang
        mentions = matcher.match(item["text"], lang)
        langs.append(lang)
        actors.append({m.id for m in mentions if m.kind == "actor"})
        themes.append({m.id for m in mentions if m.kind == "theme"})
    return {"items": len(items), "other": sum(lang == "other" for lang in langs),
            "actors": score([set(i["actors"]) for i in items], actors), "with_themes": sum(map(bool, themes))}


def figures(rows: list[dict], other: dict | None, speeds: dict[str, float], memory: float) -> list[Figure]:
    """The headline figures of one set: the worst language against each goal, then speed and memory."""
    langs = "/".join(r["lang"] for r in rows)
    worst_actor = min(min(r["actors"][:2]) for r in rows)
    worst_theme = min(min(r["themes"][:2]) for r in rows)
    stray = sum(r["negatives_with_themes"] for r in rows)
    negatives = sum(r["negatives"] for r in rows)
    found = [
        Figure(f"actors: lowest P or R over {langs}", f"{worst_actor:.3f}", f"≥ {GOAL_ACTORS:.2f}",
               worst_actor >= GOAL_ACTORS),
        Figure(f"themes: lowest P or R over {langs}", f"{worst_theme:.3f}", f"≥ {GOAL_THEMES:.2f}",
               worst_theme >= GOAL_THEMES),
        Figure("items labelled with no theme given a theme", f"{stray} of {negatives}", "0", stray == 0),
    ]
    if other:
        found += [
            Figure("other-language texts identified as `other`", f"{other['other']} of {other['items']}", "all",
                   other["other"] == other["items"]),
            Figure("other-language texts given a theme", f"{other['with_themes']} of {other['items']}", "0",
                   other["with_themes"] == 0),
        ]
    if speeds:
        slowest = max(speeds, key=speeds.get)
        found.append(Figure("ms per 1000-word article, slowest language (median of 20)",
                            f"{speeds[slowest]:.1f} ({slowest})"))
    found.append(Figure("memory of the four loaded pipelines (MB, RSS growth)", f"{memory:.0f}"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list every item with a wrong label set (dev set only)")
    parser.add_argument("--lang", action="append", help="only these languages")
    parser.add_argument("--set", choices=sorted(SETS), default="dev", dest="which",
                        help="which labelled set (held-out and blind: report only, never tune on them)")
    parser.add_argument("--held-out", action="store_const", const="held-out", dest="which", help="= --set held-out")
    parser.add_argument("--batch", metavar="FIRST-LAST",
                        help="dev set only: score just the items numbered FIRST to LAST (one dev round, e.g. 501-525)")
    parser.add_argument("--data", type=Path, metavar="DIR",
                        help="score a labelled set kept elsewhere, in the dev set's format (<lang>.jsonl), e.g. a private "
                             "set of real news excerpts that may not be copied into the repository; --errors lists its "
                             "errors")
    parser.add_argument("--append", type=Path,
                        help="write this set's section into this markdown file (replacing its previous run)")
    args = parser.parse_args()
    batch = None
    if args.batch:
        if args.which != "dev":
            parser.error("--batch scores a round of the dev set; the held-out and blind sets are scored whole")
        first, _, last = args.batch.partition("-")
        batch = range(int(first), int(last) + 1)
    if args.data is not None and args.append:
        parser.error("--data scores a set outside the repository: its figures are not BENCHMARKS.md's to keep")
    data = args.data if args.data is not None else SETS[args.which]
    rss_before = _rss_mb()
    matcher = WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
    rows = []
    for lang in args.lang or ["en", "tr", "ru", "fa"]:
        matcher.match("warm up", lang)
        if args.data is not None and not (args.data / f"{lang}.jsonl").exists():
            continue
        rows.append(evaluate(matcher, lang, args.errors and (args.which == "dev" or args.data is not None), data, batch))
    other = evaluate_other(matcher, data)
    memory = _rss_mb() - rss_before
    speeds = speed(matcher)
    where = str(data) if args.data is not None else f"{args.which} set ({data.relative_to(PROJECT_ROOT)})"
    lines = [f"Data: {where}", "",
             figures_table(figures(rows, other, speeds, memory)), "",
             "| lang | items | actors P / R / F1 | themes P / R / F1 | no-theme items given a theme | ms/item |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        a, t = r["actors"], r["themes"]
        lines.append(f"| {r['lang']} | {r['items']} | {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} | "
                     f"{t[0]:.3f} / {t[1]:.3f} / {t[2]:.3f} | {r['negatives_with_themes']} of {r['negatives']} | "
                     f"{r['ms_per_item']:.1f} |")
    if other:
        a = other["actors"]
        lines += ["", f"Other languages ({other['items']} texts): {other['other']} identified as `other`; actors P / R "
                      f"{a[0]:.3f} / {a[1]:.3f}; {other['with_themes']} given a theme."]
    lines += ["", "| lang | ms per 1000-word article (median of 20) |", "|---|---|",
              *(f"| {lang} | {ms:.1f} |" for lang, ms in speeds.items()),
              "", f"Memory of the four loaded pipelines: {memory:.0f} MB (RSS growth)."]
    body = "\n".join([*environment_lines("matching.py"), "", *lines])
    print(body)
    if args.append:
        write_section(args.append, f"matching-{args.which}", f"Matching on the {args.which} set", body)


if __name__ == "__main__":
    main()
