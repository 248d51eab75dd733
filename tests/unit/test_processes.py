"""Stopping a background process group leaves nothing behind, not even the leader's zombie."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from newsmon.devstack.processes import group_members, terminate_group


def test_a_leader_that_exits_between_two_checks_is_still_collected() -> None:
    # The leader exits on its own; the first collection attempt comes too early (as it can in real life, when
    # the process dies between the reap and the look at /proc). The group is then empty of live processes
    # but the leader is a zombie, which must be collected before terminate_group returns.
    leader = subprocess.Popen(["true"], start_new_session=True)
    deadline = time.monotonic() + 10
    while not _is_zombie(leader.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _is_zombie(leader.pid)
    calls = []

    def late_reap() -> None:
        calls.append(None)
        if len(calls) > 1:
            leader.poll()

    terminate_group(leader.pid, 5.0, late_reap, "a test child")
    assert group_members(leader.pid) == []
    with pytest.raises(ProcessLookupError):
        os.kill(leader.pid, 0)


def test_a_group_that_ignores_sigterm_is_killed() -> None:
    leader = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 60 & wait"], start_new_session=True)
    time.sleep(0.3)
    terminate_group(leader.pid, 0.5, leader.poll, "a stubborn child", kill_wait=5.0)
    assert leader.returncode is not None and group_members(leader.pid) == []


def _is_zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def test_a_leader_whose_main_thread_ended_first_still_counts_as_running() -> None:
    # A JVM shutting down can end its main thread before the others: /proc then shows the leader as a zombie
    # ("Z") although the process still runs. It must be waited for, then collected.
    program = (
        "import ctypes, signal, threading, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "threading.Thread(target=time.sleep, args=(1.5,)).start()\n"
        "ctypes.CDLL(None).pthread_exit(None)\n"
    )
    leader = subprocess.Popen([sys.executable, "-c", program], start_new_session=True)
    deadline = time.monotonic() + 10
    while not _is_zombie(leader.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _is_zombie(leader.pid), "the main thread did not end first"
    assert group_members(leader.pid) == [leader.pid]  # a "Z" leader with a live thread is running
    started = time.monotonic()
    terminate_group(leader.pid, 10.0, leader.poll, "a test child")
    assert time.monotonic() - started > 0.5  # it waited for the last thread (SIGTERM is ignored)
    assert leader.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(leader.pid, 0)
