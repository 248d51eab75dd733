"""The Airflow environment newsmon starts its Airflow processes with."""

from __future__ import annotations

import stat
from pathlib import Path

from newsmon.devstack.airflow_runner import airflow_environment, jwt_secret


def test_the_token_key_is_long_private_and_the_same_for_every_process_of_a_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("AIRFLOW__API_AUTH__JWT_SECRET", raising=False)
    first = airflow_environment(tmp_path / "home")["AIRFLOW__API_AUTH__JWT_SECRET"]
    assert len(first) >= 64  # 64 random bytes, url-safe base64: PyJWT wants at least 64 bytes for HS512
    assert jwt_secret(tmp_path / "home") == first
    assert stat.S_IMODE((tmp_path / "home" / "jwt_secret").stat().st_mode) == 0o600
    assert jwt_secret(tmp_path / "other") != first
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["jwt_secret"]  # no draft left behind


def test_a_key_set_by_the_operator_wins(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW__API_AUTH__JWT_SECRET", "from-the-operator")
    assert airflow_environment(tmp_path)["AIRFLOW__API_AUTH__JWT_SECRET"] == "from-the-operator"
    assert not (tmp_path / "jwt_secret").exists()
