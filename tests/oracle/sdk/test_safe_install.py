"""`oracle safe install` on an existing Safe (real Safe 1.4.1 and guard on Anvil)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account import Account
from typer.testing import CliRunner

from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.cli import app
from oracle.sdk.safe_deploy import deploy_safe
from oracle.validator.keys import write_keystore
from tests.support.sdk_voting import fund

GUARD_SLOT = 0x4A204F620C8C5CCDCA3FD54D003BADD85BA500436A431F0CBDA4F558C93C34C8
PASSWORD = "owner-test-password"


@pytest.fixture
def safe_and_keystores(client: OracleClient, tmp_path: Path) -> tuple[str, list[Path]]:
    owners = [Account.create() for _ in range(3)]
    fund(client, owners[0])
    deployed = deploy_safe(client.w3, owners[0], [o.address for o in owners], 2)
    keystores = []
    for i, owner in enumerate(owners[:2]):
        path = tmp_path / f"owner{i}.json"
        write_keystore(path, owner.key, PASSWORD, light=True)
        keystores.append(path)
    return deployed.proxy, keystores


def test_safe_install__without_keys__prints_the_transactions_to_propose(
    deployment: Deployment, safe_and_keystores, client: OracleClient
) -> None:  # type: ignore[no-untyped-def]
    safe, _ = safe_and_keystores
    args = ["safe", "install", "--safe", safe, "-d", str(deployment.path), "--rpc"]
    result = CliRunner().invoke(
        app, [*args, client.w3.provider.endpoint_uri, "--control-delay", "3600"]
    )  # type: ignore[attr-defined]

    assert result.exit_code == 0, result.output
    assert "1. accept model 0x" + "ab" * 32 in result.output
    assert "2. control delay 3600 s" in result.output
    assert "3. install the guard" in result.output
    assert int.from_bytes(client.w3.eth.get_storage_at(safe, GUARD_SLOT), "big") == 0


def test_safe_install__with_two_owner_keystores__guard_installed_and_model_accepted(
    deployment: Deployment, safe_and_keystores, client: OracleClient, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    safe, keystores = safe_and_keystores
    monkeypatch.setenv("ORACLE_OWNER_PASSWORD", PASSWORD)
    rpc = client.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    args = ["safe", "install", "--safe", safe, "-d", str(deployment.path), "--rpc", rpc]
    for path in keystores:
        args += ["--owner-keystore", str(path)]

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 0, result.output
    guard = deployment.address("OracleSafeGuard")
    installed = client.w3.eth.get_storage_at(safe, GUARD_SLOT)[-20:]
    assert installed == bytes.fromhex(guard[2:])
    contract = client.w3.eth.contract(address=guard, abi=deployment.abi("OracleSafeGuard"))
    assert contract.functions.isModelAccepted(safe, bytes.fromhex("ab" * 32)).call()


def test_safe_install__missing_deployment__one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["safe", "install", "--safe", "0x" + "11" * 20, "-d", str(tmp_path / "nope.json")]
    )

    assert result.exit_code == 1
    assert "error: deployment file" in result.output
