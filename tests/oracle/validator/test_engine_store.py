"""The engine and its store against the real contracts on Anvil: bound to one deployment and
operator, ingest in one transaction with the cursor, payload hashes checked before sealing."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from typer.testing import CliRunner

from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.chain.localdeploy import OracleParams, deploy
from oracle.chain.rpc import connect
from oracle.chain.submitter import Submitter
from oracle.cli import app
from oracle.validator.duties.payload_check import PayloadCheck, check_payloads
from oracle.validator.engine import Engine
from oracle.validator.keys import write_keystore
from oracle.validator.store_identity import StoreHoldsOtherPayloads, StoreIdentityMismatch
from tests.support.chain_fixtures import ROOT
from tests.support.commit_refusal import refused_commit_messages
from tests.support.legacy_store import write_v0_store
from tests.support.rpc_proxy import RpcProxy
from tests.support.timetravel import advance_to
from tests.support.validator_parts import engine_without_model


def _funded(client: OracleClient) -> Any:
    acct = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [acct.address, hex(10**21)])  # type: ignore[arg-type]
    return acct


@pytest.fixture(scope="module")
def redeployed(
    anvil_url: str, client: OracleClient, tmp_path_factory: pytest.TempPathFactory
) -> OracleClient:
    """A second deployment of the oracle on the same chain (what a redeploy leaves)."""
    params = OracleParams(roundDuration=30, revealDuration=30, modelHash="0x" + "ab" * 32)
    path = deploy(
        client.w3,
        _funded(client),
        tmp_path_factory.mktemp("redeployed"),
        params,
        anvil_url,
        artifacts=ROOT / ".build" / "__local__.json",
    )
    return OracleClient(connect(anvil_url), Deployment.load(path))


def _submit(client: OracleClient, account: Any, payloads: list[bytes]) -> list[int]:
    return [s.proposal_id for s in Submitter(client, account).submit(payloads)]


def test_engine__store_of_an_earlier_deployment_on_the_same_chain__refuses_at_start(
    client: OracleClient,
    redeployed: OracleClient,
    account: Any,
    tmp_path: Path,
) -> None:
    db = tmp_path / "validator.db"
    first = engine_without_model(client, account, db)
    first.ingest()  # the old deployment's payloads are in the store now
    first.store.close()

    with pytest.raises(StoreIdentityMismatch) as err:
        engine_without_model(redeployed, account, db)

    msg = str(err.value)
    assert "\n" not in msg
    assert f"oracle {client.address} in the store, {redeployed.address} now" in msg
    assert "set db_path to a new file" in msg


def test_engine__store_of_another_operator__refuses_at_start(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    db = tmp_path / "validator.db"
    engine_without_model(client, account, db).store.close()
    other = _funded(client)

    with pytest.raises(StoreIdentityMismatch) as err:
        engine_without_model(client, other, db)

    assert f"operator {account.address} in the store, {other.address} now" in str(err.value)


def test_engine__restart_on_its_own_deployment__opens_the_store(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    db = tmp_path / "validator.db"
    engine_without_model(client, account, db).store.close()

    again = engine_without_model(client, account, db)

    identity = again.store.identity()
    assert identity is not None and identity.oracle == client.address
    assert identity.deployed_block == client.deployment.deployed_block
    block = client.w3.eth.get_block(client.deployment.deployed_block)
    assert identity.deployed_block_hash == "0x" + bytes(block["hash"]).hex()


def test_engine__v0_store_holding_another_deployments_payload__refuses_at_start(
    client: OracleClient, redeployed: OracleClient, account: Any, tmp_path: Path
) -> None:
    # The same proposal id on both deployments, with different payloads.
    old_id = _submit(client, account, [b"\x01" * 64])[0]
    while redeployed.proposal_count() < old_id:
        _submit(redeployed, account, [b"\x02" * 64])
    old = client.proposal(old_id).payload_hash
    assert redeployed.proposal(old_id).payload_hash != old
    db = tmp_path / "validator.db"
    write_v0_store(db, proposals=[(old_id, b"\x01" * 64, old)], cursor=1)

    with pytest.raises(StoreHoldsOtherPayloads) as err:
        engine_without_model(redeployed, account, db)

    assert f"proposal {old_id}" in str(err.value) and "\n" not in str(err.value)


def test_ingest__an_event_failing_midway__stores_neither_its_chunk_nor_the_cursor(
    client: OracleClient, account: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _submit(client, account, [b"\x03" * 64, b"\x04" * 64])
    engine = engine_without_model(client, account, tmp_path / "validator.db")
    apply = engine._apply

    def apply_failing_on_the_second(ev: Any) -> bool:
        if ev.name == "ProposalSubmitted" and int(ev.args["id"]) == ids[1]:
            raise RuntimeError("disk full")
        return apply(ev)

    monkeypatch.setattr(engine, "_apply", apply_failing_on_the_second)
    with pytest.raises(RuntimeError, match="disk full"):
        engine.ingest()

    assert engine.store.proposal(ids[0]) is None  # rolled back with the failed event
    assert engine.store.get_cursor("events") is None
    assert not engine.store._conn().in_transaction

    monkeypatch.setattr(engine, "_apply", apply)
    engine.ingest()
    assert engine.store.proposal(ids[0]) is not None and engine.store.proposal(ids[1]) is not None
    assert engine.store.get_cursor("events") == engine.reader.safe_head()


def _staked_engine_at_commit(
    client: OracleClient, account: Any, db: Path
) -> tuple[Engine, int, list[int]]:
    client.stake(client.make_sender(account), int(client.param("minStake")))
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    pid = _submit(client, account, [b"\x05" * 64])[0]
    r = client.proposal(pid).round
    engine = engine_without_model(client, account, db)
    advance_to(client, client.round_timing(r).commit_start)
    engine.ingest()
    ids = client.round_proposals(r)
    engine.store.set_verdicts([(i, 2, 1.0, "test") for i in ids])  # as the judge would
    return engine, r, ids


def _tamper(engine: Engine, pid: int, **cols: object) -> None:
    """Edit a stored proposal, as a reorg that renumbered proposals or a hand edit leaves it."""
    sets = ", ".join(f"{k}=?" for k in cols)
    with engine.store.transaction() as c:
        c.execute(f"UPDATE proposals SET {sets} WHERE id=?", (*cols.values(), pid))


def test_commit__stored_payload_differs_from_the_chain__rereads_it_and_judges_again(
    client: OracleClient, account: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine, r, ids = _staked_engine_at_commit(client, account, tmp_path / "validator.db")
    real = engine.store.proposal(ids[0])
    assert real is not None
    _tamper(engine, ids[0], payload=b"\x99" * 64, payload_hash=b"\xee" * 32)

    with caplog.at_level(logging.WARNING, logger="oracle.validator"):
        engine.commit_due(r, engine.observe_head())  # re-read, not judged yet: nothing sealed

    assert engine.store.ballot(r) is None
    assert not client.ballot_of(r, account.address).committed
    said = [m for m in caplog.messages if "differ from the chain's" in m]
    assert len(said) == 1 and "re-read them" in said[0] and "0x" + "ee" * 32 in said[0]
    again = engine.store.proposal(ids[0])
    assert again is not None and again.verdict is None  # to be judged on the right bytes
    assert (again.payload, again.payload_hash) == (real.payload, real.payload_hash)

    engine.store.set_verdicts([(ids[0], 2, 1.0, "test")])  # the judge's next pass
    with caplog.at_level(logging.WARNING, logger="oracle.validator"):
        engine.commit_due(r, engine.observe_head())
    assert client.ballot_of(r, account.address).committed
    assert len([m for m in caplog.messages if "differ from the chain's" in m]) == 1


def test_check_payloads__round_of_many_proposals__costs_one_call(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    """One `proposal(id)` per proposal was most of a validator's RPC load in the soak (3 of
    its 7.5 requests a block at 5 proposals a block)."""
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    ids = _submit(client, account, [bytes([i]) * 64 for i in range(1, 7)])
    r = client.proposal(ids[0]).round
    proxy = RpcProxy(str(client.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    try:
        engine = engine_without_model(
            OracleClient(connect(proxy.url), client.deployment), account, tmp_path / "v.db"
        )
        advance_to(client, client.round_timing(r).commit_start)
        engine.ingest()
        round_ids = client.round_proposals(r)
        assert set(ids) <= set(round_ids)
        before = proxy.requests["eth_call"]
        assert check_payloads(engine, r, round_ids) is PayloadCheck.MATCH
        calls = proxy.requests["eth_call"] - before
    finally:
        proxy.close()
    assert calls == 1, calls


def test_commit__differing_payload_not_found_near_its_block__refuses_the_round_logged_once(
    client: OracleClient, account: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "validator.db"
    engine, r, ids = _staked_engine_at_commit(client, account, db)
    real = engine.store.proposal(ids[0])
    assert real is not None
    _tamper(engine, ids[0], payload_hash=b"\xee" * 32, block=real.block + 100_000)

    said = refused_commit_messages(
        client, engine, caplog, r, level=logging.ERROR, containing="differ from the chain's"
    )
    assert len(said) == 1 and f"proposal {ids[0]}" in said[0] and "not voting" in said[0]

    # The same round with the chain's row back in place commits: the mismatch was the cause.
    _tamper(engine, ids[0], payload_hash=real.payload_hash, block=real.block)
    engine.store.close()
    again = engine_without_model(client, account, db)
    again.commit_due(r, again.observe_head())
    assert client.ballot_of(r, account.address).committed


def test_payload_hashes__batch__gives_the_chains_hashes_and_none_for_an_unknown_id(
    client: OracleClient, account: Any
) -> None:
    ids = _submit(client, account, [b"\x06" * 64, b"\x07" * 64])
    unknown = client.proposal_count() + 100

    got = client.payload_hashes([*ids, unknown])

    assert got == {
        ids[0]: client.proposal(ids[0]).payload_hash,
        ids[1]: client.proposal(ids[1]).payload_hash,
        unknown: None,
    }


def test_validator_run__store_of_another_deployment__exits_with_a_one_line_error(
    client: OracleClient, redeployed: OracleClient, account: Any, tmp_path: Path
) -> None:
    db = tmp_path / "validator.db"
    engine_without_model(client, account, db).store.close()
    keystore = tmp_path / "signer.json"
    write_keystore(keystore, account.key, "pw", light=True)
    (tmp_path / "model").mkdir()
    config = tmp_path / "validator.toml"
    config.write_text(
        f'rpc_url = "{client.w3.provider.endpoint_uri}"\n'  # type: ignore[attr-defined]
        f'deployment = "{redeployed.deployment.path}"\n'
        f'signer_keystore = "{keystore}"\n'
        f'signer_password_env = "STORE_TEST_SIGNER_PASSWORD"\n'
        f'model_dir = "{tmp_path / "model"}"\n'
        f'db_path = "{db}"\n'
    )

    result = CliRunner().invoke(
        app,
        ["validator", "run", "--config", str(config)],
        env={**os.environ, "STORE_TEST_SIGNER_PASSWORD": "pw"},
    )

    assert result.exit_code == 2, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: store ")
    assert redeployed.address in lines[0] and "db_path" in lines[0]
