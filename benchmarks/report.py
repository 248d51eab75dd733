"""One table of every benchmark's headline figures, from the sections of BENCHMARKS.md.

Each section of the file (``<!-- benchmark: KEY -->`` … ``<!-- /benchmark: KEY -->``, written by
``_report.write_section``) is the latest run of one benchmark and starts with a ``| figure | value | goal | met |``
table. This script gathers those tables in the order of ``_report.KEYS`` (then any other key), says which
benchmark has no section or no figures table, and lists the goals missed.

    uv run python benchmarks/report.py [--file BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import FIGURES_HEADER, KEYS, Figure, read_sections

_HEADING = re.compile(r"^## (?P<title>.+?) \((?P<meta>[^()\n]*)\)\s*$", re.MULTILINE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MET = {"yes": True, "**no**": False, "no": False}


@dataclass
class Section:
    """One benchmark's section: its key, title, date, figures, and what is wrong with it (if anything)."""

    key: str
    title: str = ""
    date: str = "–"
    figures: list[Figure] = field(default_factory=list)
    problem: str = ""


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def figures_of(body: str) -> list[Figure]:
    """The rows of the first ``| figure | value | goal | met |`` table in ``body``."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == FIGURES_HEADER:
            figures = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                cells = _cells(row)
                if len(cells) >= 4:
                    figures.append(Figure(cells[0], cells[1], cells[2], _MET.get(cells[3])))
            return figures
    return []


def read(text: str) -> list[Section]:
    """Every expected benchmark (``KEYS``) and any other section of ``text``, in that order."""
    found = read_sections(text)
    out = []
    for key in [*KEYS, *(k for k in found if k not in KEYS)]:
        section = Section(key)
        if key not in found:
            section.problem = "no section in the file: run its benchmark (see `make bench`)"
            out.append(section)
            continue
        body = found[key]
        if heading := _HEADING.search(body):
            section.title = heading.group("title").strip()
            if date := _DATE.search(heading.group("meta")):
                section.date = date.group(0)
        section.figures = figures_of(body)
        if not section.figures:
            section.problem = "no figures table in its section: rerun its benchmark"
        out.append(section)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, default=Path(__file__).resolve().parents[1] / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    sections = read(text)
    if not read_sections(text):
        print(f"{args.file} has no `<!-- benchmark: KEY -->` sections: run `make bench` (or one benchmark with "
              "--append) to write them", file=sys.stderr)
    rows = ["| benchmark (date) | figure | value | goal | met? |", "|---|---|---|---|---|"]
    missed = []
    met = 0
    for section in sections:
        label = f"{section.title or section.key} ({section.date})"
        if section.problem:
            rows.append(f"| {label} | {section.problem} | | | |")
        for figure in section.figures:
            rows.append(f"| {label} | {figure.name} | {figure.value} | {figure.goal} | {figure.verdict} |")
            met += figure.met is True
            if figure.met is False:
                missed.append(f"- {label}: {figure.name}: {figure.value} (goal {figure.goal})")
    print(f"Benchmarks report from {args.file}: the latest run of each benchmark\n")
    print("\n".join(rows))
    print(f"\nGoals met: {met}; missed: {len(missed)}.")
    if missed:
        print("\n".join(["Missed:", *missed]))
    absent = [s.key for s in sections if s.problem]
    if absent:
        print(f"Without figures: {', '.join(absent)}.")


if __name__ == "__main__":
    main()
