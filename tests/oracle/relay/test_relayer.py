"""The relayer against the real contract: verified offers, one aggregated transaction each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from eth_account import Account

from oracle.chain.client import OracleClient
from oracle.chain.eip712 import sign_commit
from oracle.chain.tx_attempts import AttemptState
from oracle.chain.tx_manager import TxManager
from oracle.relay.relayer import Relayer
from tests.support.relay_round import funded, manager_of, three_staked_validators_in_a_commit_phase
from tests.support.timetravel import advance_to
from tests.support.tx_manager_chain import manual_mining, mine
from tests.support.validator_parts import seal_for


def test_relayer__submits_verified_commits_and_reveals_in_one_transaction_each(
    client: OracleClient,
) -> None:
    validators, _, r, listed = three_staked_validators_in_a_commit_phase(
        client, [b"\x07" * 64, b"\x08" * 64]
    )

    relayer = Relayer(client, manager_of(client.make_sender(funded(client))), window_s=0.0)
    preimages = {}
    for v in validators:
        verdicts = bytes([0] * len(listed))
        salt, c = seal_for(client, v, r, listed, verdicts)
        relayer.add_commit(
            r,
            v.address,
            c,
            sign_commit(v, client.domain, round_=r, commitment=c, validator=v.address),
        )
        preimages[v.address] = (verdicts, salt)
    with pytest.raises(ValueError, match="not the signer"):
        stranger = Account.create()
        relayer.add_commit(
            r,
            validators[0].address,
            b"\x01" * 32,
            sign_commit(
                stranger,
                client.domain,
                round_=r,
                commitment=b"\x01" * 32,
                validator=validators[0].address,
            ),
        )
    relayer.flush(0)
    assert [(k, n) for k, _, n, _ in relayer.sent] == [("commit", 3)]
    assert all(client.ballot_of(r, v.address).committed for v in validators)

    advance_to(client, client.round_timing(r).reveal_start)
    with pytest.raises(ValueError, match="does not match"):
        relayer.add_reveal(
            r, validators[0].address, preimages[validators[0].address][0], b"\x00" * 32
        )
    for v in validators:
        relayer.add_reveal(r, v.address, *preimages[v.address])
    relayer.flush(0)
    assert [(k, n) for k, _, n, _ in relayer.sent] == [("commit", 3), ("reveal", 3)]
    assert all(client.ballot_of(r, v.address).revealed for v in validators)


class _FrontRun:
    """A real transaction manager whose first submit is preceded by `before()`: a competing
    transaction mined between the relayer's on-chain check and its batch."""

    def __init__(self, tx: TxManager, before) -> None:  # type: ignore[no-untyped-def]
        self.tx = tx
        self.sender = tx.sender
        self.before = before

    def submit(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        before, self.before = self.before, None
        if before is not None:
            before()
        return self.tx.submit(*args, **kwargs)


def test_relayer__one_vote_lands_on_chain_first__retries_with_the_others(
    client: OracleClient,
) -> None:
    validators, (_,), r, listed = three_staked_validators_in_a_commit_phase(client, [b"\x09" * 64])

    verdicts = bytes([0] * len(listed))
    late = validators[1]
    # Its own fallback, sent after it re-judged: another commitment than the one it offered.
    _, own = seal_for(client, late, r, listed, bytes([1] * len(listed)))

    def fallback_lands_first() -> None:
        client.commit(client.make_sender(late), r, own)

    front_run = _FrontRun(manager_of(client.make_sender(funded(client))), fallback_lands_first)
    relayer = Relayer(client, front_run, window_s=0.0)  # type: ignore[arg-type]
    for v in validators:
        _, c = seal_for(client, v, r, listed, verdicts)
        relayer.add_commit(
            r,
            v.address,
            c,
            sign_commit(v, client.domain, round_=r, commitment=c, validator=v.address),
        )
    relayer.flush(0)

    assert [(k, n) for k, _, n, _ in relayer.sent] == [("commit", 2)]
    assert all(client.ballot_of(r, v.address).committed for v in validators)
    assert client.ballot_of(r, late.address).commitment == own


def _gas_used(client: OracleClient, tx_hash: str) -> int:
    return int(client.w3.eth.get_transaction_receipt(tx_hash)["gasUsed"])  # type: ignore[arg-type]


def _relay_with_one_gas_short_of_the_batch(
    client: OracleClient,
    batch_fn: str,
    r: int,
    offers: list[tuple[Any, ...]],
    add: Callable[..., None],
) -> None:
    """`offers` handed to a relayer (`add(relayer, r, *offer)`) whose gas budget is one below
    what `batch_fn` with all of them needs, then flushed: sent in parts, each within it."""
    sender = client.make_sender(funded(client))
    # At the maximum round size the budget is 2^24 against a dozen ballots; one gas short of
    # the whole batch forces the same split on three.
    budget = sender.estimate_call(client.fn(batch_fn, r, offers)) - 1
    relayer = Relayer(client, manager_of(sender), window_s=0.0, gas_budget=budget)
    for offer in offers:
        add(relayer, r, *offer)
    relayer.flush(0)

    assert len(relayer.sent) >= 2
    assert sum(n for _, _, n, _ in relayer.sent) == len(offers)
    assert all(_gas_used(client, tx) <= budget for _, _, _, tx in relayer.sent)


def test_relayer__batch_estimated_above_the_gas_budget__goes_out_in_parts_that_fit(
    client: OracleClient,
) -> None:
    validators, _, r, listed = three_staked_validators_in_a_commit_phase(
        client, [b"\x0a" * 64, b"\x0b" * 64]
    )
    verdicts = bytes([0] * len(listed))
    commits, reveals = [], []
    for v in validators:
        salt, c = seal_for(client, v, r, listed, verdicts)
        sig = sign_commit(v, client.domain, round_=r, commitment=c, validator=v.address)
        commits.append((v.address, c, sig))
        reveals.append((v.address, verdicts, salt))
    _relay_with_one_gas_short_of_the_batch(client, "commitRelayed", r, commits, Relayer.add_commit)
    assert all(client.ballot_of(r, v.address).committed for v in validators)

    advance_to(client, client.round_timing(r).reveal_start)
    _relay_with_one_gas_short_of_the_batch(client, "revealMany", r, reveals, Relayer.add_reveal)
    assert all(client.ballot_of(r, v.address).revealed for v in validators)


def test_flush__chain_not_mining__returns_at_once_and_the_next_block_lands_the_batch(
    client: OracleClient,
) -> None:
    validators, _, r, listed = three_staked_validators_in_a_commit_phase(client, [b"\x0f" * 64])
    tx = manager_of(client.make_sender(funded(client)))
    relayer = Relayer(client, tx, window_s=0.0)
    for v in validators:
        _, c = seal_for(client, v, r, listed, bytes([0] * len(listed)))
        sig = sign_commit(v, client.domain, round_=r, commitment=c, validator=v.address)
        relayer.add_commit(r, v.address, c, sig)
    with manual_mining(client.w3):
        relayer.flush(0)  # no receipt to wait for: the engine's tick goes on
        [batch] = tx.in_flight()
        assert batch.deadline == client.round_timing(r).reveal_start  # priced for the phase end
        assert not any(client.ballot_of(r, v.address).committed for v in validators)
        mine(client.w3, tx)
    assert tx.result(batch.intent).state is AttemptState.MINED  # type: ignore[union-attr]
    assert all(client.ballot_of(r, v.address).committed for v in validators)
