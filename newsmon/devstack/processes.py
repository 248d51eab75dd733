"""Background services the CLI leaves running (the local Elasticsearch node, the SMTP sink, the Airflow UI):
reading ``/proc``, stopping a process group, a free port, and the small JSON record that lets a later command
find, reuse or stop such a process."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from pathlib import Path

from newsmon.files import atomic_write_bytes

__all__ = ["descendants", "free_port", "processes_under", "group_members", "is_running", "proc_stat", "process_start_time",
           "read_process_record", "reap", "terminate_group", "write_process_record"]

log = logging.getLogger(__name__)


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


def is_running(fields: list[str]) -> bool:
    """Whether the process whose ``/proc/<pid>/stat`` fields these are still runs.

    A zombie has exited, unless it is a thread-group leader whose other threads still run: a JVM's main thread
    can end first while the rest of the process shuts down, and ``/proc`` shows the process as ``Z`` meanwhile.
    """
    if not fields:
        return False
    try:
        return fields[0] != "Z" or int(fields[17]) > 1  # fields[17]: the process's number of threads
    except (IndexError, ValueError):
        return fields[0] != "Z"


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


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def group_members(pgid: int) -> list[int]:
    """The processes of a process group that still run (see :func:`is_running`)."""
    return [int(pid) for pid in os.listdir("/proc") if pid.isdigit()
            if (fields := proc_stat(pid)) and int(fields[2]) == pgid and is_running(fields)]


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (children first found, grandchildren after), whatever their group."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = proc_stat(entry.name)
            if len(fields) > 1 and is_running(fields):
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, frontier = [], [pid]
    while frontier:
        children = parents.get(frontier.pop(), [])
        found += children
        frontier += children
    return found


def reap(pid: int) -> None:
    """Collect ``pid``'s exit status if it is our own child (no zombie left behind)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def terminate_group(pgid: int, timeout: float, reap_child: Callable[[], object], name: str,
                    kill_wait: float = 10.0) -> None:
    """SIGTERM a process group, wait up to ``timeout`` s, then SIGKILL whatever is left; ``reap_child`` collects
    our own child meanwhile. Raises ``RuntimeError`` if something survives SIGKILL."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, kill_wait)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            reap_child()
            if not group_members(pgid):
                reap_child()  # the leader may have exited since the call above: collect it now
                return
            time.sleep(0.2)
        log.warning("%s (process group %d) still runs after %s: escalating", name, pgid, sig.name)
    raise RuntimeError(f"{name}: processes {group_members(pgid)} of group {pgid} survived SIGKILL")


def processes_under(root: Path) -> list[str]:
    """The processes (but this one) whose working directory is under ``root``: what a harness left running."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if Path(os.readlink(entry / "cwd")).is_relative_to(root):
                    found.append(f"{entry.name}: {(entry / 'cmdline').read_bytes()[:200]!r}")
            except OSError:
                continue
    return found
