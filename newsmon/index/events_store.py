"""The storage of events, in indices of their own next to the articles: ``<alias>-events`` (one document per
event: titles, first and last sighting, sources, languages, counts, the signal centroid) and
``<alias>-event-members`` (one per placed article: its event, its original if it is a copy, its MinHash, why).

The member record is the decision; the article's ``event_id`` and ``duplicate_of`` are copies of it for search,
restored from it if the article is indexed again. :meth:`EventStore.assign_pending` runs the assignment
(:class:`newsmon.events.assign.EventAssigner`) on every article without an event, under a lease so that two
runs never place the same articles.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from elasticsearch import ConflictError, Elasticsearch, NotFoundError, helpers

from newsmon.errors import ServiceUnavailable
from newsmon.events.assign import Decision, Event, EventAssigner, Member
from newsmon.index.connection import ensure_own_index

__all__ = ["EVENTS_SUFFIX", "MEMBERS_SUFFIX", "AssignmentBusy", "AssignmentReport", "EventStore"]

log = logging.getLogger(__name__)

EVENTS_SUFFIX = "-events"
MEMBERS_SUFFIX = "-event-members"
_LEASE_SUFFIX = "-event-lease"
#: A lease not renewed for this long belongs to a run that died: the next run takes it over.
LEASE_TTL = timedelta(minutes=15)
#: How far back the rarity of themes and actors is counted.
_DF_WINDOW = "now-30d"
_CHUNK = 500
_ARTICLE_FIELDS = ["lang", "story_id", "title", "text", "mentions", "themes", "actors", "published", "fetched_at",
                   "indexed_at", "source", "event_id"]

_EVENT_MAPPING = {"dynamic": "strict", "properties": {
    "title": {"type": "text"}, "titles": {"type": "object", "enabled": False},
    "first_seen": {"type": "date"}, "last_seen": {"type": "date"}, "updated_at": {"type": "date"},
    "centroid": {"type": "object", "enabled": False},
    "themes": {"type": "keyword"}, "actors": {"type": "keyword"}, "sources": {"type": "keyword"},
    "languages": {"type": "keyword"}, "story_ids": {"type": "keyword"},
    "article_count": {"type": "integer"}, "duplicate_count": {"type": "integer"}}}
_MEMBER_MAPPING = {"dynamic": "strict", "properties": {
    "event_id": {"type": "keyword"}, "lang": {"type": "keyword"}, "story_id": {"type": "keyword"},
    "at": {"type": "date"}, "duplicate_of": {"type": "keyword"},
    "signature": {"type": "keyword", "index": False, "doc_values": False}, "bands": {"type": "keyword"},
    "reason": {"type": "keyword"}, "score": {"type": "float"}, "assigned_at": {"type": "date"}}}


class AssignmentBusy(RuntimeError):
    """Another run is assigning events right now."""


@dataclass
class AssignmentReport:
    placed: int = 0
    new_events: int = 0
    joined: int = 0
    duplicates: int = 0
    same_story: int = 0
    restored: int = 0
    seconds: float = 0.0
    by_reason: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"placed": self.placed, "new_events": self.new_events, "joined": self.joined,
                "duplicates": self.duplicates, "same_story": self.same_story, "restored": self.restored,
                "seconds": round(self.seconds, 3)}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class EventStore:
    """Events and placements of the article alias ``alias``; also the :class:`EventSource` of the assigner."""

    def __init__(self, client: Elasticsearch, alias: str):
        self.client = client
        self.alias = alias
        self.events_index = alias + EVENTS_SUFFIX
        self.members_index = alias + MEMBERS_SUFFIX
        self.lease_index = alias + _LEASE_SUFFIX

    def ensure_indices(self) -> None:
        for index, mapping in ((self.events_index, _EVENT_MAPPING), (self.members_index, _MEMBER_MAPPING)):
            ensure_own_index(self.client, index, mapping)
        self._ensure_article_fields()

    def _ensure_article_fields(self) -> None:
        """An article index from before events (mapping version 2) gets the two fields, added in place."""
        mappings = self.client.indices.get_mapping(index=self.alias)
        for index, body in mappings.items():
            if "event_id" not in body["mappings"].get("properties", {}):
                self.client.indices.put_mapping(index=index, properties={
                    "event_id": {"type": "keyword"}, "duplicate_of": {"type": "keyword"}})
                log.info("added event_id and duplicate_of to %s (its articles get events now; `newsmon index "
                         "migrate` moves it to the current mapping version)", index)

    # -- the EventSource protocol -----------------------------------------------------------------------------
    def prepare(self, bands: set[str], story_ids: set[str], start: datetime, end: datetime) -> None:
        """Load at once what a batch of articles will ask about: the members sharing a band, the events of its
        stories, the events seen between ``start`` and ``end``; the lookups below then read these."""
        self._by_band: dict[str, list[Member]] = {}
        for hit in self._scan(self.members_index, {"terms": {"bands": sorted(bands)}} if bands else None):
            member = _member(hit["_id"], hit["_source"])
            for band in set(member.bands) & bands:
                self._by_band.setdefault(band, []).append(member)
        self._story_events = {}
        for hit in self._scan(self.members_index, {"terms": {"story_id": sorted(story_ids)}} if story_ids else None,
                              source=["story_id", "event_id"]):
            self._story_events.setdefault(hit["_source"]["story_id"], hit["_source"]["event_id"])
        self._window = (start, end)
        self._events = [_event(h["_id"], h["_source"]) for h in self._scan(self.events_index, {"bool": {"filter": [
            {"range": {"last_seen": {"gte": _iso(start)}}}, {"range": {"first_seen": {"lte": _iso(end)}}}]}})]

    def _scan(self, index: str, query: dict | None, source: list[str] | None = None) -> list[dict]:
        if query is None:
            return []
        return list(helpers.scan(self.client, index=index, query={"query": query}, source=source or True, size=1000))

    def members(self, article_ids: list[str]) -> dict[str, Member]:
        if not article_ids:
            return {}
        found = self.client.mget(index=self.members_index, ids=article_ids)
        return {d["_id"]: _member(d["_id"], d["_source"]) for d in found["docs"] if d.get("found")}

    def duplicate_candidates(self, bands: list[str], lang: str) -> list[Member]:
        if not bands:
            return []
        if getattr(self, "_by_band", None) is not None:
            found = {m.article_id: m for band in bands for m in self._by_band.get(band, ()) if m.lang == lang}
            return list(found.values())
        response = self.client.search(index=self.members_index, size=20, query={"bool": {"filter": [
            {"terms": {"bands": bands}}, {"term": {"lang": lang}}]}})
        return [_member(h["_id"], h["_source"]) for h in response["hits"]["hits"]]

    def story_events(self, story_ids: list[str]) -> dict[str, str]:
        if not story_ids:
            return {}
        if getattr(self, "_story_events", None) is not None:
            return {s: self._story_events[s] for s in story_ids if s in self._story_events}
        response = self.client.search(index=self.members_index, size=len(story_ids) * 10,
                                      query={"terms": {"story_id": story_ids}}, source=["story_id", "event_id"])
        return {h["_source"]["story_id"]: h["_source"]["event_id"] for h in response["hits"]["hits"]}

    def candidate_events(self, start: datetime, end: datetime, themes: list[str]) -> list[Event]:
        window = getattr(self, "_window", None)
        if window is not None and window[0] <= start and end <= window[1]:
            wanted = set(themes)
            return [e for e in self._events if e.last_seen >= start and e.first_seen <= end
                    and (not wanted or wanted & e.themes)]
        filters: list[dict] = [{"range": {"last_seen": {"gte": _iso(start)}}},
                               {"range": {"first_seen": {"lte": _iso(end)}}}]
        if themes:
            filters.append({"terms": {"themes": themes}})
        response = self.client.search(index=self.events_index, size=200, query={"bool": {"filter": filters}},
                                      sort=[{"last_seen": "desc"}])
        return [_event(h["_id"], h["_source"]) for h in response["hits"]["hits"]]

    def event(self, event_id: str) -> Event | None:
        try:
            found = self.client.get(index=self.events_index, id=event_id)
        except NotFoundError:
            return None
        return _event(found["_id"], found["_source"])

    def document_frequencies(self) -> tuple[int, dict[str, int]]:
        """How many recent articles there are, and in how many each theme and actor appears."""
        response = self.client.search(index=self.alias, size=0, track_total_hits=True,
                                      query={"range": {"indexed_at": {"gte": _DF_WINDOW}}},
                                      aggs={"themes": {"terms": {"field": "themes", "size": 500}},
                                            "actors": {"terms": {"field": "actors", "size": 2000}}})
        aggs = response["aggregations"]
        df = {f"t:{b['key']}": b["doc_count"] for b in aggs["themes"]["buckets"]}
        df.update({f"a:{b['key']}": b["doc_count"] for b in aggs["actors"]["buckets"]})
        return response["hits"]["total"]["value"], df

    # -- a run --------------------------------------------------------------------------------------------------
    def assign_pending(self) -> AssignmentReport:
        """Place every article of the alias that has no event yet, oldest first; write what was decided."""
        started = time.perf_counter()
        self.ensure_indices()
        report = AssignmentReport()
        with self._lease():
            self.client.indices.refresh(index=self.alias)
            assigner = EventAssigner(self)
            for chunk in self._unplaced():
                self._by_band = self._story_events = self._window = None
                decisions = assigner.assign(chunk)
                self._write(assigner, decisions)
                for decision in decisions:
                    report.by_reason[decision.reason] = report.by_reason.get(decision.reason, 0) + 1
                assigner.new_members.clear()
                assigner.events.clear()
        reasons = report.by_reason
        report.new_events, report.joined = reasons.get("new", 0), reasons.get("joined", 0)
        report.duplicates, report.same_story = reasons.get("duplicate", 0), reasons.get("story", 0)
        report.restored = reasons.get("decided-before", 0)
        report.placed = sum(reasons.values())
        report.seconds = time.perf_counter() - started
        if report.placed:
            log.info("events: %s", report.to_dict())
        return report

    def _unplaced(self) -> Iterator[list[dict]]:
        """Articles without an event, in chunks (each chunk is written before the next is read)."""
        while True:
            response = self.client.search(index=self.alias, size=_CHUNK, source=_ARTICLE_FIELDS,
                                          query={"bool": {"must_not": [{"exists": {"field": "event_id"}}]}},
                                          sort=[{"published": {"order": "asc", "missing": "_last"}},
                                                {"indexed_at": "asc"}, {"canonical_url": "asc"}])
            hits = response["hits"]["hits"]
            if not hits:
                return
            yield [{"_id": h["_id"], **h["_source"]} for h in hits]
            if len(hits) < _CHUNK:
                return

    def _write(self, assigner: EventAssigner, decisions: list[Decision]) -> None:
        """The decisions first (members), then the events, then the articles' copies of them."""
        now = _iso(datetime.now(UTC))
        actions = [{"_op_type": "create", "_index": self.members_index, "_id": m.article_id,
                    "_source": _member_source(m, now)} for m in assigner.new_members.values()]
        actions += [{"_op_type": "index", "_index": self.events_index, "_id": e.id, "_source": _event_source(e, now)}
                    for e in assigner.events.values()]
        actions += [{"_op_type": "update", "_index": self.alias, "_id": d.article_id,
                     "doc": {"event_id": d.event_id, "duplicate_of": d.duplicate_of}} for d in decisions]
        errors = []
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, chunk_size=500):
            result = next(iter(item.values()))
            if not ok and result.get("status") != 409:  # 409: a member recorded by an earlier, interrupted run
                errors.append(result)
        if errors:
            raise ServiceUnavailable(f"could not record {len(errors)} event placement(s), e.g. {errors[0]}; the "
                                     "articles stay without an event and are placed by the next run")
        for index in (self.members_index, self.events_index, self.alias):
            self.client.indices.refresh(index=index)

    # -- the lease ------------------------------------------------------------------------------------------------
    class _Lease:
        def __init__(self, store: EventStore):
            self.store = store
            self.owner = f"{socket.gethostname()}:{os.getpid()}:{time.time_ns()}"

        def __enter__(self):
            client, index = self.store.client, self.store.lease_index
            ensure_own_index(client, index, {"properties": {"owner": {"type": "keyword"}, "expires": {"type": "date"}}})
            body = {"owner": self.owner, "expires": _iso(datetime.now(UTC) + LEASE_TTL)}
            try:
                client.create(index=index, id="assign", document=body, refresh=True)
                return self
            except ConflictError:
                held = client.get(index=index, id="assign")
                if _time(held["_source"]["expires"]) > datetime.now(UTC):
                    raise AssignmentBusy(f"events are being assigned by {held['_source']['owner']} (lease until "
                                         f"{held['_source']['expires']}); this run leaves it to them") from None
                try:  # an expired lease: take it over, unless another run did first
                    client.index(index=index, id="assign", document=body, if_seq_no=held["_seq_no"],
                                 if_primary_term=held["_primary_term"], refresh=True)
                except ConflictError:
                    raise AssignmentBusy("another run took over the expired event lease first") from None
                log.warning("took over an expired event-assignment lease of %s", held["_source"]["owner"])
                return self

        def __exit__(self, *exc_info):
            self.store.client.options(ignore_status=404).delete(index=self.store.lease_index, id="assign",
                                                                refresh=True)
            return False

    def _lease(self) -> EventStore._Lease:
        return EventStore._Lease(self)


def _member(article_id: str, source: dict) -> Member:
    return Member(article_id, source["event_id"], source.get("lang") or "", source.get("story_id") or article_id,
                  _time(source["at"]), source.get("duplicate_of"), source.get("signature"), source.get("bands") or [],
                  source.get("reason") or "", source.get("score") or 0.0)


def _member_source(member: Member, now: str) -> dict:
    return {"event_id": member.event_id, "lang": member.lang, "story_id": member.story_id, "at": _iso(member.at),
            "duplicate_of": member.duplicate_of, "signature": member.signature, "bands": member.bands,
            "reason": member.reason, "score": member.score, "assigned_at": now}


def _event(event_id: str, source: dict) -> Event:
    return Event(event_id, _time(source["first_seen"]), _time(source["last_seen"]), dict(source.get("centroid") or {}),
                 set(source.get("themes") or []), set(source.get("actors") or []), dict(source.get("titles") or {}),
                 set(source.get("sources") or []), set(source.get("languages") or []),
                 set(source.get("story_ids") or []), source.get("article_count") or 0,
                 source.get("duplicate_count") or 0)


def _event_source(event: Event, now: str) -> dict:
    first_title = next(iter(event.titles.values()), "")
    return {"title": first_title, "titles": event.titles, "first_seen": _iso(event.first_seen),
            "last_seen": _iso(event.last_seen), "updated_at": now,
            "centroid": {k: round(v, 6) for k, v in event.centroid.items()}, "themes": sorted(event.themes),
            "actors": sorted(event.actors), "sources": sorted(event.sources), "languages": sorted(event.languages),
            "story_ids": sorted(event.story_ids), "article_count": event.article_count,
            "duplicate_count": event.duplicate_count}
