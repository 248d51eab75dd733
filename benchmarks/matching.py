"""Actor and theme matching against the labelled dev set (tests/data/matching/*.jsonl).

Prints micro precision, recall and F1 per language for actors and for themes, and the time per item.
Usage: uv run python benchmarks/matching.py [--errors] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsmon.matching import WatchlistMatcher, load_watchlist
from newsmon.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "tests" / "data" / "matching"


def score(gold: list[set], predicted: list[set]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold, predicted))
    fp = sum(len(p - g) for g, p in zip(gold, predicted))
    fn = sum(len(g - p) for g, p in zip(gold, predicted))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(matcher: WatchlistMatcher, lang: str, show_errors: bool = False) -> dict:
    items = [json.loads(line) for line in (DEV_SET / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    predicted_actors, predicted_themes = [], []
    started = time.perf_counter()
    for item in items:
        mentions = matcher.match(item["text"], lang)
        predicted_actors.append({m.id for m in mentions if m.kind == "actor"})
        predicted_themes.append({m.id for m in mentions if m.kind == "theme"})
    seconds = time.perf_counter() - started
    gold_actors = [set(i["actors"]) for i in items]
    gold_themes = [set(i["themes"]) for i in items]
    if show_errors:
        for item, pa, pt, ga, gt in zip(items, predicted_actors, predicted_themes, gold_actors, gold_themes):
            if pa != ga or pt != gt:
                print(f"- {item['id']}: actors +{sorted(pa - ga)} -{sorted(ga - pa)}; "
                      f"themes +{sorted(pt - gt)} -{sorted(gt - pt)}\n    {item['text'][:300]}")
    return {"lang": lang, "items": len(items), "actors": score(gold_actors, predicted_actors),
            "themes": score(gold_themes, predicted_themes), "ms_per_item": 1000 * seconds / len(items)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list every item with a wrong label set")
    parser.add_argument("--lang", action="append", help="only these languages")
    parser.add_argument("--append", type=Path, help="append the table to this markdown file")
    args = parser.parse_args()
    matcher = WatchlistMatcher(load_watchlist(PROJECT_ROOT / "config" / "watchlist.yaml"))
    rows = []
    for lang in args.lang or ["en", "tr", "ru", "fa"]:
        matcher.match("warm up", lang)
        rows.append(evaluate(matcher, lang, args.errors))
    lines = ["| lang | items | actors P / R / F1 | themes P / R / F1 | ms/item |", "|---|---|---|---|---|"]
    for r in rows:
        a, t = r["actors"], r["themes"]
        lines.append(f"| {r['lang']} | {r['items']} | {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f} | "
                     f"{t[0]:.3f} / {t[1]:.3f} / {t[2]:.3f} | {r['ms_per_item']:.1f} |")
    print("\n".join(lines))
    if args.append:
        from datetime import date

        with args.append.open("a", encoding="utf-8") as out:
            out.write(f"\n## Matching on the dev set ({date.today()})\n`uv run python benchmarks/matching.py`\n\n"
                      + "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
