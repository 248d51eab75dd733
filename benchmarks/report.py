"""One table of every benchmark's headline figures, from the newest section of each kind in BENCHMARKS.md.

A section with a ``| figure | value | goal | met |`` table (written by ``_report.figures_table``) is read as
is; the sections of the older scripts (crawl, extraction, language, matching, index, alerts) are read by
the small parsers below. A section whose format changed shows up as "not readable" rather than failing.

    uv run python benchmarks/report.py [--file BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import FIGURES_HEADER, Figure

_HEADING = re.compile(r"^## (?P<title>[^(\n]+?)\s*(?:\((?P<meta>[^)\n]*)\))?\s*$", re.MULTILINE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Goals stated by the issues (the matching goals are asserted by the dev-set test).
MATCH_ACTORS, MATCH_THEMES = 0.95, 0.90
CRAWL_GOAL = 1.15


def sections(text: str) -> dict[str, tuple[str, str]]:
    """``{title: (date, body)}`` for the newest (last) section of each title."""
    found: dict[str, tuple[str, str]] = {}
    matches = list(_HEADING.finditer(text))
    for match, following in zip(matches, [*matches[1:], None]):
        body = text[match.end(): following.start() if following else len(text)]
        date = _DATE.search(match.group("meta") or "") or _DATE.search(body)
        found[match.group("title").strip()] = (date.group(0) if date else "?", body)
    return found


def _rows(body: str, header_start: str) -> list[list[str]]:
    """The data rows of the first markdown table whose header starts with ``header_start``."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header_start):
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append([cell.strip() for cell in row.strip().strip("|").split("|")])
            return rows
    return []


def _number(text: str) -> float:
    return float(re.search(r"-?\d+(?:\.\d+)?", text.replace(",", "")).group(0))


# -- the older sections ---------------------------------------------------------------------------------
def crawl(body: str) -> list[Figure]:
    ratio = re.search(r"Time / bound: median \*\*([\d.]+)\*\*, worst ([\d.]+)", body)
    second = re.search(r"\*\*(\d+) requests\*\* for (\d+) configured feeds.*?(\d+) fetched", body, re.DOTALL)
    memory = re.search(r"Peak memory.*?\*\*(\d+) MB\*\*", body)
    figures = [Figure("crawl time / politeness bound (median; worst)", f"{ratio.group(1)}; {ratio.group(2)}",
                      f"≤ {CRAWL_GOAL}", float(ratio.group(2)) <= CRAWL_GOAL)]
    if second:
        fetched = int(second.group(3))
        paragraph = second.group(0)  # lists the requests by kind: any but conditional and robots.txt misses
        figures.append(Figure("second crawl, nothing new: requests (feeds) / articles fetched",
                              f"{second.group(1)} ({second.group(2)}) / {fetched}",
                              "1 conditional per feed + robots.txt, 0 fetched",
                              fetched == 0 and "other" not in paragraph))
    if memory:
        figures.append(Figure("crawl peak memory (MB)", memory.group(1)))
    return figures


def extraction(body: str) -> list[Figure]:
    figures = []
    for name, table in re.findall(r"\*\*([\w-]+)\*\* \(\d+ pages\)\n\n(\|.*?)(?:\n\n|\Z)", body, re.DOTALL):
        rows = {r[0]: r for r in _rows(table, "| method")}
        ours = next(v for k, v in rows.items() if k.startswith("newsmon"))
        plain = next(v for k, v in rows.items() if k.startswith("trafilatura"))
        figures.append(Figure(f"extraction F1 on {name}: newsmon (trafilatura alone)",
                              f"{ours[1]} ({plain[1]})", "≥ trafilatura alone", float(ours[1]) >= float(plain[1])))
        speed = re.search(rf"\*\*{re.escape(name)}\*\*.*?newsmon / trafilatura: ([\d.]+)", body, re.DOTALL)
        if speed:
            figures.append(Figure(f"extraction time on {name}, newsmon / trafilatura (favor_precision)",
                                  speed.group(1)))
    return figures


def language(body: str) -> list[Figure]:
    figures = []
    for kind in ("sentences", "word-pairs", "articles"):
        part = body.split(f"**{kind}**", 1)
        if len(part) < 2:
            continue
        rows = {r[0]: r for r in _rows(part[1], "| method")}
        ours = rows["newsmon"]
        accuracies = [cell for cell in ours[1:5] if cell not in ("–", "-")]
        figures.append(Figure(f"language, {kind}: accuracy en/tr/ru/fa %, confusers labelled a target %",
                              f"{'/'.join(accuracies)}, {ours[5]}"))
    return figures


def matching(body: str, dev: bool) -> list[Figure]:
    rows = _rows(body, "| lang | items")
    actors = [tuple(map(float, r[2].split(" / ")[:2])) for r in rows]
    themes = [tuple(map(float, r[3].split(" / ")[:2])) for r in rows]
    stray = sum(int(r[4].split(" of ")[0]) for r in rows)
    name = "dev set" if dev else "held-out set (goals set on the dev set)"
    worst_actor = min(min(p, r) for p, r in actors)
    worst_theme = min(min(p, r) for p, r in themes)
    return [Figure(f"matching {name}: lowest actor P or R over en/tr/ru/fa", f"{worst_actor:.3f}",
                   f"≥ {MATCH_ACTORS}", worst_actor >= MATCH_ACTORS),
            Figure(f"matching {name}: lowest theme P or R over en/tr/ru/fa", f"{worst_theme:.3f}",
                   f"≥ {MATCH_THEMES}", worst_theme >= MATCH_THEMES),
            Figure(f"matching {name}: no-theme items given a theme", str(stray), "0", stray == 0)]


def index(body: str) -> list[Figure]:
    rate = re.search(r"(\d+) documents bulk-indexed in ([\d.]+)s: \*\*(\d+) docs/s\*\*", body)
    migrate = re.search(r"\*\*(\d+)s per 100,000\*\*", body)
    p95 = [_number(r[2]) for r in _rows(body, "| saved search")]
    figures = [Figure(f"bulk indexing, docs/s ({rate.group(1)} synthetic docs)", rate.group(3))]
    if p95:
        figures.append(Figure("slowest saved search, p95 ms", f"{max(p95):.1f}"))
    if migrate:
        figures.append(Figure("index migration (reindex), s per 100,000 docs", migrate.group(1)))
    return figures


def alerts(body: str) -> list[Figure]:
    rate = re.search(r"\*\*(\d+) articles/s against (\d+) rules\*\*", body)
    return [Figure(f"alert percolation, articles/s against {rate.group(2)} rules (batches of 100)", rate.group(1))]


#: Section title → parser, in the order of the report (sections with a figures table need none).
PARSERS: dict[str, Callable[[str], list[Figure]]] = {
    "Crawl": crawl,
    "Article extraction": extraction,
    "Language identification": language,
    "Matching on the dev set": lambda body: matching(body, dev=True),
    "Matching on the held-out set": lambda body: matching(body, dev=False),
    "Index": index,
    "Alert percolation": alerts,
}


def figures_of(body: str) -> list[Figure]:
    """The rows of a section's ``| figure | value | goal | met |`` table."""
    met = {"yes": True, "**no**": False, "no": False}
    return [Figure(r[0], r[1], r[2], met.get(r[3])) for r in _rows(body, FIGURES_HEADER) if len(r) >= 4]


def report(text: str) -> list[tuple[str, str, list[Figure] | str]]:
    """``(section, date, figures or why not)`` for every kind of section, newest of each."""
    found = sections(text)
    out = []
    ordered = [t for t in PARSERS if t in found] + [t for t in found if t not in PARSERS]
    for title in ordered:
        date, body = found[title]
        if FIGURES_HEADER in body:
            out.append((title, date, figures_of(body)))
        elif title in PARSERS:
            try:
                out.append((title, date, PARSERS[title](body)))
            except (AttributeError, KeyError, IndexError, StopIteration, ValueError) as exc:
                out.append((title, date, f"not readable ({type(exc).__name__}): has the section's format changed?"))
    missing = [t for t in PARSERS if t not in found]
    out += [(t, "–", "no section in the file: run its benchmark") for t in missing]
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=Path(__file__).resolve().parents[1] / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    rows = ["| section (date) | figure | value | goal | met? |", "|---|---|---|---|---|"]
    met = missed = 0
    for title, date, figures in report(args.file.read_text(encoding="utf-8")):
        if isinstance(figures, str):
            rows.append(f"| {title} ({date}) | {figures} | | | |")
            continue
        for figure in figures:
            rows.append(f"| {title} ({date}) | {figure.name} | {figure.value} | {figure.goal} | {figure.verdict} |")
            met += figure.met is True
            missed += figure.met is False
    print(f"Benchmarks report from {args.file}: newest section of each kind\n")
    print("\n".join(rows))
    print(f"\nGoals met: {met}; missed: {missed}.")


if __name__ == "__main__":
    main()
