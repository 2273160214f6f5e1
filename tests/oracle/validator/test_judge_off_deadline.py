"""Judging runs on its own thread: a reveal goes out while a batch is still being judged, and
a stop never waits for one (the batch is judged again).

A real Anvil, an oracle pinning a real tiny model (real forward passes); the engine runs its
own loop in a thread. The judge is the real one wrapped to hold each batch on an Event, so
the test decides how long "inference" takes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from oracle.chain.client import OracleClient
from oracle.chain.submitter import Submitter
from oracle.model.pipeline import VerdictPipeline
from oracle.model.tiny import train_tiny_model
from oracle.validator.ballot_state import BallotState
from oracle.validator.engine import Engine
from oracle.validator.judge import Judge, JudgeItem, Judgement
from tests.support.chain_env import CHAIN_ID, wait_for
from tests.support.pinned_oracle import deploy_pinned, funded_account
from tests.support.timetravel import advance_to
from tests.support.validator_parts import engine_without_model

WAIT_S = 120  # how long a condition may take on a loaded machine before the test fails


class HeldJudge(Judge):
    """The real judge, but each batch first waits for `release` (set: no wait)."""

    def __init__(self, pipeline: VerdictPipeline) -> None:
        super().__init__(pipeline)
        self.release = threading.Event()
        self.release.set()
        self.holding = threading.Event()  # a batch is waiting for `release`

    def judge(self, items: Sequence[JudgeItem]) -> list[Judgement]:
        if not self.release.is_set():
            self.holding.set()
            self.release.wait(WAIT_S)
        self.holding.clear()
        return super().judge(items)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> VerdictPipeline:
    folder = train_tiny_model(tmp_path_factory.mktemp("tiny") / "model", seed=0, n_records=300)
    return VerdictPipeline.load(folder, device="cpu", chain_id=CHAIN_ID)


@pytest.fixture(scope="module")
def oracle(anvil_url: str, tiny: VerdictPipeline, tmp_path_factory) -> OracleClient:  # type: ignore[no-untyped-def]
    return deploy_pinned(anvil_url, tiny.model_hash, tmp_path_factory.mktemp("held"))


@pytest.fixture
def running(
    oracle: OracleClient, tiny: VerdictPipeline, tmp_path: Path
) -> Iterator[tuple[Engine, HeldJudge, threading.Thread]]:
    """A staked engine with the held judge, its loop running in a thread."""
    account = funded_account(oracle)
    oracle.stake(oracle.make_sender(account), int(oracle.param("minStake")))
    judge = HeldJudge(tiny)
    engine = engine_without_model(oracle, account, tmp_path / "validator.db", judge=judge)
    thread = threading.Thread(target=engine.run, daemon=True)
    thread.start()
    yield engine, judge, thread
    judge.release.set()
    engine.stop()
    thread.join(WAIT_S)


def _until(what: str, condition: Callable[[], bool]) -> None:
    wait_for(what, condition, WAIT_S, interval_s=0.05)


def _submit(client: OracleClient, n: int, seed: int) -> tuple[list[int], int]:
    """n proposals of the next round, and that round."""
    payloads = [bytes([seed, i]) * 32 for i in range(n)]
    ids = [s.proposal_id for s in Submitter(client, funded_account(client)).submit(payloads)]
    rounds = {client.proposal(pid).round for pid in ids}
    assert len(rounds) == 1
    return ids, rounds.pop()


def _committed_round(client: OracleClient, engine: Engine) -> int:
    """A round the running engine judged and committed (the judge not held)."""
    advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
    _, r = _submit(client, 2, seed=1)
    advance_to(client, client.round_timing(r).commit_start)
    _until("the round committed", lambda: client.ballot_of(r, engine.operator).committed)
    return r


def test_engine__batch_held_in_judging__the_stored_ballot_reveals_meanwhile(
    oracle: OracleClient, running: tuple[Engine, HeldJudge, threading.Thread]
) -> None:
    engine, judge, _ = running
    r = _committed_round(oracle, engine)

    judge.release.clear()
    backlog, next_round = _submit(oracle, 8, seed=2)
    assert next_round == r + 1
    _until("the worker holds a batch", judge.holding.is_set)
    advance_to(oracle, oracle.round_timing(r).reveal_start)  # also round r + 1's commit phase

    _until("the reveal went out", lambda: oracle.ballot_of(r, engine.operator).revealed)
    assert judge.holding.is_set()  # the batch was still being judged all along
    assert all(engine.store.proposals(backlog)[pid].verdict is None for pid in backlog)
    assert engine.store.ballot(next_round) is None  # its round waits for its verdicts

    judge.release.set()
    _until(
        "round r + 1 committed once judged",
        lambda: oracle.ballot_of(next_round, engine.operator).committed,
    )
    # The store follows the chain a block later (the reveal's receipt is read by the next
    # tick's transactions step), possibly after round r + 1's commit went out in the same tick.
    _until(
        "round r's reveal recorded",
        lambda: getattr(engine.store.ballot(r), "state", None) is BallotState.REVEALED,
    )


def test_engine__stopped_while_a_batch_is_judged__stops_and_the_batch_is_judged_again(
    oracle: OracleClient, running: tuple[Engine, HeldJudge, threading.Thread]
) -> None:
    engine, judge, thread = running
    judge.release.clear()
    backlog, _ = _submit(oracle, 4, seed=3)
    _until("the worker holds a batch", judge.holding.is_set)

    engine.drain.stop()  # SIGTERM: nothing open to reveal, so the drain ends at once
    thread.join(WAIT_S)
    assert not thread.is_alive() and engine.drained.is_set()
    judge.release.set()  # the held batch finishes after the stop: its verdicts are dropped
    _until("the worker ended", lambda: not engine.judging.alive)
    assert all(engine.store.proposals(backlog)[pid].verdict is None for pid in backlog)

    engine.judging.judge_once()  # as the next start's worker would
    assert all(engine.store.proposals(backlog)[pid].verdict is not None for pid in backlog)


def test_engine__database_lost_after_the_commit__rebuilds_through_the_worker_and_reveals(
    oracle: OracleClient,
    tiny: VerdictPipeline,
    running: tuple[Engine, HeldJudge, threading.Thread],
    tmp_path: Path,
) -> None:
    engine, _, thread = running
    r = _committed_round(oracle, engine)
    engine.stop()
    thread.join(WAIT_S)
    advance_to(oracle, oracle.round_timing(r).reveal_start)  # round r's commit phase is over

    fresh = engine_without_model(oracle, engine.signer, tmp_path / "new.db", judge=Judge(tiny))
    again = threading.Thread(target=fresh.run, daemon=True)
    again.start()
    try:
        _until("the rebuilt ballot revealed", lambda: oracle.ballot_of(r, fresh.operator).revealed)
        # Recorded when the next tick reads the reveal's receipt (transaction manager).
        _until(
            "the rebuilt ballot's reveal recorded",
            lambda: getattr(fresh.store.ballot(r), "state", None) is BallotState.REVEALED,
        )
    finally:
        fresh.stop()
        again.join(WAIT_S)
    ballot = fresh.store.ballot(r)
    assert ballot is not None and ballot.state is BallotState.REVEALED
    assert ballot.commitment == oracle.ballot_of(r, fresh.operator).commitment
