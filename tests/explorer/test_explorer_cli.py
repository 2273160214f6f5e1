"""`oracle explorer` refuses to start with a clear message when it cannot work."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from typer.testing import CliRunner

from oracle.cli import app
from tests.support.oracle_scenario import OracleScenario


def test_explorer__missing_deployment__says_run_deploy(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["explorer", "--deployment", str(tmp_path / "nope.json")])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "ape run deploy" in result.output


def test_explorer__chain_unreachable__names_the_url(scenario: OracleScenario) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    args = ["explorer", "--deployment", str(scenario.deployment_path), "--rpc", dead]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert f"cannot reach the chain at {dead}" in result.output


def test_explorer__no_contract_at_address__says_the_chain_was_reset(
    scenario: OracleScenario, tmp_path: Path
) -> None:
    document = json.loads(scenario.deployment_path.read_text())
    document["contracts"]["VerdictOracle"] = "0x" + "12" * 20
    moved = tmp_path / "31337.json"
    moved.write_text(json.dumps(document))
    (tmp_path / "abi").symlink_to(scenario.deployment_path.parent / "abi")
    result = CliRunner().invoke(app, ["explorer", "--deployment", str(moved)])
    assert result.exit_code == 1
    assert "the chain was reset" in result.output


def test_explorer__port_taken__names_the_port(scenario: OracleScenario) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        args = ["explorer", "--deployment", str(scenario.deployment_path), "--port", str(port)]
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is taken" in result.output
