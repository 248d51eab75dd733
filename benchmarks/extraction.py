"""Benchmark article-body extraction: the generic path of ``newsmon analyze`` against plain trafilatura.

Data: scrapinghub's article-extraction-benchmark (181 pages ``html/<id>.html.gz`` and ``ground-truth.json``
``{id: {"articleBody": ...}}``) or, with ``--fundus``, fundus-pages (same layout, 25 languages). Metric as in the
benchmark's ``evaluate.py``: tokens are ``\\w+`` matches, each text a multiset of word 4-grams; per page TP/FP/FN
between the two multisets, normalised to sum 1; precision and recall are averaged over pages (precision over
pages with some predicted text, recall over pages with some expected text), F1 is their harmonic mean.

Methods, run on the same pages in the same process:

- ``newsmon``: :class:`newsmon.analyze.Analyzer` on ``{"id", "html", "url": "https://example.org/<id>"}`` (no
  configured source owns that host, so the generic extractor runs); a page it drops counts as empty text.
  Timed twice: the extractor alone (``extract_article``) and ``analyze`` end to end (language, matching).
- ``trafilatura``: ``trafilatura.extract(html, favor_precision=True, include_comments=False)``, the baseline.

Goal: newsmon's F1 at least that of trafilatura alone on each data set. The data sets are read from
``$NEWSMON_BENCHMARK_DATA`` (default ``../shared/benchmarks``, see its README.md); ``--append PATH`` writes
(replaces) the section ``extraction`` of PATH.

    uv run python benchmarks/extraction.py
    uv run python benchmarks/extraction.py --fundus --append BENCHMARKS.md
    uv run python benchmarks/extraction.py --worst 10        # the pages newsmon gets most wrong
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import Figure, figures_table, memory_gib, require_data, write_section

#: The public data sets (folders in $NEWSMON_BENCHMARK_DATA) and the entries each must hold.
DEFAULT_DATA = "article-extraction-benchmark"
FUNDUS_DATA = "fundus-pages"
REQUIRED = ("ground-truth.json", "html")
#: Pages are analysed as ``https://HOST/<id>``: no configured source owns it, so the generic extractor runs.
HOST = "example.org"
_TOKEN = re.compile(r"\w+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Score = tuple[float, float, float]


# -- metric ---------------------------------------------------------------------------------------------
def shingles(text: str, n: int = 4) -> Counter:
    """The multiset of word ``n``-grams of ``text`` (one shorter gram for a text of fewer than ``n`` words)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def score_page(expected: str, predicted: str) -> Score:
    """TP, FP, FN between the 4-gram multisets of one page, normalised to sum 1."""
    true, pred = shingles(expected), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(hit: float, miss: float, other_miss: float) -> float:
    if miss == other_miss == 0:
        return 1.0
    return hit / (hit + miss) if hit + miss else 0.0


def aggregate(scores: list[Score]) -> dict[str, float]:
    """Macro precision and recall over pages, and F1 as the harmonic mean of the two."""
    precision = statistics.mean([_ratio(tp, fp, fn) for tp, fp, fn in scores if tp + fp > 0] or [0.0])
    recall = statistics.mean([_ratio(tp, fn, fp) for tp, fp, fn in scores if tp + fn > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


# -- data and methods -----------------------------------------------------------------------------------
def load_pages(data: Path, limit: int | None) -> list[tuple[str, str, str]]:
    """``(id, html, expected body)`` for every page of ``data`` with a ground truth, in id order."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        with gzip.open(data / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8", errors="replace") as f:
            pages.append((page_id, f.read(), truth[page_id].get("articleBody") or ""))
    return pages


def run_methods(pages: list[tuple[str, str, str]]) -> dict[str, tuple[list[str], float, float | None]]:
    """Both methods on every page, interleaved page by page so that machine load weighs on them alike.

    Returns ``{method: (texts, seconds extracting, seconds in analyze end to end or None)}``.
    """
    import trafilatura

    from newsmon.analyze import Analyzer
    from newsmon.errors import DropDocument
    from newsmon.extraction import extract_article
    from newsmon.models import FetchedPage
    from newsmon.settings import load_settings
    from newsmon.sources import load_registry

    settings = load_settings()
    registry = load_registry(settings)  # as `newsmon analyze` does
    if any(source.owns(HOST) for source in registry):
        raise SystemExit(
            f"{HOST} belongs to a configured source: the benchmark must run the generic extractor"
        )
    analyzer = Analyzer(settings, registry)
    # warm-up: lazy imports, models and caches are not what we time
    analyzer.analyze({"id": "warm-up", "html": pages[0][1], "url": f"https://{HOST}/warm-up"})
    trafilatura.extract(pages[0][1], favor_precision=True, include_comments=False)
    plain, ours = [], []
    plain_s = extract_s = analyze_s = 0.0
    for page_id, html, _ in pages:
        start = time.perf_counter()
        plain.append(trafilatura.extract(html, favor_precision=True, include_comments=False) or "")
        plain_s += time.perf_counter() - start

        url = f"https://{HOST}/{page_id}"
        page = FetchedPage(
            source="",
            url=url,
            canonical_url=url,
            status=200,
            body=html.encode("utf-8"),
            content_type="text/html; charset=utf-8",
            fetched_at=_EPOCH,
        )
        start = time.perf_counter()
        try:
            extract_article(page, "generic")
        except DropDocument:
            pass
        extract_s += time.perf_counter() - start

        start = time.perf_counter()
        try:
            ours.append(analyzer.analyze({"id": page_id, "html": html, "url": url})["text"])
        except ValueError:  # the extractor dropped the page: no article text
            ours.append("")
        analyze_s += time.perf_counter() - start
    return {
        "newsmon analyze (generic)": (ours, extract_s, analyze_s),
        "trafilatura (favor_precision)": (plain, plain_s, None),
    }


# -- report ---------------------------------------------------------------------------------------------
def render(name: str, results: dict[str, dict], pages: int) -> str:
    """A markdown table: F1, precision, recall, ms per page (extraction alone and end to end)."""
    lines = [
        f"**{name}** ({pages} pages)",
        "",
        "| method | F1 | precision | recall | ms/page extraction | ms/page analyze |",
        "|---|---|---|---|---|---|",
    ]
    for method, r in results.items():
        analyze = f"{r['analyze_ms']:.1f}" if r.get("analyze_ms") is not None else "–"
        lines.append(
            f"| {method} | {r['f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['extract_ms']:.1f} | {analyze} |"
        )
    return "\n".join(lines)


def environment() -> str:
    """Date, machine and package versions for the section."""
    gib = memory_gib()
    memory = f"{gib:.1f} GiB" if gib else "unknown"
    packages = ", ".join(f"{p} {version(p)}" for p in ("trafilatura", "lxml", "justext", "htmldate"))
    return (
        f"- date: {date.today().isoformat()}; cores: {os.cpu_count()}; memory: {memory}; "
        f"Python {platform.python_version()}\n- packages: {packages}\n"
        f"- command: `uv run python benchmarks/extraction.py {' '.join(sys.argv[1:])}`"
    )


def evaluate(name: str, data: Path, limit: int | None, worst: int) -> tuple[str, list[Figure]]:
    """Run both methods over one benchmark folder, print and return its table and its headline figures."""
    pages = load_pages(data, limit)
    print(f"{name}: {len(pages)} pages ...", file=sys.stderr)
    results, scores = {}, {}
    for method, (texts, extract_s, analyze_s) in run_methods(pages).items():
        scores[method] = [score_page(body, text) for (_, _, body), text in zip(pages, texts)]
        results[method] = {
            **aggregate(scores[method]),
            "extract_s": extract_s,
            "analyze_s": analyze_s,
            "extract_ms": 1000 * extract_s / len(pages),
            "analyze_ms": analyze_s and 1000 * analyze_s / len(pages),
        }
    ours, plain = results.values()
    table = (
        render(name, results, len(pages)) + "\n\nextraction time, newsmon / trafilatura: "
        f"{ours['extract_s'] / plain['extract_s']:.2f}"
    )
    print(table + "\n")
    ranked = sorted(zip(next(iter(scores.values())), (p[0] for p in pages)), key=lambda item: item[0][0])
    for (tp, fp, fn), page_id in ranked[:worst]:
        print(f"  {page_id[:16]}  tp {tp:.2f} fp {fp:.2f} fn {fn:.2f}", file=sys.stderr)
    return table, figures(name, len(pages), ours["f1"], plain["f1"], ours["extract_s"] / plain["extract_s"])


def figures(name: str, pages: int, f1: float, plain_f1: float, time_ratio: float) -> list[Figure]:
    """The headline figures of one data set: F1 against trafilatura alone (the goal), extraction time ratio."""
    return [
        Figure(f"extraction F1 on {name} ({pages} pages): newsmon (trafilatura alone)",
               f"{f1:.3f} ({plain_f1:.3f})", "≥ trafilatura alone", f1 >= plain_f1),
        Figure(f"extraction time on {name}, newsmon / trafilatura", f"{time_ratio:.2f}"),
    ]


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the benchmark(s), print (and optionally write) the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None,
                        help=f"{DEFAULT_DATA} folder (default: the one in $NEWSMON_BENCHMARK_DATA)")
    parser.add_argument("--fundus", action="store_true", help=f"also run {FUNDUS_DATA} (25 languages)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    parser.add_argument("--worst", type=int, default=0, help="print the N pages newsmon scores worst on")
    parser.add_argument("--append", type=Path,
                        help="write (replace) the section 'extraction' of this markdown file")
    args = parser.parse_args(argv)
    # every folder checked before the first page is read
    folders = require_data({DEFAULT_DATA: REQUIRED, **({FUNDUS_DATA: REQUIRED} if args.fundus else {})},
                           {DEFAULT_DATA: (args.data, "--data")} if args.data else None)
    tables, found = [], []
    for folder in folders.values():
        table, figures_of_set = evaluate(folder.name, folder, args.limit, args.worst)
        tables.append(table)
        found += figures_of_set
    body = (
        f"{environment()}\n"
        "- metric: word 4-gram multisets per page, macro precision/recall, F1 of the two; "
        "newsmon runs in-process through `Analyzer.analyze` (generic extractor), a dropped page "
        "counts as empty text; ms/page is wall time on one core\n\n"
        + figures_table(found) + "\n\n" + "\n\n".join(tables)
    )
    print(figures_table(found))
    if args.append:
        write_section(args.append, "extraction", "Article extraction", body)


if __name__ == "__main__":
    main()
