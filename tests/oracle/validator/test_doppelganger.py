"""The doppelganger window: a second process with the signer key is seen before we commit."""

from __future__ import annotations

import time

from oracle.chain.client import OracleClient
from oracle.chain.submitter import Submitter
from oracle.validator.doppelganger import (
    CheckState,
    DoppelgangerCheck,
    NonceReading,
    foreign_transactions,
    nonce_reader,
)
from tests.support.pinned_oracle import funded_account
from tests.support.timetravel import advance_to
from tests.support.validator_parts import engine_without_model

SIGNER = "0x" + "ab" * 20


class Chain:
    """The signer's nonces as the RPC node reports them, moved by the test."""

    def __init__(self, latest: int, pending: int | None = None) -> None:
        self.latest = latest
        self.pending = latest if pending is None else pending

    def read(self) -> NonceReading:
        return NonceReading(self.latest, self.pending)


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def check(chain: Chain, clock: Clock, local: list[int | None], window_s: float = 24.0):  # type: ignore[no-untyped-def]
    return DoppelgangerCheck(
        signer=SIGNER,
        window_s=window_s,
        read_nonces=chain.read,
        local_next=lambda: local[0],
        clock=clock,
    )


def test_foreign_transactions__own_in_flight_and_own_sends__not_counted() -> None:
    # Our pre-restart commit was pending at start (5 -> 6): mined later, still ours.
    assert (
        foreign_transactions(start_pending=6, chain_latest=6, chain_pending=6, local_next=None) == 0
    )
    # We sent two since (local next 8): the chain at 8 is all ours.
    assert foreign_transactions(start_pending=6, chain_latest=8, chain_pending=8, local_next=8) == 0
    # Someone else sent one on top.
    assert foreign_transactions(start_pending=6, chain_latest=8, chain_pending=9, local_next=8) == 1


def test_window__quiet_key__commits_allowed_once_the_window_passed() -> None:
    chain, clock, local = Chain(5), Clock(), [None]
    c = check(chain, clock, local)
    assert c.poll() is CheckState.WATCHING and c.seconds_left() == 24.0
    clock.t += 10
    assert c.poll() is CheckState.WATCHING and c.seconds_left() == 14.0
    clock.t += 14
    assert c.poll() is CheckState.CLEAR and c.seconds_left() == 0.0


def test_window__restart_after_kill9__own_pending_commit_mining_is_not_a_twin() -> None:
    chain, clock, local = Chain(latest=5, pending=6), Clock(), [None]
    c = check(chain, clock, local)
    c.poll()
    chain.latest = 6  # the commit sent before the crash is mined during the window
    clock.t += 5
    assert c.poll() is CheckState.WATCHING
    local[0] = 7  # our own reveal goes out during the window (reveals are not held)
    chain.latest = chain.pending = 7
    clock.t += 30
    assert c.poll() is CheckState.CLEAR


def test_window__another_process_sends_with_the_key__twin_named_and_never_clear() -> None:
    chain, clock, local = Chain(5), Clock(), [None]
    c = check(chain, clock, local)
    c.poll()
    chain.pending = 6  # a transaction we never sent
    clock.t += 3
    assert c.poll() is CheckState.TWIN
    assert c.evidence is not None and SIGNER in c.evidence and "another process" in c.evidence
    clock.t += 100
    assert c.poll() is CheckState.TWIN  # the window passing does not clear it


def test_window__zero__disabled_clear_at_once_without_reading() -> None:
    def unreachable() -> NonceReading:
        raise AssertionError("a disabled check reads nothing")

    c = DoppelgangerCheck(
        signer=SIGNER, window_s=0, read_nonces=unreachable, local_next=lambda: None
    )
    assert c.poll() is CheckState.CLEAR


def test_window_on_anvil__own_sends_clear_a_second_sender_with_the_key_is_a_twin(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    ours = client.make_sender(account)
    ours.send(to=account.address, data=b"", value=1)  # sent before the window: counted at start
    check = DoppelgangerCheck(
        signer=account.address,
        window_s=10,
        read_nonces=nonce_reader(client.w3, account.address),
        local_next=ours.local_next_nonce,
        clock=clock,
    )
    assert check.poll() is CheckState.WATCHING
    ours.send(to=account.address, data=b"", value=1)  # our own reveal during the window
    clock.t += 2
    assert check.poll() is CheckState.WATCHING

    twin = client.make_sender(account)  # another process with the same key
    twin.send(to=account.address, data=b"", value=1)
    clock.t += 2
    assert check.poll() is CheckState.TWIN
    assert check.evidence is not None and account.address in check.evidence


def engine_with_window(client: OracleClient, account, tmp_path, clock: Clock):  # type: ignore[no-untyped-def]
    """An engine on the real chain with a 10 s doppelganger window on `clock`."""
    engine = engine_without_model(client, account, tmp_path / "v.db")
    engine.doppelganger = DoppelgangerCheck(
        signer=account.address,
        window_s=10,
        read_nonces=nonce_reader(client.w3, account.address),
        local_next=engine.sender.local_next_nonce,
        clock=clock,
    )
    return engine


def test_engine__twin_seen_in_the_window__commits_held_for_good_and_named_once(
    client: OracleClient, account, tmp_path, caplog
) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    engine = engine_with_window(client, account, tmp_path, clock)
    engine.watch_for_doppelganger()
    assert not engine.may_commit()  # watching
    client.make_sender(account).send(to=account.address, data=b"", value=1)  # the twin
    clock.t += 1
    engine.watch_for_doppelganger()
    clock.t += 100
    engine.watch_for_doppelganger()  # TWIN is final: no further reading, no second line
    assert not engine.may_commit()
    named = [r for r in caplog.records if "not committing" in r.getMessage()]
    assert len(named) == 1 and account.address in named[0].getMessage()


def test_engine__quiet_window_passed__commits_allowed(
    client: OracleClient, account, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    engine = engine_with_window(client, account, tmp_path, clock)
    engine.watch_for_doppelganger()
    clock.t += 11
    engine.watch_for_doppelganger()
    assert engine.may_commit()


def test_engine__twin_found__tick_sends_nothing_with_the_key_not_even_a_finalize(
    client: OracleClient, account, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # Seen in the soak: a twin with a fresh store finalized (and claimed) with the shared
    # key, taking nonces the original's next transactions expected.
    clock = Clock()
    engine = engine_with_window(client, account, tmp_path, clock)
    engine.watch_for_doppelganger()
    client.make_sender(account).send(to=account.address, data=b"", value=1)  # the twin
    clock.t += 1
    engine.watch_for_doppelganger()
    r = _finalizable_round(client)
    nonce = client.w3.eth.get_transaction_count(account.address)

    engine.tick()
    time.sleep(1.0)  # past the finalize stagger (host clock, at most 0.9 s)
    engine.tick()

    assert client.w3.eth.get_transaction_count(account.address) == nonce
    assert client.round_info(r).pending == 1


def test_engine__watching__housekeeping_held_so_the_window_can_see_a_twin(
    client: OracleClient, account, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    # Seen in the soak: a twin still watching sent a finalize; its sender then read the
    # chain's nonce, the other process's transactions counted as its own, the window
    # passed "quiet" and the twin committed.
    clock = Clock()
    engine = engine_with_window(client, account, tmp_path, clock)
    engine.watch_for_doppelganger()
    _finalizable_round(client)
    nonce = client.w3.eth.get_transaction_count(account.address)

    engine.tick()
    time.sleep(1.0)  # past the finalize stagger
    engine.tick()

    assert client.w3.eth.get_transaction_count(account.address) == nonce
    assert engine.sender.local_next_nonce() is None


def _finalizable_round(client: OracleClient) -> int:
    """A round with one proposal, its reveal phase over: anyone may finalize it now."""
    ids = [s.proposal_id for s in Submitter(client, funded_account(client)).submit([b"\x07" * 64])]
    r = client.proposal(ids[0]).round
    advance_to(client, client.round_timing(r).reveal_end + 1)
    return r
