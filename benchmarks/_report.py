"""What every benchmark script shares: the machine and versions header, the figures table, the section
appended to BENCHMARKS.md, and an Elasticsearch for the run.

A section written with :func:`append_section` carries a ``| figure | value | goal | met |`` table;
``benchmarks/report.py`` gathers those tables (and the headline figures of older sections) into one report.
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["FIGURES_HEADER", "Figure", "append_section", "delete_alias", "elasticsearch_url",
           "environment_lines", "figures_table", "machine", "throwaway_alias", "versions"]

#: The header of the table :func:`figures_table` writes and ``report.py`` reads.
FIGURES_HEADER = "| figure | value | goal | met |"
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


def append_section(path: str | Path, title: str, body: str) -> None:
    """Append ``## <title> (<date>, <cores> cores)`` and ``body`` to the markdown file ``path``."""
    heading = f"## {title} ({date.today().isoformat()}, {os.cpu_count()} cores, shared and noisy machine)"
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"\n{heading}\n\n{body.rstrip()}\n")
    print(f"appended to {path}", file=sys.stderr)


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
