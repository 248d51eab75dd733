"""The ``newsmon`` commands that drive the harness: ``demo``, ``replay serve``, ``es start|stop|status``,
``smtp stop`` and ``ui stop`` (registered on the main command group by :mod:`newsmon.cli`)."""

from __future__ import annotations

import sys

import click

__all__ = ["HARNESS_COMMANDS"]


@click.command()
@click.pass_obj
def demo(settings) -> None:
    """Start what is missing, run the three DAGs once on the replay site, print a summary."""
    from newsmon.devstack.demo import run_demo

    sys.exit(run_demo(settings))


@click.group()
def replay() -> None:
    """The offline replay site of the five sources."""


@replay.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True)
def replay_serve(host: str, port: int) -> None:
    """Serve the replay site until interrupted."""
    from newsmon.devstack.replay import ReplayServer

    server = ReplayServer(host, port)
    click.echo(f"replay site at {server.base_url} (Ctrl-C to stop); crawl the real sources through it with "
               f"NEWSMON_MIRROR_URL={server.base_url} NEWSMON_SOURCE_OVERRIDES='{{\"*\": {{\"politeness\": "
               f"{{\"min_delay_seconds\": 0}}}}}}'")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@click.group()
def es() -> None:
    """The local Elasticsearch node (not needed with NEWSMON_ELASTICSEARCH_URL)."""


@es.command("start")
@click.pass_obj
def es_start(settings) -> None:
    """Provision (first time) and start the local node in the background."""
    from newsmon.devstack.elasticsearch_local import ensure_running

    click.echo(ensure_running(settings.state_dir, settings.es_cache_dir))


@es.command("stop")
@click.pass_obj
def es_stop(settings) -> None:
    """Stop the local node."""
    from newsmon.devstack.elasticsearch_local import stop_recorded

    click.echo("stopped" if stop_recorded(settings.state_dir) else "no local node was running")


@es.command("status")
@click.pass_obj
def es_status(settings) -> None:
    """Show whether the local node runs, and where."""
    from newsmon.devstack.elasticsearch_local import read_record

    record = read_record(settings.state_dir)
    click.echo(f"running at {record['url']} (pid {record['pid']})" if record else "not running")


@click.group()
def smtp() -> None:
    """The local SMTP sink that keeps demo mail in a mailbox."""


@smtp.command("stop")
@click.pass_obj
def smtp_stop(settings) -> None:
    from newsmon.devstack.smtp_sink import stop_recorded

    click.echo("stopped" if stop_recorded(settings.state_dir) else "no SMTP sink was running")


@click.group()
def ui() -> None:
    """The Airflow UI the demo leaves running (with the newsmon monitor page)."""


@ui.command("stop")
@click.pass_obj
def ui_stop(settings) -> None:
    from newsmon.devstack.airflow_ui import stop_recorded

    click.echo("stopped" if stop_recorded(settings.state_dir) else "no Airflow UI was running")


HARNESS_COMMANDS = (demo, replay, es, smtp, ui)
