"""What the DAG tasks call (and the CLI commands that do the same work by hand): crawl a source, list and process
the queued pages, alert, send digests; each a few lines over the library.

Processing itself (extract → language → match) is :mod:`newsmon.processing`. Bad content is counted by reason
and never stops a run; infrastructure failures (:class:`~newsmon.errors.ServiceUnavailable`) propagate so that
Airflow retries.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC

from newsmon.errors import DropDocument, ServiceUnavailable
from newsmon.processing import ArticleProcessor
from newsmon.settings import Settings
from newsmon.sources import SourceRegistry, load_registry

__all__ = ["ProcessReport", "alert", "alert_rules", "backfill_alerts", "check_sources", "crawl", "crawl_group",
           "digest", "pending_batches", "pending_pages", "process_batch", "reprocess_archive", "source_groups",
           "source_names", "watched_sources"]

log = logging.getLogger(__name__)



def _registry(settings: Settings) -> SourceRegistry:
    return load_registry(settings)


@dataclass
class ProcessReport:
    processed: int = 0
    created: int = 0
    updated: int = 0
    dropped: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    #: Articles processing had to treat specially, by note (``matched-in-pieces``, ``mentions-capped``).
    notes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    #: Pages another live task had claimed (left to it), and pages queued again while processed (a newer copy
    #: waits for the next run).
    left_to_others: int = 0
    requeued: int = 0

    def to_dict(self) -> dict:
        return {"processed": self.processed, "created": self.created, "updated": self.updated,
                "dropped": dict(self.dropped), "languages": dict(self.languages), "notes": dict(self.notes),
                "left_to_others": self.left_to_others, "requeued": self.requeued, "seconds": round(self.seconds, 2)}


# -- what the DAG tasks call --------------------------------------------------------------------------
def source_names(settings: Settings) -> list[str]:
    return _registry(settings).names()


def crawl(source_name: str, settings: Settings, skip_if_busy: bool = False) -> dict:
    """Crawl one source. Another crawl of it in progress: wait for it (the daily crawl), or with
    ``skip_if_busy`` (the fast poll) report ``busy`` and leave the source to that crawl."""
    from newsmon.crawl.crawler import CrawlReport, crawl_source
    from newsmon.errors import CrawlBusy

    source = _registry(settings).get(source_name)
    try:
        return crawl_source(source, settings, lock_wait_seconds=0 if skip_if_busy else 900).to_dict()
    except CrawlBusy as exc:
        if not skip_if_busy:
            raise
        log.info("%s", exc)
        return {**CrawlReport(source_name).to_dict(), "busy": True}


def watched_sources(payloads: list[dict]) -> list[str]:
    """The sources the feed watcher's events (their payloads) named, sorted; none named: ``[]``."""
    return sorted({name for payload in payloads for name in (payload or {}).get("sources") or []})


def source_groups(settings: Settings, group_size: int | None = None, only: list[str] | None = None) -> list[list[str]]:
    """The sources' names in groups of at most ``settings.crawl_group_size`` for mapped crawl tasks; sources that
    share a host stay in one group (a group larger than the size if they must), so politeness per host holds.
    ``only``: just those sources (the ones the feed watcher named; unknown names are ignored, none known: all)."""
    from newsmon.crawl.crawler import host_groups

    group_size = group_size or settings.crawl_group_size
    registry = _registry(settings)
    names = [name for name in registry.names() if name in set(only or [])] or registry.names()
    groups: list[list[str]] = []
    current: list[str] = []
    for hosts in host_groups([registry.get(name) for name in names]):
        names = [source.name for source in hosts]
        if current and len(current) + len(names) > group_size:
            groups.append(current)
            current = []
        current += names
    if current:
        groups.append(current)
    return groups


def crawl_group(source_names: list[str], settings: Settings, skip_if_busy: bool = False) -> dict:
    """Crawl the sources ``source_names`` at once (one thread per host, see ``crawl_sources``). A source another
    crawl holds is waited for (the daily crawl), or with ``skip_if_busy`` (the fast poll) reported ``busy``.

    Returns the group's counts and each source's report. A source that failed (a whole site down) fails the task
    once every other source of the group is done and recorded, so Airflow retries it (the others then cost one
    conditional request per feed)."""
    from newsmon.crawl.crawler import CrawlReport, crawl_sources
    from newsmon.errors import CrawlBusy

    registry = _registry(settings)
    results = crawl_sources([registry.get(name) for name in source_names], settings,
                            lock_wait_seconds=0 if skip_if_busy else 900)
    reports, busy, failed = [], [], {}
    for name, result in results.items():
        if isinstance(result, CrawlReport):
            reports.append(result.to_dict())
        elif isinstance(result, CrawlBusy) and skip_if_busy:
            log.info("%s", result)
            busy.append(name)
            reports.append({**CrawlReport(name).to_dict(), "busy": True})
        else:
            failed[name] = f"{type(result).__name__}: {result}"
    summary = {"sources": len(source_names), "queued": sum(r["queued"] for r in reports),
               "fetched": sum(r["fetched"] for r in reports), "requests": sum(r["requests"] for r in reports),
               "feeds_checked": sum(r["feeds_checked"] for r in reports),
               "feeds_unchanged": sum(r["feeds_unchanged"] for r in reports), "busy": busy, "failed": failed,
               "reports": reports}
    if failed:
        problems = "; ".join(f"{name}: {error}" for name, error in failed.items())[:2000]
        raise ServiceUnavailable(f"{len(failed)} of {len(source_names)} source(s) failed ({problems}); the other "
                                 "sources of the group are recorded. Airflow retries the group")
    return summary


def pending_batches(settings: Settings, batch_size: int | None = None) -> list[list[str]]:
    """The queued page ids, in batches (``settings.process_batch_size``) for mapped processing tasks. Pages an older
    newsmon queued on disk are moved into the Elasticsearch queue first."""
    from newsmon.crawl.shared_state import process_queue

    batch_size = batch_size or settings.process_batch_size
    queue = process_queue(settings)
    if hasattr(queue, "migrate_legacy"):
        queue.migrate_legacy()
    ids = queue.ids()
    return [ids[i: i + batch_size] for i in range(0, len(ids), batch_size)]


def pending_pages(settings: Settings) -> int:
    """How many archived pages wait for processing."""
    from newsmon.crawl.shared_state import process_queue

    return len(process_queue(settings))


def _task_identity() -> str:
    """Who claims queued pages: the Airflow task instance (its retries share the identity, so a retry takes over
    what a dead try claimed at once), else this process."""
    try:
        from airflow.sdk import get_current_context

        ti = get_current_context()["ti"]
        return f"{ti.dag_id}/{ti.run_id}/{ti.task_id}/{ti.map_index}"
    except Exception:  # noqa: BLE001 - not inside an Airflow task
        from newsmon.index.leases import holder_identity

        return holder_identity()


def process_batch(item_ids: list[str], settings: Settings) -> dict:
    """Extract, identify, match and index the queued pages ``item_ids``; dequeue them once written."""
    from newsmon.crawl.archive import read_page
    from newsmon.crawl.shared_state import process_queue
    from newsmon.index import ArticleStore, connect

    started = time.perf_counter()
    report = ProcessReport()
    queue = process_queue(settings)
    processor = ArticleProcessor(settings, _registry(settings))
    if hasattr(queue, "claim"):  # a queue every worker reaches: claim the pages first (a lease)
        claim = queue.claim(item_ids, _task_identity(), settings.lease_seconds + 2.0 * len(item_ids))
        report.left_to_others = len(claim.busy)
        pending = [(item_id, claim[item_id]) for item_id in item_ids if item_id in claim]
    else:
        claim = None
        pending = [(item_id, item) for item_id in item_ids if (item := queue.get(item_id)) is not None]
    articles, handled, outcomes = [], [], []
    for item_id, item in pending:  # items done by an earlier attempt of this task are gone from the queue
        handled.append(item_id)
        try:
            page = read_page(item["archive"], item.get("offset", 0))  # a plain path or a URL
        except (OSError, ValueError) as exc:
            report.dropped["unreadable-archive"] += 1
            log.error("cannot read archived page %s (%s); skipped", item.get("archive"), exc)
            continue
        try:
            article = processor.process(page)
        except DropDocument as exc:
            report.dropped[exc.reason] += 1
            outcomes.append(_outcome(item_id, page, exc.reason))
            log.warning("dropped %s: %s", item.get("url"), exc)
            continue
        except Exception:  # noqa: BLE001 - a page no stage could handle must not stop the batch; it stays archived
            report.dropped["processing-error"] += 1
            outcomes.append(_outcome(item_id, page, "processing-error"))
            log.exception("processing %s failed; skipped (it stays in %s: after a fix, `newsmon reprocess "
                          "--from-archive` indexes it)", item.get("url"), item.get("archive"))
            continue
        outcomes.append(_outcome(item_id, page, None, len(article.text), settings.degraded_short_chars))
        articles.append(article)
        report.languages[article.lang] += 1
        report.notes.update(note.split(":")[0] for note in article.processing_notes)
    if articles:
        store = ArticleStore(connect(settings), settings.index_alias, settings.index_shards, settings.index_replicas)
        store.ensure_index()
        written = store.index_articles(articles)
        report.created, report.updated = len(written.created), len(written.updated)
        if written.failed:
            report.dropped["index-rejected"] += len(written.failed)
    if outcomes:  # what "extraction degraded" judges (newsmon.alerts.operator)
        from newsmon.index.page_outcomes import PageOutcomes

        PageOutcomes(connect(settings), settings.index_alias).record(outcomes)
    if claim is not None:
        report.requeued = queue.done_claimed(claim, handled)
    else:
        for item_id in handled:
            queue.done(item_id)
    report.processed = len(articles)
    report.seconds = time.perf_counter() - started
    log.info("processed %d pages: %s", len(handled), report.to_dict())
    return report.to_dict()


def _outcome(page_id: str, page, reason: str | None, text_chars: int = 0, short_chars: int = 0):
    """What processing made of ``page``: dropped (``reason``), a stub (text under ``short_chars``) or an article."""
    from datetime import datetime

    from newsmon.index.page_outcomes import ARTICLE, DROPPED, STUB, PageOutcome

    day = (page.fetched_at or datetime.now(UTC)).astimezone(UTC).date()
    outcome = DROPPED if reason else STUB if text_chars < short_chars else ARTICLE
    return PageOutcome(page_id, page.source, day, outcome, reason or "", text_chars)


def reprocess_archive(settings: Settings, sources: list[str] | None = None, batch_size: int = 50) -> dict:
    """Re-run extraction, matching and indexing on every archived page (of ``sources``, default all), offline.

    The newest archived copy of each article (WARC files under ``<data_dir>/archive/<source>/``) goes on the
    process queue under its document id (the same id as when first indexed, so documents are updated, not
    duplicated) and is processed in batches
    by :func:`process_batch`. Alerts are not sent here; the alert ledger keeps them from being sent twice.
    """
    from newsmon.crawl.archive import archive_folder, iter_pages
    from newsmon.crawl.shared_state import process_queue

    archive_dir = archive_folder(settings.archive_location)  # a Path on this machine, else an ObjectStoragePath
    if sources:
        wanted = sorted(sources)
    elif archive_dir.is_dir():
        wanted = sorted(path.name for path in archive_dir.iterdir() if path.is_dir())
    else:
        wanted = []
    queue = process_queue(settings)
    newest: dict[str, dict] = {}
    unreadable = 0
    for source in wanted:
        if not (archive_dir / source).is_dir():
            log.warning("no archive for source %r under %s; nothing to reprocess for it", source, archive_dir)
        # Day folders and run ids sort in time order: a later copy of an article replaces an earlier one.
        for path in sorted((archive_dir / source).glob("*/*.warc.gz")):
            try:
                for offset, page in iter_pages(path):
                    newest[page.id] = {"source": page.source, "archive": str(path), "offset": offset,
                                       "url": page.url, "canonical_url": page.canonical_url}
            except (OSError, ValueError) as exc:
                unreadable += 1
                log.error("cannot read archive file %s (%s); skipped", path, exc)
    ids = list(newest)
    for page_id, item in newest.items():
        queue.put(page_id, item)
    total = ProcessReport()
    for start in range(0, len(ids), batch_size):
        part = process_batch(ids[start: start + batch_size], settings)
        total.processed += part["processed"]
        total.created += part["created"]
        total.updated += part["updated"]
        total.dropped.update(part["dropped"])
        total.languages.update(part["languages"])
        total.notes.update(part.get("notes", {}))
        total.seconds += part["seconds"]
    if unreadable:
        total.dropped["unreadable-archive"] += unreadable
    log.info("reprocessed %d archived page(s) of %s: %s", len(ids), ", ".join(wanted) or "no source",
             total.to_dict())
    return {"sources": wanted, "archived": len(ids) + unreadable, **total.to_dict()}


def assign_events(settings: Settings) -> dict:
    """Place every indexed article without an event into one (newsmon.index.events_store); a run already doing
    it is left to finish (``busy``)."""
    from newsmon.index import connect
    from newsmon.index.events_store import AssignmentBusy, EventStore

    try:
        return EventStore(connect(settings), settings.index_alias).assign_pending().to_dict()
    except AssignmentBusy as exc:
        log.info("%s", exc)
        return {"busy": True}


def alert(settings: Settings) -> dict:
    """Place new articles into events, percolate them against the rules, and mail each recipient once per event
    (updates in the same thread)."""
    from newsmon.alerts import dispatch_alerts
    from newsmon.alerts.dispatch import open_stores

    events = assign_events(settings)
    rules = alert_rules(settings)  # a bad rules file fails before anything is read or sent
    report = dispatch_alerts(open_stores(settings), rules, settings)
    return {**report.to_dict(), "mails": report.sent, "events": events}


def check_sources(settings: Settings, at=None) -> dict:
    """Run the operator checks on every source (feeds failing, quiet, extraction degraded) at ``at`` (a datetime;
    default now) and send what started or cleared to ``operator_channel`` (newsmon.alerts.operator)."""
    from newsmon.alerts.operator import check_sources as run

    return run(settings, at).to_dict()


def alert_rules(settings: Settings):
    """The alert rules, validated against the watchlist's ids and the sources file's names."""
    from newsmon.alerts import load_rules
    from newsmon.matching import load_watchlist

    watchlist = load_watchlist(settings.watchlist_file)
    return load_rules(settings.alert_rules_file, {a.id for a in watchlist.actors}, {t.id for t in watchlist.themes},
                      set(_registry(settings).names()))


def _alert_parts(settings: Settings):
    """The validated rules, the article store and the ledger the alert commands work on."""
    from newsmon.alerts.dispatch import open_stores

    stores = open_stores(settings)
    return alert_rules(settings), stores.articles, stores.ledger, stores.events


def digest(settings: Settings, at=None) -> dict:
    """Send the digests due at ``at`` (a datetime; the DAG passes its data interval end), each article once."""
    from datetime import datetime

    from newsmon.alerts.digest import send_digests

    rules, store, ledger, events = _alert_parts(settings)
    return send_digests(store, rules, settings, ledger, at or datetime.now(UTC), events).to_dict()


def backfill_alerts(settings: Settings, rule_id: str, since) -> dict:
    """Mail one digest of rule ``rule_id``'s never-mailed matches published since ``since`` (a date)."""
    from newsmon.alerts.digest import backfill_rule
    from newsmon.configfile import ConfigError

    rules, store, ledger, events = _alert_parts(settings)
    rule = next((r for r in rules if r.id == rule_id), None)
    if rule is None:
        raise ConfigError(f"no rule {rule_id!r} in {settings.alert_rules_file}; add it there first "
                          f"(rules: {', '.join(r.id for r in rules)})")
    return {"rule": rule_id, "since": str(since),
            **backfill_rule(store, rule, settings, ledger, since, events).to_dict()}
