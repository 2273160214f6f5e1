"""`make demo` failures say what went wrong and what to do, before starting anything."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.chain.anvil import Anvil, LocalNodeError
from oracle.demo.settings import DemoSettings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield int(listener.getsockname()[1])


def run_demo(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "oracle.demo"],
        cwd=ROOT,
        env={**os.environ, "DEMO_EXIT": "1", "ORACLE_DEMO_WORKDIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_demo__explorer_port_taken__names_the_port_and_the_fix(
    tmp_path: Path, taken_port: int
) -> None:
    result = run_demo(tmp_path, ORACLE_DEMO_PORT=str(taken_port))
    assert result.returncode == 1
    assert f"port {taken_port} on 127.0.0.1 is taken" in result.stdout
    assert "set ORACLE_DEMO_PORT to a free port" in result.stdout


def test_demo__corrupt_model_folder__says_corrupt_and_how_to_fix(tmp_path: Path) -> None:
    model = tmp_path / "broken-model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    result = run_demo(tmp_path, ORACLE_DEMO_MODEL=str(model))
    assert result.returncode == 1
    assert f"model folder {model} is corrupt" in result.stdout
    assert "missing model.safetensors" in result.stdout.replace("\n", " ")


def test_demo__unknown_model_choice__lists_the_valid_ones(tmp_path: Path) -> None:
    result = run_demo(tmp_path, ORACLE_DEMO_MODEL="huge")
    assert result.returncode == 1
    assert "neither 'default', 'tiny' nor a checkpoint folder" in result.stdout


def test_settings__port_not_a_number__names_the_variable() -> None:
    with pytest.raises(SettingsError, match="ORACLE_DEMO_PORT='eighty'"):
        DemoSettings.from_env({"ORACLE_DEMO_PORT": "eighty"})


def test_settings__defaults__serve_on_8600_until_ctrl_c() -> None:
    settings = DemoSettings.from_env({})
    assert settings.explorer_port == 8600 and settings.exit_when_done is False
    assert settings.model == "default"


def test_anvil__port_taken__says_which_and_what_to_do(taken_port: int) -> None:
    with pytest.raises(LocalNodeError, match=f"port {taken_port} is taken"):
        Anvil(taken_port)
