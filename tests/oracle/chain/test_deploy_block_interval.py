"""`ape run deploy` measures the target chain's block interval and refuses too-short phases.

A phase shorter than two block intervals may hold no block (issue 9, item 8): the deploy
script measures the interval from the chain's recent block timestamps and refuses such
phases in one line, before it sends anything.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.chain.anvil import ANVIL_MNEMONIC, Anvil
from oracle.chain.block_interval import average_block_interval
from oracle.demo.deploy import DeployError, run_deploy
from oracle.validator.keys import anvil_key


def test_average_block_interval__recent_blocks__seconds_per_block_over_the_span() -> None:
    stamps = {n: 1_000 + 12 * n for n in range(100)}
    assert average_block_interval(stamps.__getitem__, head=99, span=32) == 12.0
    assert average_block_interval(stamps.__getitem__, head=3) == 12.0  # fewer blocks than span
    assert average_block_interval(stamps.__getitem__, head=0) is None  # genesis alone


@pytest.fixture
def anvil() -> Iterator[Anvil]:
    """An Anvil that mines a block every second (interval mining, like a real chain)."""
    with Anvil(block_time=1) as node:
        while node.w3.eth.block_number < 3:  # a few intervals to measure
            time.sleep(0.5)
        yield node


def test_deploy__phase_under_two_block_intervals__refused_in_one_line_sending_nothing(
    anvil: Anvil, tmp_path: Path
) -> None:
    deployer = anvil_key(0, ANVIL_MNEMONIC).address
    with pytest.raises(DeployError) as refused:
        run_deploy(
            anvil.url,
            out=tmp_path / "deployment.json",
            model_hash="0x" + "00" * 32,
            log_path=tmp_path / "deploy.log",
            extra_env={
                "ORACLE_ROUND_DURATION": "1",
                "ORACLE_REVEAL_DURATION": "1",
                "ORACLE_UNBONDING_PERIOD": "10",
            },
        )
    output = (tmp_path / "deploy.log").read_text()
    (line,) = [x for x in output.splitlines() if "block intervals" in x]
    assert "roundDuration=1 s is shorter than 2 block intervals" in line
    assert "revealDuration=1 s" in line
    assert "failed" in str(refused.value)
    assert anvil.w3.eth.get_transaction_count(deployer) == 0  # nothing was sent
    assert not (tmp_path / "deployment.json").exists()
