"""The ``newsmon`` command line: demo, analyze, search, replay, es, smtp, sources."""

from __future__ import annotations

import json
import logging
import sys

import click

from newsmon.configfile import ConfigError
from newsmon.errors import ServiceUnavailable
from newsmon.settings import load_settings

__all__ = ["main"]


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
    for noisy in ("elastic_transport", "httpx", "httpcore", "urllib3", "trafilatura", "htmldate", "courlan"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@click.group()
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False), envvar="NEWSMON_SOURCES_FILE",
              help="Sources file (default config/sources.yaml; env NEWSMON_SOURCES_FILE).")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
@click.pass_context
def cli(ctx: click.Context, sources_file: str | None, verbose: bool) -> None:
    """newsmon: monitor news on Russia–Taliban relations."""
    _setup_logging(verbose)
    ctx.obj = load_settings(sources_file=sources_file)


@cli.command()
@click.pass_obj
def demo(settings) -> None:
    """Start what is missing, run the three DAGs once on the replay site, print a summary."""
    from newsmon.demo import run_demo

    sys.exit(run_demo(settings))


@cli.command()
@click.pass_obj
def analyze(settings) -> None:
    """Read JSON Lines ({"id","text"} or {"id","html","url"}) on stdin; write one JSON line per input."""
    from newsmon.analyze import Analyzer
    from newsmon.sources import load_sources

    logging.getLogger().setLevel(logging.WARNING)
    registry = None
    try:
        registry = load_sources(settings.sources_file, settings.config_variables())
    except ConfigError as exc:
        click.echo(f"warning: sources not loaded, using the generic extractor: {exc}", err=True)
    analyzer = Analyzer(settings, registry)
    for result in analyzer.analyze_lines(sys.stdin):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--lang", help="en, tr, ru, fa or other")
@click.option("--source", help="source name, e.g. ankasam")
@click.option("--actor", help="actor id, e.g. zamir_kabulov")
@click.option("--theme", help="theme id, e.g. moscow_format")
@click.option("--since", help="published on or after (YYYY-MM-DD)")
@click.option("--size", default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.pass_obj
def search(settings, query, lang, source, actor, theme, since, size, as_json) -> None:
    """Search the index (all languages) with filters and highlighted snippets."""
    from newsmon.index import connect, search_articles

    total, hits = search_articles(connect(settings), settings.index_alias, query, lang, source, actor, theme,
                                  since, size)
    if as_json:
        click.echo(json.dumps({"total": total, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=1))
        return
    click.echo(f"{total} article(s)")
    for hit in hits:
        click.echo(f"\n{hit.title}\n  {hit.source} · {hit.lang} · {(hit.published or '')[:10]} · {hit.url}")
        if hit.actors or hit.themes:
            click.echo(f"  actors: {', '.join(hit.actors)}  themes: {', '.join(hit.themes)}")
        for fragment in hit.highlights:
            click.echo("  … " + " ".join(fragment.split()) + " …")


@cli.group()
def replay() -> None:
    """The offline replay site of the five sources."""


@replay.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True)
def replay_serve(host: str, port: int) -> None:
    """Serve the replay site until interrupted."""
    from newsmon.replay import ReplayServer

    server = ReplayServer(host, port)
    click.echo(f"replay site at {server.base_url} (Ctrl-C to stop); use it with "
               f"NEWSMON_SOURCES_FILE=config/sources.replay.yaml NEWSMON_REPLAY_URL={server.base_url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


@cli.group()
def es() -> None:
    """The local Elasticsearch node (not needed with NEWSMON_ELASTICSEARCH_URL)."""


@es.command("start")
@click.pass_obj
def es_start(settings) -> None:
    """Provision (first time) and start the local node in the background."""
    from newsmon.elasticsearch_local import ensure_running

    click.echo(ensure_running(settings.state_dir, settings.es_cache_dir))


@es.command("stop")
@click.pass_obj
def es_stop(settings) -> None:
    """Stop the local node."""
    from newsmon.elasticsearch_local import stop_recorded

    click.echo("stopped" if stop_recorded(settings.state_dir) else "no local node was running")


@es.command("status")
@click.pass_obj
def es_status(settings) -> None:
    """Show whether the local node runs, and where."""
    from newsmon.elasticsearch_local import read_record

    record = read_record(settings.state_dir)
    click.echo(f"running at {record['url']} (pid {record['pid']})" if record else "not running")


@cli.group()
def index() -> None:
    """The article index: statistics, migration to a new mapping version, retention."""


@index.command("stats")
@click.pass_obj
def index_stats_command(settings) -> None:
    """Documents per index, source and language; mapping versions; pending alerts."""
    from newsmon.index import connect
    from newsmon.index.lifecycle import index_stats

    click.echo(json.dumps(index_stats(connect(settings), settings.index_alias), indent=1, ensure_ascii=False))


@index.command("migrate")
@click.option("--keep-old", is_flag=True, help="keep the previous index version (outside the alias)")
@click.pass_obj
def index_migrate(settings, keep_old: bool) -> None:
    """Create the next index version from the current mapping and move the alias to it, losing nothing."""
    from newsmon.index import connect
    from newsmon.index.lifecycle import migrate_index

    report = migrate_index(connect(settings), settings.index_alias, delete_old=not keep_old)
    click.echo(f"{report.source} -> {report.target}: {report.copied} copied, {report.kept_newer} newer kept, "
               f"{report.seconds:.1f}s; old index {'deleted' if report.old_index_deleted else 'kept'}")


@index.command("prune")
@click.option("--older-than-days", type=int, required=True, help="delete articles published before this age")
@click.pass_obj
def index_prune(settings, older_than_days: int) -> None:
    """Retention: delete articles older than N days (run it from cron or a DAG)."""
    from newsmon.index import connect
    from newsmon.index.lifecycle import prune_index

    click.echo(f"deleted {prune_index(connect(settings), settings.index_alias, older_than_days)} article(s)")


@cli.group()
def kibana() -> None:
    """Kibana saved objects (data view, saved searches, charts, dashboard)."""


@kibana.command("import")
@click.option("--url", "kibana_url", help="Kibana base URL (default: the kibana_url setting)")
@click.option("--file", "ndjson", type=click.Path(exists=True, dir_okay=False), help="saved-objects file",
              default=None)
@click.option("--api-key", envvar="NEWSMON_KIBANA_API_KEY", help="API key (env NEWSMON_KIBANA_API_KEY)")
@click.option("--user", "username", help="basic-auth user")
@click.option("--password", envvar="NEWSMON_KIBANA_PASSWORD", help="basic-auth password")
@click.option("--space", help="Kibana space id")
@click.pass_obj
def kibana_import(settings, kibana_url, ndjson, api_key, username, password, space) -> None:
    """Load kibana/newsmon.ndjson into Kibana through its saved-objects API (overwrites by id)."""
    from pathlib import Path

    from newsmon.index.kibana import import_saved_objects
    from newsmon.settings import PROJECT_ROOT

    result = import_saved_objects(kibana_url or settings.kibana_url,
                                  Path(ndjson) if ndjson else PROJECT_ROOT / "kibana" / "newsmon.ndjson",
                                  api_key=api_key, username=username, password=password, space=space)
    click.echo(f"imported {result.get('successCount', 0)} saved object(s)")


@cli.group()
def smtp() -> None:
    """The local SMTP sink that keeps demo mail in a mailbox."""


@smtp.command("stop")
@click.pass_obj
def smtp_stop(settings) -> None:
    from newsmon.smtp_sink import stop_recorded

    click.echo("stopped" if stop_recorded(settings.state_dir) else "no SMTP sink was running")


@cli.group()
def sources() -> None:
    """The sources file."""


@sources.command("check")
@click.pass_obj
def sources_check(settings) -> None:
    """Validate the sources file and list its sources."""
    from newsmon.sources import load_sources

    registry = load_sources(settings.sources_file, settings.config_variables())
    for source in registry:
        discovery = len(source.feeds) + len(source.listings)
        click.echo(f"{source.name:<10} {','.join(source.languages):<9} extractor={source.extractor:<8} "
                   f"{discovery} discovery URL(s)")


def main() -> None:
    try:
        cli(standalone_mode=True)
    except (ConfigError, ServiceUnavailable, RuntimeError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
