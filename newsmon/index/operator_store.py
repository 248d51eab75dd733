"""Operator alerts in ``<alias>-operator-alerts``: the state of each (source, check) and the notices it sent.

Two kinds of documents:

``state`` — one per (source, check), id ``state:<source>:<check>``: ``open`` or ``clear``, the ``episode`` number
    (how many times it has started), when it opened or cleared, the finding's message and figures.
``notice`` — one per (source, check, episode, transition), id ``notice:<source>:<check>:<episode>:<started|cleared>``:
    created once (``op_type=create``) when the state changes, ``pending`` until a channel took it (``sent``, with
    the destination and receipt) or, with no operator channel configured, ``logged``. A run that finds it
    pending sends it (claimed first, so two runs do not send it together); a refused send leaves it pending with
    the error, for the next run.

The notice is created before the state is written, with an id fixed by the episode: a run that dies between the
two writes, or runs twice, creates nothing twice. The notices are the history the monitor page shows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from newsmon.index.connection import ensure_own_index

__all__ = ["CLEAR", "CLEARED", "LOGGED", "OPEN", "OPERATOR_SUFFIX", "PENDING", "SENT", "STARTED",
           "OperatorAlertStore", "operator_index"]

OPERATOR_SUFFIX = "-operator-alerts"
OPEN, CLEAR = "open", "clear"
STARTED, CLEARED = "started", "cleared"
PENDING, SENT, LOGGED = "pending", "sent", "logged"

_MAPPING = {"dynamic": "strict", "properties": {
    "kind": {"type": "keyword"}, "source": {"type": "keyword"}, "check": {"type": "keyword"},
    "title": {"type": "keyword"}, "status": {"type": "keyword"}, "episode": {"type": "integer"},
    "transition": {"type": "keyword"}, "message": {"type": "text"}, "detail": {"type": "object", "enabled": False},
    "opened_at": {"type": "date"}, "cleared_at": {"type": "date"}, "at": {"type": "date"},
    "created_at": {"type": "date"}, "claimed_at": {"type": "date"}, "sent_at": {"type": "date"},
    "destination": {"type": "keyword"}, "receipt": {"type": "keyword"}, "attempts": {"type": "integer"},
    "last_error": {"type": "text"}}}


def operator_index(alias: str) -> str:
    return alias + OPERATOR_SUFFIX


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def notice_id(source: str, check: str, episode: int, transition: str) -> str:
    return f"notice:{source}:{check}:{episode}:{transition}"


class OperatorAlertStore:
    def __init__(self, client: Elasticsearch, index: str):
        self.client = client
        self.index = index

    def ensure_index(self) -> None:
        ensure_own_index(self.client, self.index, _MAPPING)

    def exists(self) -> bool:
        return bool(self.client.indices.exists(index=self.index))

    # -- state changes ------------------------------------------------------------------------------------------
    def states(self) -> dict[tuple[str, str], dict]:
        """(source, check) → its state document (only those that ever opened)."""
        return {(s["source"], s["check"]): s for s in self._search({"term": {"kind": "state"}},
                                                                   [{"source": "asc"}], 10000)}

    def open(self, source: str, check: str, title: str, episode: int, message: str, detail: dict,
             at: datetime) -> None:
        """Episode ``episode`` of (source, check) started at ``at``: its notice, then the state."""
        self._notice(source, check, title, episode, STARTED, message, detail, at)
        self.client.index(index=self.index, id=f"state:{source}:{check}", refresh=True, document={
            "kind": "state", "source": source, "check": check, "title": title, "status": OPEN, "episode": episode,
            "opened_at": _iso(at), "cleared_at": None, "message": message, "detail": detail})

    def update_finding(self, state: dict, message: str, detail: dict) -> None:
        """An open alert's current figures (the streak grew, the silence lengthened): shown, not sent."""
        self.client.update(index=self.index, id=f"state:{state['source']}:{state['check']}", refresh=True,
                           doc={"message": message, "detail": detail})

    def clear(self, state: dict, message: str, at: datetime) -> None:
        """The open episode of ``state`` cleared at ``at``: its notice, then the state."""
        self._notice(state["source"], state["check"], state["title"], state["episode"], CLEARED, message,
                     state.get("detail") or {}, at)
        self.client.update(index=self.index, id=f"state:{state['source']}:{state['check']}", refresh=True,
                           doc={"status": CLEAR, "cleared_at": _iso(at)})

    def _notice(self, source: str, check: str, title: str, episode: int, transition: str, message: str,
                detail: dict, at: datetime) -> None:
        try:
            self.client.create(index=self.index, id=notice_id(source, check, episode, transition), refresh=True,
                               document={"kind": "notice", "source": source, "check": check, "title": title,
                                         "episode": episode, "transition": transition, "message": message,
                                         "detail": detail, "status": PENDING, "at": _iso(at),
                                         "created_at": _iso(datetime.now(UTC)), "attempts": 0})
        except ConflictError:
            pass  # an earlier run created it and died before writing the state: it stands, pending or sent

    # -- delivery -------------------------------------------------------------------------------------------------
    def pending(self) -> list[dict]:
        """The notices no channel took yet, oldest first."""
        return self._search({"bool": {"filter": [{"term": {"kind": "notice"}}, {"term": {"status": PENDING}}]}},
                            [{"at": "asc"}, {"episode": "asc"}, {"transition": "desc"}], 10000)

    def claim(self, key: str, lease_seconds: float) -> bool:
        """Take the pending notice ``key`` for sending; ``False`` if it is sent, or another run claimed it less
        than ``lease_seconds`` ago (a run that died after claiming leaves it to the next one after that)."""
        try:
            found = self.client.get(index=self.index, id=key)
        except NotFoundError:
            return False
        notice, now = found["_source"], datetime.now(UTC)
        claimed = notice.get("claimed_at")
        if notice.get("status") != PENDING or (
                claimed and datetime.fromisoformat(claimed) > now - timedelta(seconds=lease_seconds)):
            return False
        try:
            self.client.update(index=self.index, id=key, if_seq_no=found["_seq_no"],
                               if_primary_term=found["_primary_term"], refresh=True,
                               doc={"claimed_at": _iso(now), "attempts": int(notice.get("attempts") or 0) + 1})
        except ConflictError:
            return False
        return True

    def mark(self, key: str, status: str, destination: str | None, receipt: str | None = None) -> None:
        """The notice went out (``sent``) or was only logged (``logged``)."""
        self.client.update(index=self.index, id=key, refresh=True, doc={
            "status": status, "destination": destination, "receipt": receipt, "sent_at": _iso(datetime.now(UTC)),
            "claimed_at": None, "last_error": None})

    def mark_failed(self, key: str, destination: str, error: str) -> None:
        """The channel refused it: it stays pending (claim released) for the next run."""
        self.client.update(index=self.index, id=key, refresh=True, doc={
            "destination": destination, "claimed_at": None, "last_error": error[:2000]})

    # -- reading ------------------------------------------------------------------------------------------------------
    def open_alerts(self) -> list[dict]:
        return self._search({"bool": {"filter": [{"term": {"kind": "state"}}, {"term": {"status": OPEN}}]}},
                            [{"source": "asc"}, {"check": "asc"}], 10000)

    def notices(self, source: str | None = None, per_source: int = 10) -> list[dict]:
        """The latest ``per_source`` notices of each source (or of ``source``), newest first within a source."""
        if not self.exists():
            return []
        filters: list[dict] = [{"term": {"kind": "notice"}}]
        if source:
            filters.append({"term": {"source": source}})
        response = self.client.search(index=self.index, size=0, query={"bool": {"filter": filters}}, aggs={
            "sources": {"terms": {"field": "source", "size": 10000, "order": {"_key": "asc"}},
                        "aggs": {"latest": {"top_hits": {"size": per_source, "sort": [
                            {"at": "desc"}, {"episode": "desc"}, {"transition": "asc"}]}}}}})
        return [{"key": hit["_id"], **hit["_source"]} for bucket in response["aggregations"]["sources"]["buckets"]
                for hit in bucket["latest"]["hits"]["hits"]]

    def _search(self, query: dict, sort: list, size: int) -> list[dict]:
        if not self.exists():
            return []
        response = self.client.search(index=self.index, size=size, query=query, sort=sort)
        return [{"key": hit["_id"], **hit["_source"]} for hit in response["hits"]["hits"]]
