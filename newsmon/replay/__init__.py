"""The offline replay site: a replica of the monitored sources served over real HTTP on loopback."""

from newsmon.replay.server import ReplayServer, start_replay_server

__all__ = ["ReplayServer", "start_replay_server"]
