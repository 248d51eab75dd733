"""Debian's PostgreSQL server as a plain child process on a free loopback port: ``initdb`` into a fresh
directory, ``postgres`` started directly (not through ``pg_ctl``, so it stays our child in its own process
group), one database with its owner. The metadata database of the distributed tests (``make servers``
installs the package).

PostgreSQL refuses to run as root: when we are root, ``initdb`` and the server run as the ``postgres`` user,
and the server's directory must be reachable by it (the default, a fresh directory under the system's temp
folder, is). The server is a throwaway: it runs without fsync.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from newsmon.devstack.local_server import LocalServer, ServerStartError
from newsmon.devstack.processes import free_port

__all__ = ["PostgresServer", "postgres_bin_dir"]


def postgres_bin_dir() -> Path:
    """The newest ``/usr/lib/postgresql/<version>/bin`` with ``initdb`` and ``postgres`` in it."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ServerStartError("PostgreSQL's server programs are not installed (no /usr/lib/postgresql/*/bin/initdb):"
                               " run `make servers` (apt-get install -y postgresql)")
    return Path(found[-1]).parent


class PostgresServer(LocalServer):
    """``with PostgresServer() as pg: pg.url("psycopg2")`` — PostgreSQL on 127.0.0.1 with one database."""

    name = "postgres"

    def __init__(self, directory: Path | None = None, port: int | None = None, database: str = "airflow",
                 user: str = "airflow", password: str = "airflow", max_connections: int = 200):
        super().__init__(Path(directory or tempfile.mkdtemp(prefix="newsmon-postgres-")))
        self.own_directory = directory is None  # a temp folder of our own, removed on stop
        self.port = port or free_port()
        self.database, self.user, self.password = database, user, password
        self.max_connections = max_connections
        self.bin_dir = postgres_bin_dir()
        self.data_dir = self.directory / "data"
        self.socket_dir = self.directory / "socket"
        self.run_as = pwd.getpwnam("postgres") if os.geteuid() == 0 else None

    def url(self, driver: str = "psycopg2") -> str:
        """The SQLAlchemy URL of the database (``driver`` ``psycopg2`` or ``asyncpg``)."""
        return f"postgresql+{driver}://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    # -- LocalServer ---------------------------------------------------------------------------------------------
    def prepare(self) -> None:
        self.directory.chmod(0o755)
        self.log_path.touch()
        for path in (self.data_dir, self.socket_dir):
            path.mkdir(exist_ok=True)
        if self.run_as:
            for path in (self.data_dir, self.socket_dir, self.log_path):
                os.chown(path, self.run_as.pw_uid, self.run_as.pw_gid)
            if not _reachable_by(self.directory, self.run_as):
                raise ServerStartError(f"the postgres user cannot reach {self.directory}: give every folder above it "
                                       "o+x, or let PostgresServer make its own temp folder")
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.chmod(0o700)
        done = subprocess.run([str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
                               "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                              capture_output=True, text=True, check=False, cwd=self.directory, **self.popen_options())
        if done.returncode:
            raise ServerStartError(f"initdb failed in {self.data_dir}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

    def popen_options(self) -> dict:
        if not self.run_as:
            return {}
        return {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": [],
                "env": {**os.environ, "HOME": self.run_as.pw_dir, "USER": "postgres", "LOGNAME": "postgres"}}

    def command(self) -> list[str]:
        return [str(self.bin_dir / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                "-k", str(self.socket_dir), "-c", "listen_addresses=127.0.0.1",
                "-c", f"max_connections={self.max_connections}", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]

    def is_ready(self) -> bool:
        return self._psql("SELECT 1", database="postgres", check=False).returncode == 0

    def after_start(self) -> None:
        exists = self._psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{self.user}'", database="postgres")
        if not exists.stdout.strip():
            self._psql(f"CREATE USER {self.user} PASSWORD '{self.password}'", database="postgres")
            self._psql(f"CREATE DATABASE {self.database} OWNER {self.user}", database="postgres")

    def ask_to_stop(self) -> None:
        os.kill(self.process.pid, signal.SIGINT)  # "fast" shutdown: disconnect clients, write a checkpoint

    def cleanup(self) -> None:
        if self.own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def _psql(self, sql: str, database: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([str(self.bin_dir / "psql"), "-h", str(self.socket_dir), "-p", str(self.port),
                               "-U", "postgres", "-d", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                              capture_output=True, text=True, check=False, timeout=30)
        if check and done.returncode:
            raise ServerStartError(f"psql failed ({sql}): {done.stderr.strip()}; see {self.log_path}")
        return done


def _reachable_by(directory: Path, user: pwd.struct_passwd) -> bool:
    """Whether ``user`` (not in our groups) may traverse every folder down to ``directory``."""
    for folder in [directory, *directory.parents]:
        info = folder.stat()
        if info.st_uid == user.pw_uid:
            continue
        if not info.st_mode & (0o010 if info.st_gid == user.pw_gid else 0o001):
            return False
    return True
