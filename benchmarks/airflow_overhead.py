"""Airflow's cost: DAG file parse time, and the scheduling overhead of one run of the three DAGs.

- **Parse time** (goal: all DAG files together under 1 s). In a fresh Python process with a private
  AIRFLOW_HOME: ``import airflow`` and the ``DagBag`` import (the cold import, paid once per process), then
  ``DagBag(dag_folder=dags/)`` (examples off) the first time (cold parse: the DAG files and what
  they import, ``airflow.sdk`` and ``newsmon.assets``, for the first time) and again ``--parses`` times (warm:
  what a long-lived DAG processor pays). Each DAG file is also parsed alone in its own fresh process, as a
  task process does before running a task of it.
- **Scheduling overhead**: news_crawl → news_process → news_alerts run with ``dag.test()`` (as ``newsmon
  demo`` and the tests do) against the replay site, a real Elasticsearch and an SMTP sink, each round on a
  fresh data dir and index alias; alternating with it, the same library calls the tasks make
  (``source_names``, ``crawl`` per source, ``pending_batches``, ``process_batch`` per batch, ``alert``) run
  directly, in the same process, on another fresh data dir and alias. Overhead = (DAG wall − direct wall) /
  direct wall. Both are measured after a warm-up run (imports, models), so neither pays loading. The DAG
  wall time excludes ``DagBag`` parsing by our runner but includes what ``dag.test()`` does per call (it
  re-serializes the DAG folder into the metadata database, then runs tasks one at a time in this process).
  Task-instance durations from Airflow's own records are shown too.

``dag.test()`` runs every task in this process: a real executor also starts a task process per task
instance (Python, ``airflow.sdk``, parse of one DAG file: the per-file figure below) and adds the scheduler
loop's latency. Those per-task costs are what docs/scaling.md uses to size mapped-task batches.

Elasticsearch: NEWSMON_ELASTICSEARCH_URL, else the running node of ``newsmon es start``, else a local node
started for the run and stopped afterwards. ``--append PATH`` writes (replaces) the section ``airflow-overhead``
of PATH.

    uv run python benchmarks/airflow_overhead.py [--parses 5] [--runs 2] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import (
    Figure,
    delete_alias,
    elasticsearch_url,
    environment_lines,
    figures_table,
    throwaway_alias,
    write_section,
)

from newsmon.devstack.airflow_runner import DAG_IDS, DAGS_FOLDER, airflow_environment
from newsmon.settings import PROJECT_ROOT

GOAL_PARSE_SECONDS = 1.0
#: Every alias a run created, deleted at the end whatever happens.
CREATED_ALIASES: list[str] = []

#: Run in a fresh interpreter: cold import, cold parse, warm parses. Prints one JSON line.
_PARSE_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import airflow
t1 = time.perf_counter()
from airflow.dag_processing.dagbag import DagBag
t2 = time.perf_counter()
target, repeats = sys.argv[1], int(sys.argv[2])
bag = DagBag(dag_folder=target)
t3 = time.perf_counter()
warm = []
for _ in range(repeats):
    started = time.perf_counter()
    DagBag(dag_folder=target)
    warm.append(time.perf_counter() - started)
print(json.dumps({
    "import_airflow": t1 - t0, "import_dagbag": t2 - t1, "cold_parse": t3 - t2, "warm_parses": warm,
    "errors": {str(k): str(v)[:300] for k, v in bag.import_errors.items()},
    "dags": sorted(bag.dag_ids),
    "files": [{"file": s.file, "seconds": s.duration.total_seconds(), "dags": s.dag_num, "tasks": s.task_num}
              for s in bag.dagbag_stats],
}))
"""


def _parse_in_fresh_process(target: Path, repeats: int, env: dict) -> dict:
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", _PARSE_CHILD, str(target), str(repeats)], env=env,
                          capture_output=True, text=True, check=False, cwd=PROJECT_ROOT)
    if done.returncode != 0:
        raise SystemExit(f"parsing {target} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["process"] = time.perf_counter() - started
    result["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["peak_rss_mb"] = after.ru_maxrss / 1024  # the largest child so far (Linux: kilobytes)
    return result


def parse_times(repeats: int, airflow_home: Path) -> dict:
    """The whole folder in one fresh process (cold, then warm), then each DAG file in its own."""
    env = {**os.environ, **airflow_environment(airflow_home)}
    folder = _parse_in_fresh_process(DAGS_FOLDER, repeats, env)
    if folder["errors"]:
        raise SystemExit(f"DAG import errors: {folder['errors']}")
    per_file = {}
    for path in sorted(DAGS_FOLDER.glob("*.py")):
        if path.name.startswith("_"):
            continue
        alone = _parse_in_fresh_process(path, 0, env)
        per_file[path.name] = {"cold_parse": alone["cold_parse"], "process": alone["process"],
                               "process_cpu": alone["process_cpu"], "peak_rss_mb": alone["peak_rss_mb"],
                               "import": alone["import_airflow"] + alone["import_dagbag"]}
    return {"folder": folder, "per_file": per_file}


# -- one run of the three DAGs, through Airflow and directly -------------------------------------------
def _fresh_state(work: Path, name: str) -> str:
    """Point NEWSMON_DATA_DIR and NEWSMON_INDEX_ALIAS (read by every task) at a fresh data dir and alias."""
    alias = throwaway_alias(f"airflow-{name}")
    CREATED_ALIASES.append(alias)
    os.environ["NEWSMON_DATA_DIR"] = str(work / name)
    os.environ["NEWSMON_INDEX_ALIAS"] = alias
    return alias


def run_direct() -> dict[str, float]:
    """The library calls of the three DAGs' tasks, one after the other as dag.test() runs them."""
    from newsmon import pipeline
    from newsmon.settings import load_settings

    seconds = {}
    started = time.perf_counter()
    settings = load_settings()
    queued = sum(pipeline.crawl(name, settings)["queued"] for name in pipeline.source_names(settings))
    seconds["news_crawl"] = time.perf_counter() - started
    started = time.perf_counter()
    reports = [pipeline.process_batch(batch, load_settings()) for batch in pipeline.pending_batches(load_settings())]
    seconds["news_process"] = time.perf_counter() - started
    started = time.perf_counter()
    mails = len(pipeline.alert(load_settings())["mails"])
    seconds["news_alerts"] = time.perf_counter() - started
    seconds["queued"], seconds["indexed"] = queued, sum(r["created"] + r["updated"] for r in reports)
    seconds["mails"] = mails
    return seconds


def run_dags(dags: dict) -> dict[str, dict]:
    """Each DAG once with dag.test(); wall time, state, and Airflow's task-instance durations."""
    from airflow.models.taskinstance import TaskInstance
    from airflow.utils.session import create_session
    from sqlalchemy import select

    results = {}
    for dag_id in DAG_IDS:
        started = time.perf_counter()
        run = dags[dag_id].test()
        wall = time.perf_counter() - started
        run_id, state = run.run_id, str(run.state)
        with create_session() as session:
            tis = session.scalars(select(TaskInstance).where(TaskInstance.dag_id == dag_id,
                                                             TaskInstance.run_id == run_id)).all()
            durations = [(ti.end_date - ti.start_date).total_seconds() for ti in tis
                         if ti.start_date and ti.end_date]
        results[dag_id] = {"wall": wall, "state": state, "tasks": len(tis), "task_seconds": sum(durations)}
        if not state.endswith("success"):
            raise SystemExit(f"{dag_id} ended {state}: see the log above")
    return results


def scheduling(runs: int, work: Path) -> dict:
    """Warm up, then ``runs`` rounds of (DAG runs, direct calls), alternating which goes first."""
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    bag = DagBag(dag_folder=str(DAGS_FOLDER))
    parse = time.perf_counter() - started
    if bag.import_errors:
        raise SystemExit(f"DAG import errors: {bag.import_errors}")
    dags = {dag_id: bag.dags[dag_id] for dag_id in DAG_IDS}
    _fresh_state(work, "warm-up-direct")
    started = time.perf_counter()
    warm = run_direct()
    warm_seconds = time.perf_counter() - started
    _fresh_state(work, "warm-up-dags")
    first_dags = run_dags(dags)  # the first dag.test() of a process sets up Airflow's in-process API
    rounds = []
    for n in range(runs):
        order = ("dags", "direct") if n % 2 == 0 else ("direct", "dags")
        result = {}
        for kind in order:
            _fresh_state(work, f"{kind}-{n}")
            result[kind] = run_dags(dags) if kind == "dags" else run_direct()
        rounds.append(result)
    return {"parse": parse, "warm_up": warm_seconds, "warm": warm, "first_dags": first_dags, "rounds": rounds}


# -- report ---------------------------------------------------------------------------------------------
def render(parsed: dict, sched: dict, migrate_seconds: float, runs: int) -> tuple[str, list[Figure]]:
    folder = parsed["folder"]
    warm_parse = statistics.median(folder["warm_parses"]) if folder["warm_parses"] else float("nan")
    rounds = sched["rounds"]

    def median_of(kind: str, dag_id: str, key: str | None = None) -> float:
        values = [r[kind][dag_id][key] if key else r[kind][dag_id] for r in rounds]
        return statistics.median(values)

    dag_wall = {d: median_of("dags", d, "wall") for d in DAG_IDS}
    task_s = {d: median_of("dags", d, "task_seconds") for d in DAG_IDS}
    direct = {d: median_of("direct", d) for d in DAG_IDS}
    total_dag, total_direct, total_tasks = sum(dag_wall.values()), sum(direct.values()), sum(task_s.values())
    overhead = (total_dag - total_direct) / total_direct
    tasks = sum(rounds[0]["dags"][d]["tasks"] for d in DAG_IDS)
    per_task = (total_dag - total_direct) / tasks
    cold_imports = folder["import_airflow"] + folder["import_dagbag"]
    first_total = sum(r["wall"] for r in sched["first_dags"].values())
    first_extra = first_total - total_dag
    figures = [
        Figure("DAG parse, all files together, cold (s)", f"{folder['cold_parse']:.2f}",
               f"< {GOAL_PARSE_SECONDS:g}", folder["cold_parse"] < GOAL_PARSE_SECONDS),
        Figure("DAG parse, all files together, warm (s, median)", f"{warm_parse:.3f}",
               f"< {GOAL_PARSE_SECONDS:g}", warm_parse < GOAL_PARSE_SECONDS),
        Figure("cold import of airflow + DagBag (s)", f"{cold_imports:.2f}"),
        Figure("fresh process importing Airflow and parsing one DAG file (CPU s, median)",
               f"{statistics.median(a['process_cpu'] for a in parsed['per_file'].values()):.1f}"),
        Figure("scheduling overhead of one run of the three DAGs (dag.test)", f"{100 * overhead:.0f} %"),
        Figure("scheduling overhead per task instance (s, dag.test)", f"{per_task:.2f}"),
    ]
    lines = [
        "**DAG parse time**, in a fresh process with a private AIRFLOW_HOME (DagBag, examples off):",
        "",
        figures_table(figures),
        "",
        f"Cold import: `import airflow` {folder['import_airflow']:.2f} s, the DagBag import "
        f"{folder['import_dagbag']:.2f} s (once per process, not part of the parse). Whole fresh process: "
        f"{folder['process']:.1f} s. Warm parses: "
        + ", ".join(f"{s:.3f}" for s in folder["warm_parses"]) + " s.",
        "",
        ("| DAG file | DAGs | tasks | seconds in the folder's cold parse | alone, cold parse in a fresh process "
         "| fresh process in all (Python, imports, parse): wall s / CPU s |"), "|---|---|---|---|---|---|",
    ]
    stats = {Path(f["file"]).name: f for f in folder["files"]}
    for name, alone in parsed["per_file"].items():
        s = stats.get(name, {"dags": 0, "tasks": 0, "seconds": float("nan")})
        lines.append(f"| {name} | {s['dags']} | {s['tasks']} | {s['seconds']:.3f} | {alone['cold_parse']:.3f} "
                     f"| {alone['process']:.1f} / {alone['process_cpu']:.1f} |")
    rss = max(alone["peak_rss_mb"] for alone in parsed["per_file"].values())
    cpu = statistics.median(alone["process_cpu"] for alone in parsed["per_file"].values())
    lines += ["", (f"A fresh process that imports Airflow and parses one DAG file: median {cpu:.1f} s CPU, peak RSS "
                  f"{rss:.0f} MB (before any task work).")]
    lines += [
        "",
        (f"**Scheduling overhead** of one run of {' → '.join(DAG_IDS)} with `dag.test()` (SQLite metadata "
        f"database, migrated in {migrate_seconds:.0f} s; tasks run in this process one at a time) against the "
        "same library calls made directly; replay site, Elasticsearch and SMTP sink real; a fresh data dir and "
        f"index alias per run; medians of {runs} round(s) after a warm-up run of each ({sched['warm_up']:.1f} s "
        f"direct: imports, models; {first_total:.1f} s through dag.test(), of which {first_extra:.1f} s more than "
        f"a warm run: Airflow's one-off set-up in a process). Each run queued {sched['warm']['queued']} pages, indexed "
        f"{sched['warm']['indexed']} articles and sent {sched['warm']['mails']} mails."),
        "",
        ("| DAG | task instances | DAG run wall s | Σ task-instance durations s | direct library calls s "
        "| overhead vs direct |"), "|---|---|---|---|---|---|",
    ]
    for d in DAG_IDS:
        lines.append(f"| {d} | {rounds[0]['dags'][d]['tasks']} | {dag_wall[d]:.2f} | {task_s[d]:.2f} "
                     f"| {direct[d]:.2f} | {dag_wall[d] - direct[d]:+.2f} s ({100 * (dag_wall[d] / direct[d] - 1):.0f} %) |")
    lines += [
        (f"| **all three** | {tasks} | **{total_dag:.2f}** | {total_tasks:.2f} | **{total_direct:.2f}** "
        f"| **{total_dag - total_direct:+.2f} s ({100 * overhead:.0f} %)** |"),
        "",
        (f"Per task instance, dag.test() adds {per_task:.2f} s. It re-serializes the DAG folder into the "
        f"database on every call (a DagBag parse of the folder took {sched['parse']:.2f} s here), which a "
        "scheduler does once in its DAG processor instead; a real executor instead pays per task instance a "
        "fresh task process (the last column of the parse table) and the scheduler loop's latency."),
    ]
    return "\n".join(lines), figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parses", type=int, default=5, help="warm parses of the DAG folder")
    parser.add_argument("--runs", type=int, default=2, help="rounds of (DAG runs, direct calls)")
    parser.add_argument("--append", type=Path,
                        help="write (replace) the section 'airflow-overhead' of this markdown file")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsmon-bench-airflow-"))
    airflow_home = work / "airflow"
    # Airflow reads its configuration when first imported: set it before anything imports airflow.
    os.environ.update(airflow_environment(airflow_home))
    os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "ERROR"
    logging.basicConfig(level=logging.ERROR)
    try:
        print("parse times ...", file=sys.stderr)
        parsed = parse_times(args.parses, airflow_home)
        from newsmon.devstack.airflow_runner import migrate_database
        from newsmon.devstack.replay import ReplayServer, replay_settings
        from newsmon.devstack.smtp_sink import SmtpSink
        from newsmon.settings import load_settings

        started = time.perf_counter()
        migrate_database(airflow_home)
        migrate_seconds = time.perf_counter() - started
        with (elasticsearch_url(load_settings()) as url, ReplayServer("127.0.0.1", 0) as replay,
              SmtpSink(work / "mailbox") as sink):
            os.environ.update({**replay_settings(replay.base_url), "NEWSMON_ELASTICSEARCH_URL": url,
                               "NEWSMON_SMTP_HOST": sink.host, "NEWSMON_SMTP_PORT": str(sink.port)})
            from elasticsearch import Elasticsearch

            client = Elasticsearch(url, request_timeout=120)
            es_version = client.info()["version"]["number"]
            print("scheduling overhead ...", file=sys.stderr)
            try:
                sched = scheduling(args.runs, work)
            finally:
                for alias in CREATED_ALIASES:
                    delete_alias(client, alias)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    body, _ = render(parsed, sched, migrate_seconds, args.runs)
    print(body)
    if args.append:
        write_section(args.append, "airflow-overhead", "Airflow overhead",
                      "\n".join(environment_lines("airflow_overhead.py", argv, es_version)) + "\n\n" + body)


if __name__ == "__main__":
    main()
