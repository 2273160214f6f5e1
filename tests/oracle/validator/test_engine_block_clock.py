"""The engine on an oracle deployed with the block clock (clockMode 1): phases are block
numbers, so a halt longer than a phase delays the reveal instead of skipping it.

The replayed failure (bench/soak.py under timestamps): a validator behind a lagging view
saw the reveal phase only after a 12 s freeze had carried the chain past its end, and was
slashed for not revealing. Here the chain's time jumps far past the reveal phase's length
in seconds between two blocks of the phase; the engine still reveals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_MNEMONIC
from oracle.chain.client import OracleClient
from oracle.chain.clock_mode import ClockMode
from oracle.chain.deployment import Deployment
from oracle.chain.localdeploy import OracleParams, deploy
from oracle.chain.rpc import connect
from oracle.chain.submitter import Submitter
from oracle.validator.keys import anvil_key
from tests.support.chain_fixtures import ROOT
from tests.support.validator_parts import commit_by_hand, engine_without_model

PHASE_BLOCKS = 8
HALT_S = 3_600


@pytest.fixture(scope="module")
def block_client(anvil_url: str, tmp_path_factory: pytest.TempPathFactory) -> OracleClient:
    params = OracleParams(
        roundDuration=PHASE_BLOCKS,
        revealDuration=PHASE_BLOCKS,
        unbondingPeriod=3 * PHASE_BLOCKS + 1,
        clockMode=ClockMode.BLOCKNUMBER,
        modelHash="0x" + "ab" * 32,
    )
    path = deploy(
        Web3(Web3.HTTPProvider(anvil_url)),
        anvil_key(0, ANVIL_MNEMONIC),
        tmp_path_factory.mktemp("block-clock"),
        params,
        anvil_url,
        artifacts=ROOT / ".build" / "__local__.json",
    )
    return OracleClient(connect(anvil_url), Deployment.load(path))


def _mine_to(client: OracleClient, number: int) -> None:
    """Mine until the latest block is `number` (the next transaction lands after it)."""
    behind = number - client.w3.eth.block_number
    if behind > 0:
        client.w3.provider.make_request("anvil_mine", [hex(behind)])  # type: ignore[arg-type]


def _halt(client: OracleClient, seconds: int) -> None:
    """The chain makes no block for `seconds`, then one: time jumps, the number moves by 1."""
    client.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    client.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def test_engine__block_clock__reads_the_mode_and_reports_the_block_number(
    block_client: OracleClient, account: Any, tmp_path: Path
) -> None:
    engine = engine_without_model(block_client, account, tmp_path / "validator.db")
    seen = engine.observe_head()
    assert engine.clock_mode is ClockMode.BLOCKNUMBER
    assert engine.now() == seen.number
    status = engine.status()
    assert status["clock_mode"] == "blocknumber" and status["chain_clock"] == seen.number
    assert block_client.clock_now() in (seen.number, seen.number + 1)


def test_tick__halt_longer_than_the_reveal_phase__still_reveals_the_ballot(
    block_client: OracleClient, account: Any, tmp_path: Path
) -> None:
    client = block_client
    client.stake(client.make_sender(account), int(client.param("minStake")))
    _mine_to(client, client.round_timing(client.current_round() + 2).commit_start - 1)
    pid = Submitter(client, account).submit([b"\x0c" * 64])[0].proposal_id
    r = client.proposal(pid).round
    engine = engine_without_model(client, account, tmp_path / "validator.db")
    t = client.round_timing(r)
    _mine_to(client, t.commit_start)
    commit_by_hand(engine, client, account, r)

    _mine_to(client, t.reveal_start)
    before = int(client.w3.eth.get_block("latest")["timestamp"])
    _halt(client, HALT_S)  # far longer in seconds than the 8-block phase
    assert int(client.w3.eth.get_block("latest")["timestamp"]) - before >= HALT_S
    engine.tick()  # the first block after the halt is still in the reveal phase
    assert client.ballot_of(r, account.address).revealed
    engine.tick()
    assert engine.store.ballot(r).state == "revealed"  # type: ignore[union-attr]
