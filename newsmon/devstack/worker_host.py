"""The host name a Celery worker of :mod:`newsmon.devstack.airflow_cluster` reports for its task instances
(Airflow's ``[core] hostname_callable``): ``NEWSMON_WORKER_HOSTNAME``, else the machine's. Two workers on one
machine then show as two hosts in ``TaskInstance.hostname``."""

from __future__ import annotations

import os
import socket

__all__ = ["hostname"]


def hostname() -> str:
    return os.environ.get("NEWSMON_WORKER_HOSTNAME") or socket.getfqdn()
