"""A server program (Redis, PostgreSQL) run by the tests as a plain child process on loopback: started in its
own session (its process group is its pid), waited for until it answers, stopped with everything it forked.

Subclasses say how to start the program (:meth:`LocalServer.command`), how to tell it answers
(:meth:`LocalServer.is_ready`) and, if it has one, how to ask it to shut down first (:meth:`LocalServer.ask_to_stop`).
"""

from __future__ import annotations

import logging
import subprocess
import time
from pathlib import Path
from typing import Self

from newsmon.devstack.processes import terminate_group

__all__ = ["LocalServer", "ServerStartError"]

log = logging.getLogger(__name__)


class ServerStartError(RuntimeError):
    """The server exited or did not answer in time; the message holds the end of its log."""


class LocalServer:
    """``with Server(directory) as server:`` — one server process whose files (data, log) live in ``directory``."""

    #: What the log and the errors call it.
    name = "server"
    #: Seconds between a polite stop request and the SIGTERM/SIGKILL of the whole group.
    stop_grace = 15.0

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.log_path = self.directory / f"{self.name}.log"
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None

    # -- what subclasses say ----------------------------------------------------------------------------------
    def command(self) -> list[str]:
        raise NotImplementedError

    def is_ready(self) -> bool:
        raise NotImplementedError

    def prepare(self) -> None:
        """Make the server's files before its first start (e.g. ``initdb``)."""

    def popen_options(self) -> dict:
        """Extra ``subprocess.Popen`` arguments (e.g. another ``user``)."""
        return {}

    def after_start(self) -> None:
        """Set-up once the server answers (e.g. create a database)."""

    def ask_to_stop(self) -> None:
        """Ask the server to shut down on its own (default: nothing; the group gets SIGTERM)."""

    # -- life cycle ---------------------------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> Self:
        started = time.monotonic()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prepare()
        with self.log_path.open("ab") as output:
            self.process = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=output,
                                            stderr=subprocess.STDOUT, start_new_session=True, cwd=self.directory,
                                            **self.popen_options())
        try:
            self._wait_ready(timeout)
            self.after_start()
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        log.info("%s ready in %.2fs (pid %d, log %s)", self.name, self.startup_seconds, self.process.pid,
                 self.log_path)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if self.process.poll() is not None:
                raise ServerStartError(f"{self.name} exited with status {self.process.returncode} on start "
                                       f"({' '.join(self.command())}); see {self.log_path}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise ServerStartError(f"{self.name} did not answer within {timeout:.0f}s; see {self.log_path}:\n"
                                       f"{self.log_tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Ask the server to stop, then SIGTERM and SIGKILL whatever is left of its process group."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            try:
                self._ask_and_wait(process)
            except Exception as exc:  # a failed polite request must not keep the group alive
                log.warning("%s: stop request failed (%s); terminating its process group", self.name, exc)
        terminate_group(process.pid, self.stop_grace, process.poll, self.name, kill_wait=5.0)
        self.process = None
        self.cleanup()

    def cleanup(self) -> None:
        """Remove what the server left that nobody asked to keep (default: nothing)."""

    def _ask_and_wait(self, process: subprocess.Popen) -> None:
        self.ask_to_stop()
        try:
            process.wait(timeout=self.stop_grace)
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %.0fs of the request", self.name, self.stop_grace)

    def __enter__(self) -> Self:
        return self.start() if self.process is None else self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
