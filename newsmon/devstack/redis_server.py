"""Debian's ``redis-server`` as a plain child process on a free loopback port, with nothing persisted: the
Celery broker of the distributed tests (``make servers`` installs the package)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from newsmon.devstack.local_server import LocalServer, ServerStartError
from newsmon.devstack.processes import free_port

__all__ = ["RedisServer"]


class RedisServer(LocalServer):
    """``with RedisServer(directory) as redis: redis.url`` — Redis on 127.0.0.1, no RDB, no AOF."""

    name = "redis"

    def __init__(self, directory: Path, port: int | None = None):
        super().__init__(directory)
        self.port = port or free_port()
        self.executable = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin:/usr/sbin")
        if not self.executable:
            raise ServerStartError("redis-server is not installed: run `make servers` "
                                   "(apt-get install -y redis-server)")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", ""]

    def is_ready(self) -> bool:
        return self._ask(b"PING") == b"+PONG"

    def ask_to_stop(self) -> None:
        self._ask(b"SHUTDOWN NOSAVE")

    def _ask(self, command: bytes) -> bytes:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
                connection.sendall(command + b"\r\n")
                return connection.recv(64).strip()
        except OSError:
            return b""
