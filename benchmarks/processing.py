"""Per-article processing cost: extract → language → match → bulk index, against trafilatura alone, and scaling.

Corpus: the replay site's HTML article pages (``newsmon/devstack/replay/manifests``; each page as the crawler archives
it, with its source, so the site extractor runs; the two OpSour PDFs are left out because trafilatura cannot
read a PDF) plus the 181 pages of the public article-extraction benchmark (no source: the generic extractor).

- **Same process, interleaved.** Every page goes through (a) ``trafilatura.extract(html)``, the plain default
  call, "trafilatura alone"; (a') ``trafilatura.extract(html, favor_precision=True, include_comments=False)``,
  the call the generic extractor starts from; and (b) newsmon's :class:`~newsmon.pipeline.ArticleProcessor`
  stage by stage (extraction, language, matching), each article then bulk-indexed with
  ``ArticleStore.index_articles`` in batches of ``--batch`` (the size of a news_process mapped task) into a
  throw-away alias of a real Elasticsearch. Which method goes first rotates page by page, so machine noise
  weighs on all alike. Wall time (``perf_counter``) and this process's CPU time (``process_time``) are both
  kept; Elasticsearch's own indexing and refresh time for the alias is read from its index statistics, and
  the index size per article after a merge. How many cores the whole machine kept busy (/proc/stat) is
  reported with it. Headline: **processing / trafilatura alone**, goal ≤ 1.5, in wall and in CPU time.
- **Warm-up** (loading extractors, lingua models, spaCy pipelines, the index templates) is measured first,
  on one page per source and language, and reported apart.
- **Scaling**: the same processing in 1, 2 and 4 worker processes (spawned, each with its own warm-up, all
  starting together at a barrier), the corpus split between them, into one alias: throughput, speed-up over
  one worker, CPU ms per article, cores busy, peak RSS per worker. With more workers than cores the workers
  and Elasticsearch share the cores.

Elasticsearch: NEWSMON_ELASTICSEARCH_URL, else the running node of ``newsmon es start``, else a local node
started for the run and stopped afterwards. The benchmark pages: article-extraction-benchmark/ in
NEWSMON_BENCHMARK_DATA (default ``../shared/benchmarks``). ``--append PATH`` writes (replaces) the section
``processing`` of PATH.

    uv run python benchmarks/processing.py [--rounds 2] [--batch N] [--workers 1 2 4] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import multiprocessing
import os
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import (
    Figure,
    benchmark_data,
    delete_alias,
    elasticsearch_url,
    environment_lines,
    figures_table,
    throwaway_alias,
    write_section,
)

from newsmon.settings import PROJECT_ROOT, load_settings

MANIFESTS = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "manifests"
#: The public data set whose pages join the corpus, in $NEWSMON_BENCHMARK_DATA (default ../shared/benchmarks).
BENCHMARK_PAGES = "article-extraction-benchmark"
#: What ``{{REPLAY_BASE}}`` becomes in replay files (the replay server's default address).
REPLAY_BASE = b"http://127.0.0.1:8765"
#: Benchmark pages are processed as ``https://HOST/<id>``: no configured source owns it (generic extractor).
HOST = "example.org"
_FETCHED_AT = datetime(2026, 11, 1, tzinfo=UTC)
STAGES = ("extraction", "language", "matching", "indexing")
GOAL_RATIO = 1.5


# -- corpus ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusPage:
    page: object  # FetchedPage
    html: str
    kind: str  # "replay" or "benchmark"
    lang: str = ""


def _replay_file(path: str) -> Path | None:
    candidate = PROJECT_ROOT / "newsmon" / "devstack" / "replay" / "site" / path.strip("/")
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() and candidate.suffix == ".html" else None


def load_corpus(limit: int | None = None) -> list[CorpusPage]:
    """The replay site's HTML article pages, then the public benchmark pages (the first ``limit`` of them)."""
    from newsmon.models import FetchedPage

    pages = []
    for manifest in sorted(MANIFESTS.glob("*.yaml")):
        for entry in yaml.safe_load(manifest.read_text(encoding="utf-8"))["articles"]:
            found = _replay_file(entry["path"])
            if found is None:  # a PDF: trafilatura alone has nothing to compare with
                continue
            body = found.read_bytes().replace(b"{{REPLAY_BASE}}", REPLAY_BASE)
            page = FetchedPage(source=manifest.stem, url=entry["canonical_url"], status=200,
                               canonical_url=entry["canonical_url"], content_type="text/html; charset=utf-8",
                               body=body, fetched_at=_FETCHED_AT)
            pages.append(CorpusPage(page, body.decode("utf-8", "replace"), "replay", entry.get("lang", "")))
    data = benchmark_data(BENCHMARK_PAGES, "ground-truth.json", "html")
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth)[:limit]:
        with gzip.open(data / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8",
                       errors="replace") as f:
            html = f.read()
        url = f"https://{HOST}/{page_id}"
        page = FetchedPage(source="", url=url, canonical_url=url, status=200, body=html.encode("utf-8"),
                           content_type="text/html; charset=utf-8", fetched_at=_FETCHED_AT)
        pages.append(CorpusPage(page, html, "benchmark"))
    return pages


# -- one process's pipeline -----------------------------------------------------------------------------
@dataclass
class Clock:
    """Wall and CPU seconds, summed."""

    wall: float = 0.0
    cpu: float = 0.0

    def add(self, wall: float, cpu: float) -> None:
        self.wall += wall
        self.cpu += cpu


def _timed(fn, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


@dataclass
class Pipeline:
    """newsmon's processing as news_process runs it: ArticleProcessor's stages, then bulk index per batch."""

    settings: object
    alias: str
    es_url: str
    batch_size: int = 50
    clocks: dict[str, Clock] = field(default_factory=lambda: {stage: Clock() for stage in STAGES})
    dropped: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    indexed: int = 0
    pages: int = 0

    def __post_init__(self) -> None:
        from elasticsearch import Elasticsearch

        from newsmon.index import ArticleStore
        from newsmon.processing import ArticleProcessor
        from newsmon.sources import load_registry

        registry = load_registry(self.settings)
        if any(source.owns(HOST) for source in registry):
            raise SystemExit(f"{HOST} belongs to a configured source: benchmark pages must use the generic one")
        self.processor = ArticleProcessor(self.settings, registry)
        self.store = ArticleStore(Elasticsearch(self.es_url, request_timeout=120), self.alias)
        self.batch: list = []

    def reset(self) -> None:
        self.clocks = {stage: Clock() for stage in STAGES}
        self.dropped, self.languages = Counter(), Counter()
        self.indexed = self.pages = 0

    def process(self, page) -> None:
        """One page through extraction, language and matching; index the batch when it is full."""
        from newsmon.errors import DropDocument

        self.pages += 1
        stages = [("extraction", self.processor.extraction), *zip(STAGES[1:3], self.processor.stages)]
        item = page
        for name, stage in stages:
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                item = stage.process(item)
            except DropDocument as exc:
                self.dropped[exc.reason] += 1
                return
            finally:
                self.clocks[name].add(time.perf_counter() - wall, time.process_time() - cpu)
        self.languages[item.lang] += 1
        self.batch.append(item)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        report, wall, cpu = _timed(self.store.index_articles, self.batch)
        self.clocks["indexing"].add(wall, cpu)
        self.indexed += len(report.created) + len(report.updated)
        self.batch = []

    @property
    def total(self) -> Clock:
        return Clock(sum(c.wall for c in self.clocks.values()), sum(c.cpu for c in self.clocks.values()))


def store_bytes_per_article(client, alias: str) -> float:
    """Primary store size of the alias's indices (after a flush and a merge to one segment) per article."""
    client.indices.flush(index=alias)
    client.options(request_timeout=600).indices.forcemerge(index=alias, max_num_segments=1)
    stats = client.indices.stats(index=f"{alias}-v*", metric=["store"])["_all"]["primaries"]
    return stats["store"]["size_in_bytes"] / max(1, client.count(index=alias)["count"])


def es_index_millis(client, alias: str) -> Counter:
    """Elasticsearch's own indexing and refresh time (ms, primaries) for the alias's indices."""
    stats = client.indices.stats(index=f"{alias}-v*", metric=["indexing", "refresh"])["_all"]["primaries"]
    return Counter({"index": stats["indexing"]["index_time_in_millis"],
                    "refresh": stats["refresh"]["total_time_in_millis"]})


# -- the interleaved comparison -------------------------------------------------------------------------
def warm_up(pipeline: Pipeline, corpus: list[CorpusPage]) -> dict:
    """The first page of each source and language, then trafilatura once: load everything we do not time."""
    import trafilatura

    seen, chosen = set(), []
    for item in corpus:
        key = (item.page.source, item.lang)
        if key not in seen:
            seen.add(key)
            chosen.append(item)
    wall, cpu = time.perf_counter(), time.process_time()
    pipeline.store.ensure_index()
    for item in chosen:
        pipeline.process(item.page)
    pipeline.flush()
    trafilatura.extract(chosen[-1].html)
    result = {"pages": len(chosen), "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
              "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    pipeline.reset()
    return result


def compare(pipeline: Pipeline, corpus: list[CorpusPage], rounds: int) -> dict[str, Clock]:
    """newsmon and both trafilatura calls on every page, ``rounds`` times, rotating which goes first.

    Returns the clocks of ``default`` (``trafilatura.extract(html)``) and ``precision`` (``favor_precision=True,
    include_comments=False``, the call the generic extractor starts from and the 19 ms reference).
    """
    import trafilatura

    clocks = {"default": Clock(), "precision": Clock()}

    def default(item: CorpusPage) -> None:
        _, wall, cpu = _timed(trafilatura.extract, item.html)
        clocks["default"].add(wall, cpu)

    def precision(item: CorpusPage) -> None:
        _, wall, cpu = _timed(lambda html: trafilatura.extract(html, favor_precision=True, include_comments=False),
                              item.html)
        clocks["precision"].add(wall, cpu)

    def ours(item: CorpusPage) -> None:
        pipeline.process(item.page)

    methods = [default, ours, precision]
    n = 0
    for _ in range(rounds):
        for item in corpus:
            for method in methods[n % 3:] + methods[: n % 3]:
                method(item)
            n += 1
        pipeline.flush()
    return clocks


def busy_cores() -> tuple[float, float]:
    """``(busy, total)`` CPU seconds of the whole machine so far, from /proc/stat (zeros elsewhere)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return (total - idle) / ticks, total / ticks


def cores_busy_since(start: tuple[float, float]) -> float:
    """Average number of cores busy (everyone: us, Elasticsearch, other users) since ``start``."""
    busy, total = busy_cores()
    if total <= start[1]:
        return float("nan")
    return (os.cpu_count() or 1) * (busy - start[0]) / (total - start[1])


# -- scaling --------------------------------------------------------------------------------------------
def _worker(index: int, workers: int, passes: int, limit: int | None, alias: str, es_url: str,
            batch_size: int, barrier, results) -> None:
    """One worker process: load, warm up, wait for the others, then process its share of the corpus."""
    logging.basicConfig(level=logging.ERROR)
    settings = load_settings()
    corpus = load_corpus(limit)
    pipeline = Pipeline(settings, alias, es_url, batch_size)
    warm = warm_up(pipeline, corpus)
    share = [item for _ in range(passes) for item in corpus[index::workers]]
    barrier.wait()
    machine_at_start = busy_cores()
    start, cpu = time.monotonic(), time.process_time()
    for item in share:
        pipeline.process(item.page)
    pipeline.flush()
    results.put({"worker": index, "pages": len(share), "start": start, "end": time.monotonic(),
                 "cpu": time.process_time() - cpu, "warm_wall": warm["wall"], "machine_at_start": machine_at_start,
                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def scale(workers: int, passes: int, limit: int | None, es_url: str, batch_size: int) -> dict:
    """Run ``workers`` spawned worker processes over the corpus (``passes`` times) into one alias."""
    from elasticsearch import Elasticsearch

    from newsmon.index import ArticleStore

    context = multiprocessing.get_context("spawn")  # a fresh process per worker, as Airflow's task runners
    barrier, results = context.Barrier(workers), context.Queue()
    alias = throwaway_alias(f"scaling{workers}")
    client = Elasticsearch(es_url, request_timeout=120)
    ArticleStore(client, alias).ensure_index()  # once, before the workers race to create it
    processes = [context.Process(target=_worker, args=(i, workers, passes, limit, alias, es_url, batch_size,
                                                       barrier, results)) for i in range(workers)]
    try:
        for process in processes:
            process.start()
        reports = [results.get(timeout=1800) for _ in processes]
        # From the barrier (all workers start together) to the last worker's end.
        machine = cores_busy_since(min(r.pop("machine_at_start") for r in reports))
        for process in processes:
            process.join(timeout=60)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        delete_alias(client, alias)
    if any(process.exitcode for process in processes):
        raise SystemExit(f"a worker failed: exit codes {[p.exitcode for p in processes]}")
    seconds = max(r["end"] for r in reports) - min(r["start"] for r in reports)
    pages = sum(r["pages"] for r in reports)
    return {"workers": workers, "pages": pages, "seconds": seconds, "rate": pages / seconds,
            "cpu": sum(r["cpu"] for r in reports), "peak_rss_mb": max(r["peak_rss_mb"] for r in reports),
            "mean_rss_mb": sum(r["peak_rss_mb"] for r in reports) / workers,
            "warm_wall": max(r["warm_wall"] for r in reports), "busy_cores": machine}


# -- report ---------------------------------------------------------------------------------------------
def render(corpus: list[CorpusPage], rounds: int, pipeline: Pipeline, plain: dict[str, Clock], warm: dict,
           es_ms: Counter, busy: float, doc_bytes: float, scaling: list[dict], batch: int) -> tuple[str, list[Figure]]:
    pages = pipeline.pages
    ours, default, precise = pipeline.total, plain["default"], plain["precision"]
    ratio_wall, ratio_cpu = ours.wall / default.wall, ours.cpu / default.cpu
    es_s = sum(es_ms.values()) / 1000
    replay = sum(1 for c in corpus if c.kind == "replay")
    cores = os.cpu_count() or 1
    figures = [
        Figure("processing / trafilatura alone (wall time, same run)", f"{ratio_wall:.2f}", f"≤ {GOAL_RATIO}",
               ratio_wall <= GOAL_RATIO),
        Figure("processing / trafilatura alone (CPU time, same run)", f"{ratio_cpu:.2f}", f"≤ {GOAL_RATIO}",
               ratio_cpu <= GOAL_RATIO),
        Figure("processing / trafilatura favor_precision (CPU time, same run)", f"{ours.cpu / precise.cpu:.2f}"),
        Figure("processing, articles/s per core (CPU time: a core of its own)", f"{pages / ours.cpu:.1f}"),
        Figure("processing + Elasticsearch's indexing, articles/s per core (CPU time)",
               f"{pages / (ours.cpu + es_s):.1f}"),
        Figure("processing, articles/s on one core (wall, this shared machine)", f"{pages / ours.wall:.1f}"),
        Figure("trafilatura alone, articles/s per core (CPU time)", f"{pages / default.cpu:.1f}"),
        Figure("warm-up of a processing worker (s, wall)", f"{warm['wall']:.1f}"),
        Figure("warm-up of a processing worker (s, CPU)", f"{warm['cpu']:.1f}"),
        Figure("index size on disk per article (KB, primary, merged)", f"{doc_bytes / 1024:.1f}"),
    ]
    if scaling:
        one = scaling[0]
        for run in scaling[1:]:
            figures.append(Figure(f"processing speed-up, {run['workers']} workers on {cores} cores (wall)",
                                  f"{run['rate'] / one['rate']:.2f}"))
        figures.append(Figure("peak memory per processing worker (MB)",
                              f"{max(run['peak_rss_mb'] for run in scaling):.0f}"))
    lines = [
        (f"Corpus: {len(corpus)} HTML pages ({replay} replay-site articles through their site extractors, "
         f"{len(corpus) - replay} article-extraction-benchmark pages through the generic extractor), "
         f"{rounds} round(s): {pages} pages per method. All methods in this process, rotating which goes first "
         f"page by page; newsmon indexes in bulk batches of {batch} into a throw-away alias (as "
         "`process_batch`: one `index_articles` call, with its refresh, per batch). "
         f"Dropped by newsmon: {dict(pipeline.dropped) or 'none'}; indexed {pipeline.indexed}; languages "
         f"{dict(pipeline.languages)}. Cores busy on average during the run (everyone: this process, "
         f"Elasticsearch, other users): {busy:.1f} of {cores}."), "",
        figures_table(figures), "",
        "| stage | ms/page wall | ms/page CPU | share of CPU |", "|---|---|---|---|",
    ]
    for stage, clock in pipeline.clocks.items():
        lines.append(f"| {stage} | {1000 * clock.wall / pages:.1f} | {1000 * clock.cpu / pages:.1f} "
                     f"| {100 * clock.cpu / ours.cpu:.0f} % |")
    lines += [
        f"| **newsmon, all stages** | **{1000 * ours.wall / pages:.1f}** | **{1000 * ours.cpu / pages:.1f}** | 100 % |",
        f"| trafilatura.extract(html) alone | {1000 * default.wall / pages:.1f} | {1000 * default.cpu / pages:.1f} | – |",
        (f"| trafilatura.extract(html, favor_precision=True, include_comments=False) | "
         f"{1000 * precise.wall / pages:.1f} | {1000 * precise.cpu / pages:.1f} | – |"), "",
        (f"Elasticsearch's own time for these documents (its index statistics; spent on the server's cores, "
         f"not in the CPU column): indexing {es_ms['index'] / pages:.1f} ms/page, refresh "
         f"{es_ms['refresh'] / pages:.1f} ms/page; counting it, processing / trafilatura alone in CPU time is "
         f"{(ours.cpu + es_s) / default.cpu:.2f}."),
        (f"Warm-up, measured apart: {warm['pages']} pages (one per source and language) the first time "
         f"took {warm['wall']:.1f} s wall, {warm['cpu']:.1f} s CPU (extractors, lingua models, spaCy "
         f"pipelines, index templates); process RSS after warm-up {warm['rss_mb']:.0f} MB."),
    ]
    if scaling:
        lines += ["", ("**Scaling**: spawned worker processes, each warmed up first, started together at a "
                       "barrier, the corpus split between them, all indexing into one alias. CPU ms/article "
                       "is the workers' own CPU time (Elasticsearch's is not in it)."), "",
                  ("| workers | pages | seconds | articles/s | speed-up | CPU ms/article | cores busy, all "
                   "processes (of which these workers) | peak RSS per worker MB (max / mean) |"),
                  "|---|---|---|---|---|---|---|---|"]
        for run in scaling:
            lines.append(f"| {run['workers']} | {run['pages']} | {run['seconds']:.1f} | {run['rate']:.1f} "
                         f"| {run['rate'] / scaling[0]['rate']:.2f} | {1000 * run['cpu'] / run['pages']:.1f} "
                         f"| {run['busy_cores']:.1f} ({run['cpu'] / run['seconds']:.1f}) "
                         f"| {run['peak_rss_mb']:.0f} / {run['mean_rss_mb']:.0f} |")
        lines += ["", (f"This machine has {cores} cores, shared with Elasticsearch and other users: the speed-up "
                       "is bounded by the cores left free (the busy column), so read it with that column; "
                       f"CPU ms/article says whether a worker gets slower when others run. More than {cores} "
                       "workers is oversubscription, shown to check that throughput levels off rather than "
                       "collapses.")]
    return "\n".join(lines), figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the corpus in the comparison")
    parser.add_argument("--batch", type=int, default=None,
                        help="articles per bulk index call (default: NEWSMON_PROCESS_BATCH_SIZE, as news_process)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N benchmark pages")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2, 4],
                        help="worker counts for the scaling runs (none: skip scaling)")
    parser.add_argument("--passes", type=int, default=1, help="passes over the corpus in each scaling run")
    parser.add_argument("--append", type=Path,
                        help="write (replace) the section 'processing' of this markdown file")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    settings = load_settings()
    args.batch = args.batch or settings.process_batch_size
    corpus = load_corpus(args.limit)
    print(f"processing: {len(corpus)} pages × {args.rounds} rounds ...", file=sys.stderr)
    with elasticsearch_url(settings) as url:
        alias = throwaway_alias("processing")
        pipeline = Pipeline(settings, alias, url, args.batch)
        client = pipeline.store.client
        es_version = client.info()["version"]["number"]
        try:
            warm = warm_up(pipeline, corpus)
            es_before, machine = es_index_millis(client, alias), busy_cores()
            plain = compare(pipeline, corpus, args.rounds)
            busy = cores_busy_since(machine)
            es_ms = es_index_millis(client, alias)
            es_ms.subtract(es_before)
            doc_bytes = store_bytes_per_article(client, alias)
        finally:
            delete_alias(client, alias)
        scaling = []
        for workers in args.workers:
            print(f"scaling: {workers} worker(s) ...", file=sys.stderr)
            scaling.append(scale(workers, args.passes, args.limit, url, args.batch))
    body, _ = render(corpus, args.rounds, pipeline, plain, warm, es_ms, busy, doc_bytes, scaling, args.batch)
    print(body)
    if args.append:
        write_section(args.append, "processing", "Processing per article and scaling",
                      "\n".join(environment_lines("processing.py", argv, es_version)) + "\n\n" + body)


if __name__ == "__main__":
    main()
