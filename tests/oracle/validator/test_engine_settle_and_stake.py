"""The engine against the real contracts: missed ballots get settled, unstaked rounds skipped.

A real Anvil with the clock moved forward (no model needed: the commit is sent by the test,
and the engine's settle / reveal / skip paths never judge).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account

from oracle.chain.client import OracleClient
from oracle.chain.submitter import Submitter
from oracle.chain.units import format_eth
from oracle.validator.engine import Engine, StepsFailed
from oracle.validator.funds import signer_funds_line
from oracle.validator.service import ensure_stake
from tests.support.commit_refusal import refused_commit_messages
from tests.support.timetravel import advance_to
from tests.support.tx_manager_chain import manual_mining, mine, pool_nonces
from tests.support.validator_parts import engine_without_model, seal_for


def _engine(client: OracleClient, account, tmp_path: Path) -> Engine:  # type: ignore[no-untyped-def]
    return engine_without_model(client, account, tmp_path / "validator.db")


def _proposal_round(client: OracleClient, account) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    ids = [s.proposal_id for s in Submitter(client, account).submit([b"\x07" * 64])]
    r = client.proposal(ids[0]).round
    return r, client.round_proposals(r)


def _commit_directly(engine: Engine, r: int, ids: list[int]) -> None:
    """What the engine's commit step does, without the model: store the preimage, commit."""
    client = engine.client
    verdicts = bytes([2] * len(ids))
    salt, c = seal_for(client, engine.signer, r, ids, verdicts, validator=engine.operator)
    engine.store.save_ballot(r, ids, verdicts, salt, c)
    client.commit(engine.sender, r, c)
    engine.store.set_ballot_state(r, "committed")


def _finalize_round_after_reveal(engine: Engine, r: int, ids: list[int]) -> None:
    advance_to(engine.client, engine.client.round_timing(r).reveal_end + 1)
    engine.client.finalize_many(engine.sender, ids)  # no quorum: the proposal rolls on
    assert engine.client.round_info(r).pending == 0


def _committed_round(
    client: OracleClient, account, tmp_path: Path
) -> tuple[Engine, int, list[int]]:  # type: ignore[no-untyped-def]
    """A fresh engine whose ballot of a new round r is committed, the chain still in r's commit
    phase: (the engine, r, r's proposals). Stake the account first for it to count."""
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    engine = _engine(client, account, tmp_path)
    r, ids = _proposal_round(client, account)
    advance_to(client, client.round_timing(r).commit_start)
    _commit_directly(engine, r, ids)
    return engine, r, ids


def _missed_round_to_settle(client: OracleClient, account, tmp_path: Path) -> tuple[Engine, int]:  # type: ignore[no-untyped-def]
    """An engine whose committed, never revealed ballot of round r is due to be settled."""
    client.stake(client.make_sender(account), int(client.param("minStake")))
    engine, r, ids = _committed_round(client, account, tmp_path)
    _finalize_round_after_reveal(engine, r, ids)
    return engine, r


@pytest.fixture
def settle_sent_unmined(
    client: OracleClient, account, tmp_path: Path
) -> Iterator[tuple[Engine, int]]:  # type: ignore[no-untyped-def]
    """A missed ballot (`_missed_round_to_settle`) on a chain that mines only when the test
    calls `mine`, and the tick that sent its settlement: (the engine, the round)."""
    engine, r = _missed_round_to_settle(client, account, tmp_path)
    with manual_mining(client.w3):
        engine.tick()  # a blocking send would wait here for a block that does not come
        yield engine, r


def test_settle__own_missed_ballot__is_settled_with_the_non_reveal_slash(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    engine, r = _missed_round_to_settle(client, account, tmp_path)
    stake = int(client.param("minStake"))  # what it staked

    engine.tick()  # reveal step: too late, missed; settle step: non-reveal settlement sent
    assert engine.tx.in_flight(f"settle:{r}")  # sent without waiting for its receipt
    engine.tick()  # the block it mined in is seen: its receipt is read

    assert engine.store.ballot(r).state == "settled"  # type: ignore[union-attr]
    assert client.ballot_of(r, account.address).settled
    slash = stake * int(client.param("nonRevealSlashBps")) // 10_000  # once per round
    assert client.validator_info(account.address).active == stake - slash


def test_tick__settle_not_mined__the_tick_does_not_wait_and_a_later_block_settles(
    client: OracleClient, settle_sent_unmined: tuple[Engine, int]
) -> None:
    engine, r = settle_sent_unmined  # the tick returned with no block mined
    assert engine.tx.in_flight(f"settle:{r}")
    assert engine.store.ballot(r).state == "missed"  # type: ignore[union-attr]
    mine(client.w3)
    engine.tick()
    assert engine.store.ballot(r).state == "settled"  # type: ignore[union-attr]


def test_restart__settle_in_flight__known_from_the_store_and_not_sent_again(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    settle_sent_unmined: tuple[Engine, int],
) -> None:
    engine, r = settle_sent_unmined
    [sent] = engine.tx.in_flight(f"settle:{r}")
    # Everything the old process sent (finalizes of other tests' rounds on the shared
    # chain too): the restarted one sends none of it again.
    sent_before = sorted(a.nonce for a in engine.tx.in_flight())
    restarted = _engine(client, account, tmp_path)  # kill -9: only the database is left
    restarted.tick()
    assert [a.tx_hash for a in restarted.tx.in_flight(f"settle:{r}")] == [sent.tx_hash]
    assert sorted(pool_nonces(client.w3, account.address)) == sent_before  # one, not two
    mine(client.w3)
    # Its receipt alone (no settle step): handled as the old process's callback would.
    restarted.check_transactions(restarted.observe_head())
    assert restarted.store.ballot(r).state == "settled"  # type: ignore[union-attr]


def test_commit__no_stake_at_the_rounds_snapshot__skips_the_round_and_says_so_once(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    r, _ids = _proposal_round(client, account)
    # Staked after the round's snapshot: this stake does not count for round r.
    client.stake(client.make_sender(account), int(client.param("minStake")))
    engine = _engine(client, account, tmp_path)
    advance_to(client, client.round_timing(r).commit_start)

    skips = refused_commit_messages(
        client,
        engine,
        caplog,
        r,
        level=logging.WARNING,
        containing="no stake at the round's snapshot",
    )
    assert len(skips) == 1


def test_tick__committed_without_stake__reveal_marks_it_missed_then_settles(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    r, ids = _proposal_round(client, account)
    client.stake(client.make_sender(account), int(client.param("minStake")))  # after snapshot
    engine = _engine(client, account, tmp_path)
    advance_to(client, client.round_timing(r).commit_start)
    _commit_directly(engine, r, ids)  # as a validator from before the stake check did
    advance_to(client, client.round_timing(r).reveal_start)

    engine.tick()  # the reveal reverts OracleNoStakeAtSnapshot: missed, not retried forever

    assert engine.store.ballot(r).state == "missed"  # type: ignore[union-attr]
    _finalize_round_after_reveal(engine, r, ids)
    # Settle sent, and its receipt read on the next block seen. On the shared test chain the
    # settle went out one tick later in 2 of 7 full runs (an earlier test's round to finalize
    # in the same ticks): a third tick, never more.
    for _ in range(3):
        engine.tick()
        if engine.store.ballot(r).state == "settled":  # type: ignore[union-attr]
            break
    assert engine.store.ballot(r).state == "settled"  # type: ignore[union-attr]
    assert client.ballot_of(r, account.address).settled


# ------------------------------------------------------------------ auto_stake_wei


def test_ensure_stake__new_operator__stakes_the_target_once_and_says_so(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = 2 * int(client.param("minStake"))
    sender = client.make_sender(account)
    with caplog.at_level(logging.INFO, logger="oracle.validator.service"):
        assert ensure_stake(client, sender, account, target) == target
        assert ensure_stake(client, sender, account, target) == 0  # a restart
    assert client.validator_info(account.address).active == target
    assert any(
        f"auto_stake_wei: staked {format_eth(target)} for the new operator" in m
        for m in caplog.messages
    )


def test_ensure_stake__after_request_unstake__restart_does_not_stake_again(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    target = int(client.param("minStake"))
    sender = client.make_sender(account)
    ensure_stake(client, sender, account, target)
    client.request_unstake(sender, target)  # the operator leaves

    with caplog.at_level(logging.INFO, logger="oracle.validator.service"):
        staked = ensure_stake(client, sender, account, target)  # the restart

    info = client.validator_info(account.address)
    assert (staked, info.active, info.unbonding) == (0, 0, target)
    assert any("not staking again" in m for m in caplog.messages)


def test_ensure_stake__after_a_slash__does_not_top_the_stake_back_up(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    stake = int(client.param("minStake"))
    sender = client.make_sender(account)
    ensure_stake(client, sender, account, stake)
    engine, r, ids = _committed_round(client, account, tmp_path)
    _finalize_round_after_reveal(engine, r, ids)
    engine.tick()  # settles the missed ballot: the non-reveal slash
    slashed = client.validator_info(account.address).active
    assert slashed < stake

    assert ensure_stake(client, sender, account, stake) == 0  # the restart
    assert client.validator_info(account.address).active == slashed


def test_ensure_stake__separate_signer_key__binds_it_with_its_own_acceptance(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
) -> None:
    hot = Account.create()
    sender = client.make_sender(account)
    ensure_stake(client, sender, hot, int(client.param("minStake")))
    assert client.validator_info(account.address).signer == hot.address
    assert client.operator_of(hot.address) == account.address


# ------------------------------------------------------------------ the signer's gas


def test_tick__signer_without_gas__one_line_naming_address_balance_and_need(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client.stake(client.make_sender(account), int(client.param("minStake")))
    engine, r, _ = _committed_round(client, account, tmp_path)
    advance_to(client, client.round_timing(r).reveal_start)
    client.w3.provider.make_request("anvil_setBalance", [account.address, hex(1000)])  # type: ignore[arg-type]

    with caplog.at_level(logging.INFO, logger="oracle.validator"):
        for _ in range(3):  # each tick retries the reveal; the line comes once
            with pytest.raises(StepsFailed):
                engine.tick()

    lines = [r for r in caplog.records if "cannot pay" in r.getMessage()]
    assert len(lines) == 1
    line = lines[0].getMessage()
    assert line.startswith(f"signer {account.address} cannot pay for its reveal transaction")
    assert "balance 0.000000000000001 ETH" in line and "for 10 rounds" in line
    assert all(r.exc_info is None for r in caplog.records)  # no traceback anywhere
    assert engine.store.ballot(r).state == "committed"  # type: ignore[union-attr]  # kept


def test_signer_funds_line__empty_signer__says_to_send_eth(
    client: OracleClient,
) -> None:
    from eth_account import Account

    empty = Account.create().address
    enough, line = signer_funds_line(client.w3, empty)
    assert not enough
    assert line.startswith(f"signer {empty} balance 0 ETH; about ")
    assert line.endswith(f"send ETH to {empty}, it cannot vote without gas")
