"""The offline replay site: a replica of the monitored sources served over real HTTP on loopback.

The crawler reads the real sources file (``config/sources.yaml``) through it as a mirror (``mirror_url``, see
:mod:`newsmon.crawl.mirror`), without the politeness delays a real site needs: :func:`replay_settings` gives
those settings as ``NEWSMON_*`` variables (for Airflow and subprocesses), :data:`REPLAY_OVERRIDES` the
per-source override for ``load_settings``.
"""

import json

from newsmon.devstack.replay.server import ReplayServer, start_replay_server
from newsmon.settings import PROJECT_ROOT

__all__ = ["REPLAY_OVERRIDES", "REPLAY_SOURCES", "ReplayServer", "replay_settings", "start_replay_server"]

#: The sources file the replay site copies: the real one.
REPLAY_SOURCES = PROJECT_ROOT / "config" / "sources.yaml"
#: No delay between requests: the replay site is ours, on loopback.
REPLAY_OVERRIDES = {"*": {"politeness": {"min_delay_seconds": 0.0}}}


def replay_settings(base_url: str, overrides: dict | None = None) -> dict[str, str]:
    """The ``NEWSMON_*`` variables that crawl the real sources through the replay site at ``base_url``.

    ``overrides`` are merged into :data:`REPLAY_OVERRIDES` (e.g. ``{"newarab": {"politeness":
    {"timeout_seconds": 1}}}``).
    """
    merged = {**REPLAY_OVERRIDES, **(overrides or {})}
    return {"NEWSMON_SOURCES_FILE": str(REPLAY_SOURCES), "NEWSMON_MIRROR_URL": base_url,
            "NEWSMON_SOURCE_OVERRIDES": json.dumps(merged)}
