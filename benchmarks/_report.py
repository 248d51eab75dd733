"""What every benchmark script shares: the machine and versions header, the figures table, the section
each script writes into BENCHMARKS.md, the public benchmark data, and an Elasticsearch for the run.

Each script owns one section of BENCHMARKS.md, delimited by ``<!-- benchmark: KEY -->`` and
``<!-- /benchmark: KEY -->``: :func:`write_section` replaces it with the latest run (older runs are in git
history). A section starts with a ``| figure | value | goal | met |`` table; ``benchmarks/report.py`` gathers
those tables into one report.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["DATA_VARIABLE", "FIGURES_HEADER", "KEYS", "Figure", "benchmark_data", "delete_alias",
           "elasticsearch_url", "environment_lines", "figures_table", "machine", "read_sections",
           "require_data", "throwaway_alias", "versions", "write_section"]

#: The repository (benchmarks/..).
REPO = Path(__file__).resolve().parents[1]

#: The header of the table :func:`figures_table` writes and ``report.py`` reads.
FIGURES_HEADER = "| figure | value | goal | met |"
#: The section keys of BENCHMARKS.md, in the file's order (``make bench`` writes them all).
KEYS = ("extraction", "language", "matching-dev", "matching-held-out", "matching-blind", "crawl", "index",
        "alerts", "events", "processing", "airflow-overhead", "alert-latency", "sources-per-cycle",
        "sources-per-cycle-celery", "celery-pipeline")
#: The top of a BENCHMARKS.md that :func:`write_section` creates.
FILE_HEADER = """# Benchmarks

The current figures of newsmon's benchmarks. `make bench` produces them: it runs every script in `benchmarks/`
(about 30 min on 2 cores) and then `benchmarks/report.py`, which gathers the figures tables below into one
table. Each section is the **latest run of one benchmark**: its script replaces the section between its
`<!-- benchmark: KEY -->` markers (`--append BENCHMARKS.md`), so older runs are only in the git history of
this file. Every section starts with a `| figure | value | goal | met |` table (goal `–`: none stated), then the
details of that run.

Machines: 2 cores, 24 GiB, shared and noisy: compare ratios measured in the same run rather than absolute
times. Public benchmark data (extraction, language, processing): `$NEWSMON_BENCHMARK_DATA`, default
`../shared/benchmarks`.
"""
#: Where the public benchmark data lives (default: ``<repo>/../shared/benchmarks``).
DATA_VARIABLE = "NEWSMON_BENCHMARK_DATA"
#: Public data set (folder name) → where to fetch it.
DATA_SOURCES = {
    "article-extraction-benchmark": "https://github.com/scrapinghub/article-extraction-benchmark",
    "fundus-pages": ("the Fundus parser test data in https://github.com/flairNLP/fundus "
                     "(tests/resources/parser/test_data)"),
    "lingua-testdata": "https://github.com/pemistahl/lingua-py (language-testdata)",
}
#: Packages named in every section (distribution name → label).
PACKAGES = {"newsmon": "newsmon", "trafilatura": "trafilatura", "spacy": "spaCy",
            "lingua-language-detector": "lingua", "elasticsearch": "elasticsearch-py",
            "apache-airflow": "Airflow"}


@dataclass(frozen=True)
class Figure:
    """One headline figure: what it is, its value (formatted), its goal (text) and whether it is met."""

    name: str
    value: str
    goal: str = "–"
    met: bool | None = None

    @property
    def verdict(self) -> str:
        return {True: "yes", False: "**no**", None: "–"}[self.met]


def memory_gib() -> float | None:
    """Total memory of the machine, from /proc/meminfo (None elsewhere)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def machine() -> dict[str, str]:
    """Cores, memory, load and Python of this machine."""
    memory = memory_gib()
    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return {"cores": str(os.cpu_count()), "memory": f"{memory:.1f} GiB" if memory else "unknown",
            "load": load, "python": platform.python_version(), "platform": platform.platform(terse=True)}


def versions(es_server: str | None = None) -> dict[str, str]:
    """Versions of the packages that matter to the figures (and of the Elasticsearch server, when given)."""
    found = {}
    for distribution, label in PACKAGES.items():
        try:
            found[label] = version(distribution)
        except PackageNotFoundError:
            found[label] = "not installed"
    if es_server:
        found["Elasticsearch server"] = es_server
    return found


def environment_lines(script: str, argv: list[str] | None = None, es_server: str | None = None) -> list[str]:
    """The bullet lines at the top of a section: date and machine, versions, the command that ran."""
    m = machine()
    args = " ".join(sys.argv[1:] if argv is None else argv)
    return [(f"- date: {date.today().isoformat()}; cores: {m['cores']}; memory: {m['memory']}; "
            f"load average at the end (1/5/15 min): {m['load']}; Python {m['python']}"),
            "- versions: " + ", ".join(f"{k} {v}" for k, v in versions(es_server).items()),
            f"- command: `uv run python benchmarks/{script}{' ' + args if args else ''}`"]


def figures_table(figures: list[Figure]) -> str:
    """The markdown table of headline figures that ``report.py`` collects."""
    rows = [FIGURES_HEADER, "|---|---|---|---|"]
    rows += [f"| {f.name} | {f.value} | {f.goal} | {f.verdict} |" for f in figures]
    return "\n".join(rows)


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- benchmark: {key} -->", f"<!-- /benchmark: {key} -->"


#: One section: its opening marker, its text, its closing marker (and the line end after it).
_SECTION = re.compile(r"^<!-- benchmark: (?P<key>[\w.-]+) -->\n(?P<body>.*?)"
                      r"^<!-- /benchmark: (?P=key) -->[ \t]*\n?", re.MULTILINE | re.DOTALL)


def read_sections(text: str) -> dict[str, str]:
    """``{key: section text between its markers}``, in the file's order (the first, if a key repeats)."""
    found: dict[str, str] = {}
    for match in _SECTION.finditer(text):
        found.setdefault(match.group("key"), match.group("body"))
    return found


def write_section(path: str | Path, key: str, title: str, body: str) -> None:
    """Write ``## <title> (<date>, <cores> cores, shared and noisy machine)`` and ``body`` as the section ``key``
    of the markdown file ``path``: in place of the existing section with that key, else at the end."""
    if not re.fullmatch(r"[\w.-]+", key):
        raise ValueError(f"section key {key!r}: letters, digits, '.', '-' and '_' only")
    path = Path(path)
    start, end = _markers(key)
    heading = f"## {title} ({date.today().isoformat()}, {os.cpu_count()} cores, shared and noisy machine)"
    section = f"{start}\n{heading}\n\n{body.strip()}\n{end}\n"
    text = path.read_text(encoding="utf-8") if path.exists() else FILE_HEADER
    spans = [m.span() for m in _SECTION.finditer(text) if m.group("key") == key]
    if spans:  # replace the first, drop any repeats
        for begin, stop in reversed(spans[1:]):
            text = text[:begin] + text[stop:].lstrip("\n")
        begin, stop = spans[0]
        text = text[:begin] + section + text[stop:]
        action = "replaced"
    else:
        text = text.rstrip("\n") + "\n\n" + section
        action = "appended"
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    temporary.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    os.replace(temporary, path)
    print(f"{action} section {key!r} in {path}", file=sys.stderr)


# -- public benchmark data ------------------------------------------------------------------------------
def benchmark_data_root() -> Path:
    """The folder holding the public data sets: $NEWSMON_BENCHMARK_DATA, else ``<repo>/../shared/benchmarks``."""
    value = os.environ.get(DATA_VARIABLE)
    return Path(value).expanduser() if value else (REPO.parent / "shared" / "benchmarks")


def require_data(needs: dict[str, tuple[str, ...]],
                 given: dict[str, tuple[Path, str]] | None = None) -> dict[str, Path]:
    """The folder of each public data set in ``needs`` (name → entries it must hold, e.g. ``ground-truth.json``):
    the folder ``given`` for it (name → (folder, the option that gave it)), else ``<data root>/<name>``.

    When any folder or entry is missing: one line on stderr naming every missing folder, where it was looked
    for (the option, or $NEWSMON_BENCHMARK_DATA, or its default) and where to fetch the data set; exit status 2.
    """
    given = given or {}
    root = benchmark_data_root()
    folders, problems, from_root = {}, [], False
    for name, required in needs.items():
        folder, option = given.get(name, (root / name, None))
        folders[name] = folder
        if not folder.is_dir():
            what = f"{folder} is not a folder"
        elif missing := [entry for entry in required if not (folder / entry).exists()]:
            what = f"{folder} has no {', '.join(missing)}"
        else:
            continue
        from_root = from_root or option is None
        problems.append(f"{what}{f' (given by {option})' if option else ''}: fetch {name}/ from "
                        f"{DATA_SOURCES.get(name, 'its public repository')}")
    if problems:
        if not from_root:
            looked = ""
        elif DATA_VARIABLE in os.environ:
            looked = f". Looked in {DATA_VARIABLE}={os.environ[DATA_VARIABLE]}"
        else:
            looked = f". Looked in {REPO.parent / 'shared' / 'benchmarks'}, the default of {DATA_VARIABLE} (not set)"
        print(f"{Path(sys.argv[0]).name}: benchmark data missing: {'; '.join(problems)}{looked}. Set "
              f"{DATA_VARIABLE} to the folder holding the data sets.", file=sys.stderr)
        raise SystemExit(2)
    return folders


def benchmark_data(name: str, *required: str) -> Path:
    """The folder of the public data set ``name`` (e.g. ``article-extraction-benchmark``) under
    :func:`benchmark_data_root`, holding ``required``; else one line on stderr and exit status 2
    (:func:`require_data`)."""
    return require_data({name: required})[name]


def throwaway_alias(prefix: str) -> str:
    """A unique alias (``bench-<prefix>-<random>``) that no one else's index or test uses."""
    return f"bench-{prefix}-{uuid.uuid4().hex[:10]}"


def delete_alias(client, alias: str) -> None:
    """Delete the indices ``<alias>-*`` (articles, alert rules, ledger) and the alias's index templates."""
    for name in client.indices.get(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True):
        client.indices.delete(index=name, ignore_unavailable=True)
    with contextlib.suppress(Exception):
        client.indices.delete_index_template(name=alias)
    for part in ("settings", "mappings"):
        with contextlib.suppress(Exception):
            client.cluster.delete_component_template(name=f"{alias}-{part}")


@contextlib.contextmanager
def elasticsearch_url(settings) -> Iterator[str]:
    """NEWSMON_ELASTICSEARCH_URL if set, else the running local node of ``newsmon es start`` (left running),
    else a local node started for this run and stopped afterwards."""
    if settings.elasticsearch_url:
        yield settings.elasticsearch_url
        return
    from newsmon.devstack.elasticsearch_local import LocalElasticsearch, provision, read_record

    if record := read_record(settings.state_dir):
        yield record["url"]
        return

    home = provision(settings.es_cache_dir)
    # Under the cache dir, as the tests do: when we are root the node runs as uid 65534, which must reach it.
    data_dir = Path(settings.es_cache_dir) / f"bench-data-{uuid.uuid4().hex[:8]}"
    node = LocalElasticsearch(home, data_dir)
    started = time.monotonic()
    url = node.start()
    print(f"started a local Elasticsearch at {url} in {time.monotonic() - started:.0f}s "
          "(set NEWSMON_ELASTICSEARCH_URL to use a running one)", file=sys.stderr)
    try:
        yield url
    finally:
        node.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
