"""Redis and PostgreSQL from Debian run as plain processes on free loopback ports, answer, and stop with nothing
left behind (PostgreSQL as the ``postgres`` user when the tests run as root)."""

from __future__ import annotations

import os

import psycopg2
import pytest
import redis

from newsmon.devstack.postgres_server import PostgresServer
from newsmon.devstack.processes import group_members
from newsmon.devstack.redis_server import RedisServer

pytestmark = pytest.mark.timeout(120)


def test_redis_answers_on_its_port_and_stops_with_its_group(tmp_path):
    with RedisServer(tmp_path / "redis") as server:
        pgid = server.process.pid
        client = redis.Redis.from_url(server.url)
        client.set("newsmon", "ok")
        assert client.get("newsmon") == b"ok"
    assert not group_members(pgid)
    assert not list((tmp_path / "redis").glob("*.rdb")), "nothing is persisted"


def test_postgres_serves_one_database_to_its_owner_and_stops_with_its_group():
    with PostgresServer() as server:
        pgid, directory = server.process.pid, server.directory
        if os.geteuid() == 0:
            assert os.stat(f"/proc/{pgid}").st_uid != 0, "PostgreSQL refuses root: it runs as postgres"
        with psycopg2.connect(host="127.0.0.1", port=server.port, user="airflow", password="airflow",
                              dbname="airflow") as connection, connection.cursor() as cursor:
            cursor.execute("CREATE TABLE probe (n int); INSERT INTO probe VALUES (1); SELECT n FROM probe")
            assert cursor.fetchall() == [(1,)]
        connection.close()
        assert server.url("asyncpg") == f"postgresql+asyncpg://airflow:airflow@127.0.0.1:{server.port}/airflow"
    assert not group_members(pgid)
    assert not directory.exists(), "its own temp folder is removed"
