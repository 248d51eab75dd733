"""Background services the CLI leaves running (the local Elasticsearch node, the SMTP sink): reading
``/proc`` and the small JSON record that lets a later command find, reuse or stop such a process."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from newsmon.crawl.state import atomic_write_bytes

__all__ = ["is_zombie", "proc_stat", "process_start_time", "read_process_record", "write_process_record"]


def proc_stat(pid: int | str) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name: state, ppid, pgrp, … (empty if gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return []


def process_start_time(pid: int) -> int | None:
    """When ``pid`` started (clock ticks since boot): tells a recorded process from a reused pid."""
    fields = proc_stat(pid)
    try:
        return int(fields[19]) if fields else None
    except (IndexError, ValueError):
        return None


def is_zombie(pid: int) -> bool:
    fields = proc_stat(pid)
    return bool(fields) and fields[0] == "Z"


def write_process_record(path: Path, pid: int, **details) -> dict:
    """Record a background process (with its start time) atomically at ``path``; returns the record."""
    record = {"pid": pid, "start_time": process_start_time(pid), **details}
    atomic_write_bytes(Path(path), json.dumps(record, indent=2).encode("utf-8"))
    return record


def read_process_record(path: Path) -> dict | None:
    """The record at ``path`` if its process is still the one recorded (same pid and start time), else None."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        record = json.loads(Path(path).read_text())
        if process_start_time(record["pid"]) == record["start_time"]:
            return record
    return None
