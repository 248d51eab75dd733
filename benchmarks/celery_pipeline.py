"""Per-task overheads under the CeleryExecutor, from the distributed pipeline test.

``tests/distributed/test_pipeline_distributed.py`` runs news_crawl → news_process → news_alerts on the replay site
under a real CeleryExecutor cluster (Redis, PostgreSQL, two workers sharing no disk but the archive), then kills
the fast poll's worker mid-crawl and waits for the other worker to finish the work. It records what it measured
in ``test-artifacts/celery-pipeline-timings.json``: cluster start, per task queued → running and duration (by
DAG), and the recovery times. This script runs that test (or, with ``--from-artifact``, reads the file a test run
left) and writes the figures as the section ``celery-pipeline`` of BENCHMARKS.md.

Usage: uv run python benchmarks/celery_pipeline.py [--from-artifact] [--append BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import REPO, Figure, environment_lines, figures_table, write_section  # noqa: E402

ARTIFACT = REPO / "test-artifacts" / "celery-pipeline-timings.json"
TEST = "tests/distributed/test_pipeline_distributed.py"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from-artifact", action="store_true", help=f"read {ARTIFACT.relative_to(REPO)} only")
    parser.add_argument("--append", help="write (replace) the section 'celery-pipeline' of this markdown file")
    args = parser.parse_args()
    if not args.from_artifact:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", TEST], cwd=REPO,
                              check=False)
        if done.returncode:
            sys.exit(f"{TEST} failed (exit {done.returncode}); no figures written")
    timings = json.loads(ARTIFACT.read_text(encoding="utf-8"))
    measured = datetime.fromtimestamp(ARTIFACT.stat().st_mtime).strftime("%Y-%m-%d %H:%M")

    def get(key: str) -> str:
        value = next((v for k, v in timings.items() if k.startswith(key)), None)
        return "–" if value is None else f"{value:.2f}"

    kill = next((k for k in timings if k.startswith("phase 2: kill (")), "phase 2: kill to retry running")
    figures = [
        Figure("task queued → running, median / max (s)",
               f"{get('phase 1 all tasks: queued to running, median')} / "
               f"{get('phase 1 all tasks: queued to running, max')}"),
        Figure("task duration, median / max (s)",
               f"{get('phase 1 all tasks: task duration, median')} / {get('phase 1 all tasks: task duration, max')}"),
        Figure("replay site crawl → process → alerts, to the last run's end (s)", get("phase 1: crawl")),
        Figure("worker killed mid-crawl: to retry running on the other worker (s)", get(kill)),
        Figure("worker killed mid-crawl: to its articles mailed (s)", get("phase 2: kill to alerts run success")),
        Figure("cluster start, db migrate included (s)", get("cluster start (migrate included)")),
    ]
    rows = ["| measured | seconds |", "|---|---|"] + [f"| {k} | {v:.2f} |" for k, v in timings.items()]
    lines = [f"From `{TEST}` (run of {measured}; `test-artifacts/celery-pipeline-timings.json`): two Celery workers "
             "(concurrency 2; `crawl` on queue crawl, `process` on process and default; each its own host name and "
             "`NEWSMON_DATA_DIR`, only the archive folder shared), `min_heartbeat_interval` 1 s, "
             "`task_instance_heartbeat_timeout` 20 s, `lease_seconds` 20; the replay site's 20 articles. "
             f"The victim of the kill: {kill.split('(')[-1].split(')')[0] if '(' in kill else 'see the test'}.",
             "", *rows]
    body = "\n".join([*environment_lines("celery_pipeline.py"), "", figures_table(figures), "", *lines])
    print(body)
    if args.append:
        write_section(args.append, "celery-pipeline", "Per-task overheads under the CeleryExecutor (distributed test)",
                      body)


if __name__ == "__main__":
    main()
