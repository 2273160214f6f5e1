"""The equivocation bounty's hold and release, as the explorer shows it.

A chain of its own: the report slashes a validator and moves time by the unbonding
period, which the shared played-round chain of the other explorer tests must not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.anvil import Anvil
from oracle.chain.deployment import Deployment
from oracle.chain.eip712 import Domain, Verdict, sign_verdict
from oracle.explorer import views
from oracle.explorer.bounties import bounty_state
from oracle.explorer.indexer import Indexer
from oracle.explorer.records import EquivocationBounty
from tests.support.oracle_scenario import OracleScenario

RELEASABLE_AT = 1_000


def _bounty(amount: int = 10**15, released_tx: str | None = None) -> EquivocationBounty:
    return EquivocationBounty(
        round=3,
        proposal_id=7,
        reporter="0x" + "11" * 20,
        amount=amount,
        releasable_at=RELEASABLE_AT,
        reported_block=5,
        reported_tx="0x" + "22" * 32,
        released_tx=released_tx,
    )


def test_bounty_state__open_ballots_before_releasable_at__is_held() -> None:
    assert bounty_state(_bounty(), open_ballots=2, now=RELEASABLE_AT - 1) == "held"


def test_bounty_state__no_open_ballots__is_releasable_before_releasable_at() -> None:
    assert bounty_state(_bounty(), open_ballots=0, now=RELEASABLE_AT - 1) == "releasable"


def test_bounty_state__releasable_at_passed__is_releasable_despite_open_ballots() -> None:
    assert bounty_state(_bounty(), open_ballots=2, now=RELEASABLE_AT) == "releasable"


def test_bounty_state__release_indexed__is_released() -> None:
    released = _bounty(released_tx="0x" + "33" * 32)
    assert bounty_state(released, open_ballots=2, now=0) == "released"


def test_bounty_state__slash_took_nothing__owes_none() -> None:
    assert bounty_state(_bounty(amount=0), open_ballots=2, now=0) == "none"


@pytest.fixture(scope="module")
def own_chain(anvil: Anvil) -> Iterator[Anvil]:
    """A second Anvil beside the session's (whose fixture put it on PATH)."""
    with Anvil() as node:
        yield node


def _validator_view(indexer: Indexer, address: str) -> dict:  # type: ignore[type-arg]
    indexer.sync()
    with indexer.lock:
        return views.validator_view(indexer.validators[address], indexer.chain_now())


def test_validator_view__equivocation_reported_with_an_open_ballot__bounty_held_then_released(
    own_chain: Anvil, tmp_path: Path
) -> None:
    played = OracleScenario.deploy(own_chain.url, tmp_path)
    played.stake_all()
    played.submit_all()
    oracle = played.oracle.functions
    commit_start, _, _ = oracle.roundTiming(played.round).call()
    played.travel_to(commit_start)
    offender, reporter = played.validators[0], played.requester
    # An open ballot: committed in this round, not settled.
    played.send(offender, oracle.commit(played.round, b"\x01" * 32))

    pid = played.proposal_ids[0]
    _, payload_hash, model_hash, *_ = oracle.proposal(pid).call()
    domain = Domain(played.w3.eth.chain_id, played.oracle.address)
    a, b = (Verdict(pid, played.round, payload_hash, model_hash, v) for v in (0, 1))
    played.send(
        reporter,
        oracle.reportEquivocation(
            a.as_tuple(),
            sign_verdict(offender, domain, a),
            b.as_tuple(),
            sign_verdict(offender, domain, b),
        ),
    )
    indexer = Indexer(
        Web3(Web3.HTTPProvider(own_chain.url)), Deployment.load(played.deployment_path)
    )

    view = _validator_view(indexer, offender.address)
    (bounty,) = view["equivocation_bounties"]
    assert view["open_ballots"] == 1
    assert bounty["state"] == "held"
    assert bounty["round"] == played.round and bounty["proposal_id"] == pid
    assert bounty["reporter"] == reporter.address and int(bounty["amount"]) > 0
    _, on_chain_bounty, releasable_at = oracle.equivocationReport(
        offender.address, played.round
    ).call()
    assert (int(bounty["amount"]), bounty["releasable_at"]) == (on_chain_bounty, releasable_at)

    # The unbonding period passed: releasable although the ballot is still open.
    played.travel_to(releasable_at)
    view = _validator_view(indexer, offender.address)
    assert view["open_ballots"] == 1
    assert view["equivocation_bounties"][0]["state"] == "releasable"

    receipt = played.send(
        reporter, oracle.releaseEquivocationBounty(offender.address, played.round)
    )
    view = _validator_view(indexer, offender.address)
    (bounty,) = view["equivocation_bounties"]
    assert bounty["state"] == "released"
    assert bounty["released_tx"] == receipt["transactionHash"].to_0x_hex()
    assert any(
        h["kind"] == "bounty released" and int(h["amount"]) == on_chain_bounty
        for h in view["history"]
    )
