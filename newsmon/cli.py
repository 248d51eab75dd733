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

#: The most hits ``newsmon search`` shows (Elasticsearch pages beyond 10,000 hits only with search_after).
MAX_SEARCH_SIZE = 1000


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
    for noisy in ("elastic_transport", "httpx", "httpcore", "urllib3", "trafilatura", "htmldate", "courlan", "pymorphy3"):
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
def analyze(settings) -> None:
    """Read JSON Lines ({"id","text"} or {"id","html","url"}) on stdin; write one JSON line per input."""
    from newsmon.analyze import Analyzer, json_line
    from newsmon.sources import load_registry

    logging.getLogger().setLevel(logging.WARNING)
    registry = None
    try:
        registry = load_registry(settings)
    except ConfigError as exc:
        click.echo(f"warning: sources not loaded, using the generic extractor: {exc}", err=True)
    analyzer = Analyzer(settings, registry)
    for result in analyzer.analyze_lines(sys.stdin):
        sys.stdout.write(json_line(result) + "\n")
        sys.stdout.flush()


@cli.command()
@click.argument("query", required=False, default="")
@click.option("--lang", help="en, tr, ru, fa or other")
@click.option("--source", help="source name, e.g. ankasam")
@click.option("--actor", help="actor id, e.g. zamir_kabulov")
@click.option("--theme", help="theme id, e.g. moscow_format")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="published on or after (YYYY-MM-DD)")
@click.option("--size", default=10, show_default=True, type=click.IntRange(1, MAX_SEARCH_SIZE),
              help=f"hits (or events) to show (1 to {MAX_SEARCH_SIZE})")
@click.option("--events", "by_event", is_flag=True,
              help="list the events the matching articles report, each with its matching articles")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.pass_obj
def search(settings, query, lang, source, actor, theme, since, size, by_event, as_json) -> None:
    """Search the index (all languages) with filters and highlighted snippets.

    Words that name a watchlist actor or theme in any language ("Moscow Format", "Кабулов") also find the
    articles tagged with it in every language, ranked with the full-text hits.
    """
    from newsmon.index import connect
    from newsmon.index.search import search_articles, search_events

    names = _search_names(settings, query)
    params = {"lang": lang, "source": source, "actor": actor, "theme": theme,
              "since": since.date().isoformat() if since else None, "size": size,
              "named_actors": names.actors, "named_themes": names.themes}
    client = connect(settings)
    if by_event:
        total, events = search_events(client, settings.index_alias, query, **params)
        if as_json:
            click.echo(json.dumps({"total": total, "names": names.to_dict(), "events": [e.to_dict() for e in events]},
                                  ensure_ascii=False, indent=1))
            return
        click.echo(f"{total} event(s){_names_line(names)}")
        for event in events:
            _echo_event(event)
        return
    total, hits = search_articles(client, settings.index_alias, query, **params)
    if as_json:
        click.echo(json.dumps({"total": total, "names": names.to_dict(), "hits": [h.to_dict() for h in hits]},
                              ensure_ascii=False, indent=1))
        return
    click.echo(f"{total} article(s){_names_line(names)}")
    for hit in hits:
        _echo_hit(hit)


def _search_names(settings, query: str):
    """The watchlist ids ``query`` names (none, with a warning, if the watchlist does not load)."""
    from newsmon.search_names import SearchNames, search_name_finder

    if not query.strip():
        return SearchNames()
    try:
        return search_name_finder(settings.watchlist_file).find(query)
    except (ConfigError, OSError) as exc:
        click.echo(f"warning: watchlist not loaded, searching the words only: {exc}", err=True)
        return SearchNames()


def _names_line(names) -> str:
    if not names:
        return ""
    named = ", ".join(f"{entry_id} («{surface}»)" for entry_id, surface in names.surfaces)
    return f"; the query names {named}: articles tagged with them in any language are included"


def _echo_hit(hit, indent: str = "") -> None:
    click.echo(f"\n{indent}{hit.title}\n{indent}  {hit.source} · {hit.lang} · {(hit.published or '')[:10]} · {hit.url}")
    if hit.actors or hit.themes:
        click.echo(f"{indent}  actors: {', '.join(hit.actors)}  themes: {', '.join(hit.themes)}")
    for fragment in hit.highlights:
        click.echo(f"{indent}  … " + " ".join(fragment.split()) + " …")


def _echo_event(event) -> None:
    click.echo(f"\n== {event.title}  [{event.id}]")
    others = [f"{lang}: {title}" for lang, title in sorted(event.titles.items()) if title != event.title]
    for line in others:
        click.echo(f"   {line}")
    click.echo(f"   first seen {(event.first_seen or '?')[:10]} · last seen {(event.last_seen or '?')[:10]} · "
               f"{', '.join(event.languages) or '?'} · {', '.join(event.sources) or '?'} · "
               f"{event.article_count} article(s), {len(event.matches)} matching shown")
    for hit in event.matches:
        _echo_hit(hit, indent="   ")


@cli.group()
def index() -> None:
    """The article index: statistics, migration to a new mapping version, retention."""


@index.command("stats")
@click.pass_obj
def index_stats_command(settings) -> None:
    """Documents per index, source and language; mapping versions."""
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
    from newsmon.pipeline import assign_events

    report = migrate_index(connect(settings), settings.index_alias, delete_old=not keep_old,
                           shards=settings.index_shards, replicas=settings.index_replicas)
    click.echo(f"{report.source} -> {report.target}: {report.copied} copied, {report.kept_newer} newer kept, "
               f"{report.seconds:.1f}s; old index {'deleted' if report.old_index_deleted else 'kept'}")
    placed = assign_events(settings)
    click.echo(f"events: {json.dumps(placed)}")


@cli.group()
def events() -> None:
    """Events: the articles of one real-world happening, across sources and languages."""


@events.command("assign")
@click.pass_obj
def events_assign(settings) -> None:
    """Place every indexed article without an event (what the news_alerts DAG does first)."""
    from newsmon.pipeline import assign_events

    click.echo(json.dumps(assign_events(settings)))


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

    from newsmon.kibana.saved_objects import import_saved_objects
    from newsmon.settings import PROJECT_ROOT

    result = import_saved_objects(kibana_url or settings.kibana_url,
                                  Path(ndjson) if ndjson else PROJECT_ROOT / "kibana" / "newsmon.ndjson",
                                  api_key=api_key, username=username, password=password, space=space)
    click.echo(f"imported {result.get('successCount', 0)} saved object(s)")


@cli.group()
def sources() -> None:
    """The sources file."""


@sources.command("check")
@click.pass_obj
def sources_check(settings) -> None:
    """Validate the sources file and list its sources."""
    from newsmon.sources import load_registry

    registry = load_registry(settings)
    for source in registry:
        discovery = len(source.feeds) + len(source.listings)
        click.echo(f"{source.name:<10} {','.join(source.languages):<9} extractor={source.extractor:<8} "
                   f"{discovery} discovery URL(s)")


@sources.command("alerts")
@click.pass_obj
def sources_alerts(settings) -> None:
    """Run the operator checks now (feeds failing, quiet, extraction degraded): send what started or cleared to
    the operator channel (NEWSMON_OPERATOR_CHANNEL; none: logged), then list the alerts open now."""
    from newsmon.pipeline import check_sources

    report = check_sources(settings)
    where = settings.operator_channel or "the log (no operator_channel set)"
    click.echo(f"{report['sources']} source(s) checked; started: {', '.join(report['started']) or 'none'}; "
               f"cleared: {', '.join(report['cleared']) or 'none'}; {report['sent']} sent to {where}, "
               f"{report['logged']} logged")
    for label in report["open"]:
        click.echo(f"open: {label}")


@cli.group()
def alerts() -> None:
    """Alert rules (config/alerts.yaml), their ledger, digests and backfills."""


@alerts.command("check")
@click.pass_obj
def alerts_check(settings) -> None:
    """Validate the rules file against the watchlist and the sources file, and list its rules."""
    from newsmon.pipeline import alert_rules

    for rule in alert_rules(settings):
        when = f"digest {rule.schedule}" if rule.mode == "digest" else "immediate"
        click.echo(f"{rule.id:<24} {when:<20} to {', '.join(rule.recipients)}")


@alerts.command("status")
@click.pass_obj
def alerts_status(settings) -> None:
    """Mails and items per status (one mail per recipient and event, then updates), digest entries per rule and
    status (digest-pending, skipped-backfill, sent, …), and how many indexed articles the next run will look at."""
    from newsmon.alerts.dispatch import articles_to_check, open_stores

    stores = open_stores(settings)
    stores.checks.ensure_index()
    threads, counts = stores.threads.counts(), stores.ledger.counts()
    waiting = len(articles_to_check(stores))
    click.echo("immediate mails and items: " + (json.dumps(threads, indent=1, sort_keys=True) if threads else "none"))
    click.echo("digest and history entries: " + (json.dumps(counts, indent=1, sort_keys=True) if counts else "none"))
    click.echo(f"{waiting} indexed article(s) not yet checked against the rules")


@alerts.command("backfill")
@click.argument("rule_id")
@click.option("--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="mail the rule's matches published on or after this day (YYYY-MM-DD)")
@click.pass_obj
def alerts_backfill(settings, rule_id: str, since) -> None:
    """Send ONE digest of RULE_ID's matches since a day that were never mailed, and mark them sent."""
    from newsmon.pipeline import backfill_alerts

    report = backfill_alerts(settings, rule_id, since.date())
    if report["digests"]:
        click.echo(f"sent 1 digest of {report['events']} event(s), {report['articles']} article(s) for {rule_id} "
                   f"({report['not_included']} matching articles were mailed before or are waiting for their mail)")
    else:
        click.echo(f"nothing to send for {rule_id} since {since.date()} "
                   f"({report['not_included']} matching stories were mailed before or are waiting for their mail)")


@alerts.command("digest")
@click.option("--at", "at", type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
              help="send the digests due at this UTC time (default: now)")
@click.pass_obj
def alerts_digest(settings, at) -> None:
    """Send the digests that are due (what the hourly news_digest DAG does)."""
    from datetime import timezone

    from newsmon.pipeline import digest

    report = digest(settings, at.replace(tzinfo=timezone.utc) if at else None)
    click.echo(f"sent {report['digests']} digest(s) with {report['stories']} stories")


@cli.command("crawl")
@click.option("--source", "source_names", multiple=True, metavar="NAME",
              help="Crawl only this source (repeatable; default: every source in the sources file).")
@click.option("--sources", "sources_file", type=click.Path(exists=True, dir_okay=False),
              help="Sources file (the same as the global --sources).")
@click.option("--state", "state_dir", type=click.Path(file_okay=False),
              help="Keep the crawl state, archive and process queue in this folder (the 'files' state store) "
                   "instead of the configured store (default: the state_store and data_dir settings).")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Backfill: only items whose feed/sitemap date (published or updated, UTC) is on or after "
                   "this day. Items without any date are kept.")
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Backfill: only items dated on or before this day (inclusive). Items without any date are kept.")
@click.pass_obj
def crawl_command(settings, source_names, sources_file, state_dir, since, until) -> None:
    """Discover and fetch articles without Airflow (the same code as the news_crawl DAG).

    Prints one JSON line per article URL met on stdout, as it happens: {"url", "canonical_url", "source",
    "status": "fetched"|"unchanged"|"skipped", "reason", "http_status", "attempts"}; progress and a summary
    go to stderr. Sources are crawled at once, one thread per host (one request at a time per source). Fetched
    pages are archived and queued for processing. Exit status 2 if a source failed entirely (after the
    other sources finished).
    """
    import threading
    from pathlib import Path

    from newsmon.crawl.crawler import crawl_sources
    from newsmon.crawl.discovery import DateRange
    from newsmon.sources import load_registry

    if since and until and until < since:
        raise click.BadParameter(f"{until:%Y-%m-%d} is before --since {since:%Y-%m-%d}", param_hint="--until")
    updates = {"sources_file": Path(sources_file) if sources_file else None,
               "data_dir": Path(state_dir) if state_dir else None, "state_store": "files" if state_dir else None}
    settings = settings.model_copy(update={k: v for k, v in updates.items() if v is not None})
    registry = load_registry(settings)
    try:
        chosen = [registry.get(name) for name in dict.fromkeys(source_names)] or list(registry)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0]), param_hint="--source") from None
    dates = DateRange(since and since.date(), until and until.date()) if since or until else None
    lock = threading.Lock()

    def print_event(event: dict) -> None:
        line = json.dumps(event, ensure_ascii=False) + "\n"
        with lock:
            sys.stdout.write(line)
            sys.stdout.flush()

    failed = [r for r in crawl_sources(chosen, settings, dates, print_event).values() if isinstance(r, Exception)]
    if failed:  # each was logged with the summary
        sys.exit(2 if all(isinstance(exc, ServiceUnavailable) for exc in failed) else 1)


@cli.command("reprocess")
@click.option("--from-archive", "from_archive", is_flag=True,
              help="Take the pages from the WARC archive (<data dir>/archive/<source>/), without the network.")
@click.option("--source", "source_names", multiple=True, metavar="NAME",
              help="Only this source's archive (repeatable; default: every archived source).")
@click.option("--state", "state_dir", type=click.Path(file_okay=False),
              help="Folder holding the archive and queue (the 'files' state store; default: the data_dir and "
                   "state_store settings).")
@click.pass_obj
def reprocess_command(settings, from_archive: bool, source_names, state_dir) -> None:
    """Re-run extraction, matching and indexing on archived pages; prints a JSON summary.

    Documents keep their ids, so the index is updated, not duplicated; alerts are not sent here, and the
    alert ledger keeps an already mailed story from being mailed again.
    """
    from pathlib import Path

    from newsmon.pipeline import reprocess_archive

    if not from_archive:
        raise click.UsageError("say where the pages come from: --from-archive (the only source for now)")
    if state_dir:
        settings = settings.model_copy(update={"data_dir": Path(state_dir), "state_store": "files"})
    summary = reprocess_archive(settings, list(dict.fromkeys(source_names)) or None)
    click.echo(json.dumps(summary, ensure_ascii=False))


def _add_harness_commands() -> None:
    """``demo``, ``replay``, ``es``, ``smtp`` and ``ui``: the commands that drive the demo and test harness."""
    from newsmon.devstack.commands import HARNESS_COMMANDS

    for command in HARNESS_COMMANDS:
        cli.add_command(command)


_add_harness_commands()


def main() -> None:
    """Run the command line; every error is one line on stderr (exit status 2), never a traceback."""
    try:
        sys.exit(cli.main(prog_name="newsmon", standalone_mode=False) or 0)
    except click.UsageError as exc:
        where = f"; see '{exc.ctx.command_path} --help'" if exc.ctx is not None else ""
        _fail(f"{_one_line(exc.format_message())}{where}")
    except click.ClickException as exc:
        _fail(_one_line(exc.format_message()))
    except click.Abort:
        _fail("aborted")
    except BrokenPipeError:  # the reader went away (`newsmon crawl | head`): nothing left to say
        sys.stderr.close()
        sys.exit(1)
    except (ConfigError, ServiceUnavailable, RuntimeError) as exc:
        _fail(str(exc))
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("elasticsearch", "elastic_transport"):
            raise
        _fail(f"Elasticsearch refused the request: {_elasticsearch_problem(exc)}")


def _one_line(message: str) -> str:
    return " ".join(message.split()).rstrip(".")


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _elasticsearch_problem(exc: Exception) -> str:
    """The one line that says what Elasticsearch objected to (its root cause), not the client's traceback."""
    info = getattr(exc, "info", None) or getattr(exc, "body", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        causes = info["error"].get("root_cause") or [info["error"]]
        reason = causes[0].get("reason") or causes[0].get("type")
        return _one_line(f"{getattr(exc, 'status_code', '')} {reason}")
    return _one_line(str(exc))[:500]


if __name__ == "__main__":
    main()
