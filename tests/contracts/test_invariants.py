"""Stateful fuzzing: random stake / submit / commit / reveal / finalize / settle /
unstake / withdraw / claim / time sequences against the real contract, checked
after every step against the accounting views and a Python model of the spec
(tests/support/invariant_model.py). Some proposals come from a contract that is called
back (a CallbackProbe), so callback deposits are held and paid to finalizers too.

Sizes come from INVARIANT_EXAMPLES and INVARIANT_STEPS (`make fuzz` runs it long).
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from oracle.chain.oracle_abi import with_views
from oracle.chain.params import OracleParams
from tests.support.invariant_model import (
    BPS,
    FINALIZED,
    SETTLEMENT_WINDOW,
    OracleModel,
    Outcome,
    Params,
)
from tests.support.vote_signing import Domain, commitment, list_hash, new_salt, sign_commit
from tests.support.web3_calls import Reverted, Web3Contract

EXAMPLES = int(os.environ.get("INVARIANT_EXAMPLES", "10"))
STEPS = int(os.environ.get("INVARIANT_STEPS", "18"))
# Shrinking a long failing run can take minutes; INVARIANT_SHRINK=0 reports it unshrunk.
SHRINK = os.environ.get("INVARIANT_SHRINK", "1") != "0"

ETHER = 10**18
# Short phases and small rounds so that a 20-step run crosses rounds, rolls
# proposals, spills full rounds and reaches settlement.
PARAMS = OracleParams(
    roundDuration=100,
    revealDuration=60,
    unbondingPeriod=300,
    proposalFee=ETHER // 100,
    maxPayloadSize=256,
    maxProposalsPerRound=3,
    quorumBps=5_000,
    supermajorityBps=6_667,
    maxRounds=2,
    minStake=ETHER,
    nonRevealSlashBps=300,
    incoherentSlashBps=1_000,
    equivocationSlashBps=5_000,
    callbackGasLimit=100_000,
    callbackGasPrice=10**9,
    modelHash="0x" + "42" * 32,
)
CONFIG = PARAMS.as_config()
CALLBACK_DEPOSIT = PARAMS.callbackGasLimit * PARAMS.callbackGasPrice
VALIDATORS = 4
REQUESTERS = 2
# How often each interesting outcome happened over the whole run (printed at the end).
REACHED: Counter[str] = Counter()


def event(name: str) -> None:
    REACHED[name] += 1


@pytest.fixture(scope="module")
def fuzz_deployment(accounts, project, chain):
    owner = accounts[0]
    core = owner.deploy(project.VerdictOracle, CONFIG, owner.address)
    oracle = with_views(
        core,
        project.VerdictOracleViews.contract_type,
        project.VerdictOracleEquivocation.contract_type,
    )
    validators = list(accounts[1 : 1 + VALIDATORS])
    requesters = list(accounts[1 + VALIDATORS : 1 + VALIDATORS + REQUESTERS])
    # A requester that is called back: its proposals carry a callback deposit.
    probe = owner.deploy(project.CallbackProbe, core.address)
    return oracle, validators, requesters, probe


def test_oracle__random_operation_sequences__keep_every_invariant(fuzz_deployment, chain):
    oracle, validators, requesters, probe = fuzz_deployment
    baseline = {"id": chain.snapshot()}

    class Machine(OracleStateMachine):
        def __init__(self) -> None:
            chain.restore(baseline["id"])
            baseline["id"] = chain.snapshot()
            super().__init__(oracle, chain, validators, requesters, probe)

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            phases=[p for p in Phase if SHRINK or p is not Phase.shrink],
            suppress_health_check=list(HealthCheck),
        ),
    )
    print("outcomes reached:", dict(sorted(REACHED.items())))


def expect(outcome: Outcome, send: Any) -> Any:
    """Send the call; it must succeed or fail exactly as the model predicted."""
    try:
        receipt = send()
    except Reverted as reverted:
        event(f"reverted {reverted.name}")
        assert reverted.name == outcome.error, (
            f"contract reverted {reverted.name}, model expected {outcome.error or 'success'}"
        )
        return None
    assert outcome.ok, f"model expected {outcome.error}, the call succeeded"
    return receipt


class OracleStateMachine(RuleBasedStateMachine):
    def __init__(
        self, oracle: Any, chain: Any, validators: list, requesters: list, probe: Any
    ) -> None:
        super().__init__()
        self.oracle, self.chain = Web3Contract(oracle, chain, requesters[0].address), chain
        # The oracle's custom errors bubble up through the probe's submit.
        self.probe = Web3Contract(probe, chain, requesters[0].address)
        self.probe.errors.update(self.oracle.errors)
        self.validators, self.requesters = validators, requesters
        self.domain = Domain(chain.chain_id, oracle.address)
        self.model = OracleModel(
            Params(
                round_duration=CONFIG["roundDuration"],
                reveal_duration=CONFIG["revealDuration"],
                unbonding_period=CONFIG["unbondingPeriod"],
                genesis=int(self.oracle.call("timing")[0]),
                proposal_fee=CONFIG["proposalFee"],
                max_per_round=CONFIG["maxProposalsPerRound"],
                quorum_bps=CONFIG["quorumBps"],
                supermajority_bps=CONFIG["supermajorityBps"],
                max_rounds=CONFIG["maxRounds"],
                min_stake=CONFIG["minStake"],
                non_reveal_bps=CONFIG["nonRevealSlashBps"],
                incoherent_bps=CONFIG["incoherentSlashBps"],
            )
        )
        self.model.balance = self.oracle.balance()
        # What the last step touched; invariants re-read these (a full sweep runs at teardown).
        self.touched_accounts: set[str] = set()
        self.touched_tallies: set[tuple[int, int]] = set()
        self.just_finalized: list[int] = []
        self.just_revealed: list[tuple[int, str]] = []
        self.just_settled: list[tuple[int, str, int]] = []
        self.paid_per_proposal: dict[int, int] = {}

    # ------------------------------------------------------------ helpers

    def now(self) -> int:
        return int(self.chain.pending_timestamp)

    def _validator(self, index: int) -> Any:
        return self.validators[index % len(self.validators)]

    # ------------------------------------------------------------ rules: staking

    @initialize(amounts=st.lists(st.integers(1, 4), min_size=VALIDATORS, max_size=VALIDATORS))
    def stake_everyone(self, amounts: list[int]) -> None:
        for v, eth in zip(self.validators, amounts, strict=True):
            self.stake(v, eth * ETHER)
        # Stake must predate a round's snapshot (creation - 1 s) to vote in it.
        self.chain.pending_timestamp = self.now() + 2

    def stake(self, v: Any, amount: int) -> None:
        outcome = self.model.stake(v.address, amount, self.now())
        expect(outcome, lambda: self.oracle.send("stake", sender=v, value=amount))
        self.touched_accounts.add(v.address)

    @rule(index=st.integers(0, VALIDATORS - 1), halves=st.integers(0, 5))
    def add_stake(self, index: int, halves: int) -> None:
        self.stake(self._validator(index), halves * ETHER // 2)

    @rule(index=st.integers(0, VALIDATORS - 1), quarters=st.integers(0, 4), extra=st.booleans())
    def request_unstake(self, index: int, quarters: int, extra: bool) -> None:
        v = self._validator(index)
        active = self.model.active(v.address)
        amount = active * quarters // 4 + (1 if extra else 0)
        outcome = self.model.request_unstake(v.address, amount, self.now())
        expect(outcome, lambda: self.oracle.send("requestUnstake", amount, sender=v))
        self.touched_accounts.add(v.address)

    @rule(index=st.integers(0, VALIDATORS - 1))
    def withdraw(self, index: int) -> None:
        v = self._validator(index)
        before = self.eth_of(v.address)
        outcome, amount = self.model.withdraw(v.address, self.now())
        tx = expect(outcome, lambda: self.oracle.send("withdraw", sender=v))
        if tx is not None:
            assert self.eth_of(v.address) == before + amount - Web3Contract.fees_paid(tx)
        self.touched_accounts.add(v.address)

    # ------------------------------------------------------------ rules: proposals

    @rule(
        index=st.integers(0, REQUESTERS - 1),
        extra=st.sampled_from([-1, 0, 0, ETHER // 1000, 7]),
        truth=st.sampled_from([0, 0, 0, 1, 2]),
        callback=st.booleans(),
    )
    def submit(self, index: int, extra: int, truth: int, callback: bool = False) -> None:
        """`callback`: through the probe, which is called back and so owes the deposit too
        (`extra` -1 then sends one wei short of fee + deposit)."""
        requester = self.requesters[index]
        deposit = CALLBACK_DEPOSIT if callback else 0
        value = CONFIG["proposalFee"] + deposit + extra
        if callback:
            outcome, pid = self.model.submit(self.probe.address, value, truth, self.now(), deposit)
            event("submit with callback" if outcome.ok else "submit with callback refused")
            target = self.probe
        else:
            outcome, pid = self.model.submit(requester.address, value, truth, self.now())
            target = self.oracle
        tx = expect(
            outcome,
            lambda: target.send("submit", b"fuzz", sender=requester, value=value),
        )
        if tx is not None:
            (submitted,) = self.oracle.events(tx, "ProposalSubmitted")
            assert (submitted["id"], submitted["round"]) == (pid, self.model.proposals[pid].round)
            assert submitted["fee"] == self.model.proposals[pid].fee
            assert self.oracle.call("callbackDepositOf", pid)[1] == deposit

    # ------------------------------------------------------------ rules: voting

    @rule(index=st.integers(0, VALIDATORS - 1), dissent=st.integers(0, 7), relayed=st.booleans())
    def commit(self, index: int, dissent: int, relayed: bool) -> None:
        """Commit to the round in its commit phase: the honest verdict, flipped where
        `dissent` has a bit set. A second commit in one round must revert."""
        v = self._validator(index)
        now = self.now()
        round_ = self.model.current_round(now)
        ids = self.model.rounds.get(round_)
        ids = ids.ids if ids else []
        verdicts = bytes(
            (self.model.proposals[pid].truth + ((dissent >> i) & 1)) % 5
            for i, pid in enumerate(ids)
        )
        salt = new_salt()
        c = commitment(self.domain, round_, v.address, list_hash(ids), verdicts, salt)
        outcome = self.model.commit(round_, v.address, verdicts, salt, now, relayed=relayed)
        if relayed:
            signature = sign_commit(self.domain, round_, c, v.address, v.private_key)
            expect(
                outcome,
                lambda: self.oracle.send(
                    "commitRelayed", round_, [(v.address, c, signature)], sender=self.requesters[0]
                ),
            )
        else:
            expect(outcome, lambda: self.oracle.send("commit", round_, c, sender=v))

    @rule(index=st.integers(0, VALIDATORS - 1))
    def reveal(self, index: int) -> None:
        """Reveal in the round whose reveal phase is open; a second reveal must revert."""
        v = self._validator(index)
        now = self.now()
        round_ = self.model.current_round(now) - 1
        if round_ < 0:
            return
        ballot = self.model.ballots.get((round_, v.address))
        verdicts, salt = (ballot.verdicts, ballot.salt) if ballot else (b"", b"\x00" * 32)
        outcome = self.model.reveal(round_, v.address, now)
        expect(
            outcome,
            lambda: self.oracle.send("reveal", round_, v.address, verdicts, salt, sender=v),
        )
        if outcome.ok:
            self.touched_tallies.update((pid, round_) for pid in self.model.rounds[round_].ids)
            self.just_revealed.append((round_, v.address))

    @rule()
    def reveal_all_in_one_call(self) -> None:
        """A relayer reveals every unrevealed ballot of the open reveal phase at once."""
        now = self.now()
        round_ = self.model.current_round(now) - 1
        pending = [
            (v, b)
            for (r, v), b in self.model.ballots.items()
            if r == round_
            and not b.revealed
            and self.model.voting_weight(v, self.model.rounds[r].snapshot) > 0
        ]
        if not pending or not self.model.reveal(round_, pending[0][0], now).ok:
            return
        for v, _ in pending[1:]:
            assert self.model.reveal(round_, v, now).ok
        event("revealMany")
        self.oracle.send(
            "revealMany",
            round_,
            [(v, b.verdicts, b.salt) for v, b in pending],
            sender=self.requesters[1],
        )
        self.touched_tallies.update((pid, round_) for pid in self.model.rounds[round_].ids)
        self.just_revealed.extend((round_, v) for v, _ in pending)

    @rule(pick=st.integers(0, 10_000))
    def finalize(self, pick: int) -> None:
        if not self.model.proposals:
            return
        pid = pick % len(self.model.proposals) + 1
        finalizer = self.requesters[0]
        outcome = self.model.finalize(pid, self.now(), finalizer.address)
        tx = expect(outcome, lambda: self.oracle.send("finalize", pid, sender=finalizer))
        if tx is not None:
            status = self.model.proposals[pid].status
            event(
                {1: "finalize rolled", 2: "finalize consensus", 3: "finalize no consensus"}[status]
            )
            self.just_finalized.append(pid)
            self.touched_accounts.update((self.model.proposals[pid].requester, finalizer.address))

    @rule(pick=st.integers(0, 10_000), wrong=st.booleans())
    def settle(self, pick: int, wrong: bool) -> None:
        now = self.now()
        candidates = self.model.settleable_ballots(now) or list(self.model.ballots)
        if not candidates:
            return
        round_, v = candidates[pick % len(candidates)]
        ballot = self.model.ballots[(round_, v)]
        verdicts = ballot.verdicts if ballot.revealed else b""
        if wrong:
            verdicts = verdicts + b"\x00"
        outcome, reward, slashed = self.model.settle(round_, v, verdicts, now)
        tx = expect(
            outcome,
            lambda: self.oracle.send("settle", round_, v, verdicts, sender=self.requesters[1]),
        )
        if tx is not None:
            (settled,) = self.oracle.events(tx, "BallotSettled")
            assert (settled["reward"], settled["slashed"]) == (reward, slashed)
            self.just_settled.append((round_, v, slashed))
            event("settled with reward" if reward else "settled without reward")
            if slashed:
                event("settled with slash")
            self._track_payouts(round_, v)
        self.touched_accounts.add(v)

    @rule()
    def settle_every_settleable_ballot(self) -> None:
        now = self.now()
        keys = self.model.settleable_ballots(now)
        if not keys:
            return
        round_ = keys[0][0]
        keys = [k for k in keys if k[0] == round_]
        verdicts = [
            self.model.ballots[k].verdicts if self.model.ballots[k].revealed else b"" for k in keys
        ]
        for (r, v), vs in zip(keys, verdicts, strict=True):
            assert self.model.settle(r, v, vs, now)[0].ok
            self._track_payouts(r, v)
        event("settleMany")
        tx = self.oracle.send(
            "settleMany", round_, [v for _, v in keys], verdicts, sender=self.requesters[0]
        )
        self.just_settled.extend(
            (round_, e["validator"], e["slashed"]) for e in self.oracle.events(tx, "BallotSettled")
        )
        self.touched_accounts.update(v for _, v in keys)

    def _track_payouts(self, round_: int, v: str) -> None:
        ballot = self.model.ballots[(round_, v)]
        if not ballot.revealed:
            return
        for pid, verdict in zip(self.model.rounds[round_].ids, ballot.verdicts, strict=True):
            prop = self.model.proposals[pid]
            if (
                prop.status == FINALIZED
                and prop.decided_round == round_
                and verdict == prop.verdict
            ):
                share = prop.fee * ballot.stake // self.model.tally(pid, round_)[prop.verdict]
                self.paid_per_proposal[pid] = self.paid_per_proposal.get(pid, 0) + share

    @rule(index=st.integers(0, VALIDATORS + REQUESTERS - 1))
    def claim(self, index: int) -> None:
        account = (self.validators + self.requesters)[index]
        before = self.eth_of(account.address)
        outcome, amount = self.model.claim(account.address)
        tx = expect(outcome, lambda: self.oracle.send("claim", sender=account))
        if tx is not None:
            assert self.eth_of(account.address) == before + amount - Web3Contract.fees_paid(tx)
        self.touched_accounts.add(account.address)

    @rule(pick=st.integers(0, 10_000), wait=st.booleans())
    def sweep_round_fees(self, pick: int, wait: bool) -> None:
        """Sweep a round's unclaimed fees; `wait`: first jump past its settlement window
        (rare in a run: every later round then opens far in the future of its snapshot)."""
        if not self.model.rounds:
            return
        rounds = sorted(self.model.rounds)
        round_ = rounds[pick % len(rounds)]
        if wait:
            self._jump(self.model.timing(round_)[2] + SETTLEMENT_WINDOW)
        outcome, amount = self.model.sweep_round_fees(round_, self.now())
        tx = expect(
            outcome, lambda: self.oracle.send("sweepRoundFees", round_, sender=self.requesters[0])
        )
        if tx is not None:
            (swept,) = self.oracle.events(tx, "RoundFeesSwept")
            assert swept["amount"] == amount
            event("swept with remainder" if amount else "swept nothing")

    @rule(seconds=st.sampled_from([1, 5, 20, 40, 60, 100, 160]))
    def advance_time(self, seconds: int) -> None:
        self.chain.pending_timestamp = self.now() + seconds

    # ------------------------------------------------------------ rules: whole rounds
    # Random single steps rarely line up into commit -> reveal -> finalize -> settle, so
    # `drive` moves the oldest unfinished round one stage on, jumping to the phase it
    # needs. Registered four times to make it about a quarter of all steps; the single
    # rules above still interleave with it.

    def drive(self, dissent: int, skip: int, relayed: bool) -> None:
        """`dissent`: bit 2i+j flips validator i's verdict on the round's proposal j;
        `skip`: bit i makes validator i sit out this stage (no commit, or no reveal)."""
        now = self.now()
        busy = [
            r
            for r, info in sorted(self.model.rounds.items())
            if info.pending
            or any(not b.settled for (rr, _), b in self.model.ballots.items() if rr == r)
        ]
        if not busy:
            self.submit(index=0, extra=0, truth=dissent % 3, callback=relayed)
            return
        round_ = busy[0]
        info = self.model.rounds[round_]
        commit_start, reveal_start, reveal_end = self.model.timing(round_)
        ballots = {v: b for (r, v), b in self.model.ballots.items() if r == round_}
        if not ballots and now < reveal_start:
            self._jump(commit_start)
            self._commit_stage(round_, info.ids, dissent, skip, relayed)
        elif now < reveal_end and any(
            not b.revealed and self.model.voting_weight(v, info.snapshot) > 0
            for v, b in ballots.items()
        ):
            self._jump(reveal_start)
            self._reveal_stage(round_, skip)
        elif info.pending:
            self._jump(reveal_end)
            self._finalize_stage(round_)
        else:
            self._jump(reveal_end)
            self.settle_every_settleable_ballot()

    @rule(dissent=st.integers(0, 255), skip=st.integers(0, 15), relayed=st.booleans())
    def drive_a(self, dissent: int, skip: int, relayed: bool) -> None:
        self.drive(dissent, skip, relayed)

    @rule(dissent=st.integers(0, 255), skip=st.integers(0, 15), relayed=st.booleans())
    def drive_b(self, dissent: int, skip: int, relayed: bool) -> None:
        self.drive(dissent, skip, relayed)

    @rule(dissent=st.integers(0, 255), skip=st.integers(0, 15), relayed=st.booleans())
    def drive_c(self, dissent: int, skip: int, relayed: bool) -> None:
        self.drive(dissent, skip, relayed)

    @rule(dissent=st.integers(0, 255), skip=st.integers(0, 15), relayed=st.booleans())
    def drive_d(self, dissent: int, skip: int, relayed: bool) -> None:
        self.drive(dissent, skip, relayed)

    def _jump(self, timestamp: int) -> None:
        if self.now() < timestamp:
            self.chain.pending_timestamp = timestamp

    def _commit_stage(
        self, round_: int, ids: list[int], dissent: int, skip: int, relayed: bool
    ) -> None:
        entries = []
        for i, v in enumerate(self.validators):
            if (skip >> i) & 1 or v.address not in self.model.validators:
                continue
            flips = (dissent >> (2 * i)) & 3
            verdicts = bytes(
                (self.model.proposals[pid].truth + ((flips >> j) & 1 if j < 2 else 0)) % 5
                for j, pid in enumerate(ids)
            )
            salt = new_salt()
            c = commitment(self.domain, round_, v.address, list_hash(ids), verdicts, salt)
            assert self.model.commit(round_, v.address, verdicts, salt, self.now()).ok
            if relayed:
                signature = sign_commit(self.domain, round_, c, v.address, v.private_key)
                entries.append((v.address, c, signature))
            else:
                self.oracle.send("commit", round_, c, sender=v)
        if entries:
            self.oracle.send("commitRelayed", round_, entries, sender=self.requesters[0])
        event("drive: commit")

    def _reveal_stage(self, round_: int, skip: int) -> None:
        snapshot = self.model.rounds[round_].snapshot
        reveals = []
        for i, v in enumerate(self.validators):
            ballot = self.model.ballots.get((round_, v.address))
            if ballot is None or ballot.revealed or (skip >> i) & 1:
                continue
            if self.model.voting_weight(v.address, snapshot) == 0:
                continue
            assert self.model.reveal(round_, v.address, self.now()).ok
            reveals.append((v.address, ballot.verdicts, ballot.salt))
        if reveals:
            self.oracle.send("revealMany", round_, reveals, sender=self.requesters[1])
            self.touched_tallies.update((pid, round_) for pid in self.model.rounds[round_].ids)
            self.just_revealed.extend((round_, v) for v, _, _ in reveals)
            event("drive: reveal")

    def _finalize_stage(self, round_: int) -> None:
        now = self.now()
        ids = [
            pid
            for pid in self.model.rounds[round_].ids
            if self.model.proposals[pid].round == round_
        ]
        ids = [pid for pid in ids if self.model.proposals[pid].status == 1]
        finalizer = self.requesters[0]
        for pid in ids:
            assert self.model.finalize(pid, now, finalizer.address).ok
            status = self.model.proposals[pid].status
            event(
                {1: "finalize rolled", 2: "finalize consensus", 3: "finalize no consensus"}[status]
            )
            self.touched_accounts.add(self.model.proposals[pid].requester)
        self.oracle.send("finalizeMany", ids, sender=finalizer)
        self.just_finalized.extend(ids)
        self.touched_accounts.add(finalizer.address)

    def eth_of(self, address: str) -> int:
        return int(self.oracle.w3.eth.get_balance(address))

    # ------------------------------------------------------------ invariants

    @invariant()
    def eth_held_equals_the_accounting(self) -> None:
        names = ("totalActive", "totalUnbonding", "totalClaimable", "undistributedFees")
        parts = {name: int(self.oracle.call(name)) for name in (*names, "slashedReserve")}
        balance = self.oracle.balance()
        assert balance == sum(parts.values()), parts
        m = self.model
        assert balance == m.balance
        assert parts == {
            "totalActive": m.total.latest(),
            "totalUnbonding": m.total_unbonding,
            "totalClaimable": sum(m.claimable.values()),
            "undistributedFees": m.undistributed,
            "slashedReserve": m.slashed_reserve,
        }

    @invariant()
    def touched_accounts_match_the_model(self) -> None:
        for account in self.touched_accounts:
            self._check_account(account)
        self.touched_accounts.clear()

    def _check_account(self, account: str) -> None:
        assert self.oracle.call("claimable", account) == self.model.claimable.get(account, 0)
        if account in self.model.validators:
            record = self.model.validators[account]
            active, unbonding, withdrawable_at, _ = self.oracle.call("validatorInfo", account)
            assert (active, unbonding) == (record.stake.latest(), record.unbonding)
            if record.unbonding:
                assert withdrawable_at == record.withdrawable_at
            assert self.oracle.call("openBallotsOf", account) == record.open_ballots

    @invariant()
    def tallies_equal_revealed_snapshot_stake(self) -> None:
        for pid, round_ in self.touched_tallies:
            assert list(self.oracle.call("tallyOf", pid, round_)) == self.model.tally(pid, round_)
        self.touched_tallies.clear()

    @invariant()
    def finalized_verdicts_met_quorum_and_supermajority(self) -> None:
        """Checked from chain data alone: the tally, the snapshot and the total stake then."""
        for pid in self.just_finalized:
            view = self.oracle.call("proposal", pid)
            round_, status, verdict = view[3], view[6], view[7]
            model_prop = self.model.proposals[pid]
            assert (status, verdict) == (model_prop.status, model_prop.verdict)
            # A deposit is held until the final callback, then paid once (and zeroed).
            assert self.oracle.call("callbackDepositOf", pid)[1] == model_prop.deposit
            if status != FINALIZED:
                continue
            tally = list(self.oracle.call("tallyOf", pid, round_))
            snapshot = self.oracle.call("roundInfo", round_)[2]
            total = self.oracle.call("totalStakeAt", snapshot)
            revealed, winning = sum(tally), tally[verdict]
            assert revealed * BPS >= total * CONFIG["quorumBps"]
            assert winning * BPS >= revealed * CONFIG["supermajorityBps"]
            assert winning == max(tally)
        self.just_finalized.clear()

    @invariant()
    def voting_weight_never_exceeds_bonded_stake_at_count_time(self) -> None:
        """Right after a reveal (its count time) its weight is backed by stake still bonded,
        and never more than the stake the round snapshotted."""
        for round_, v in self.just_revealed:
            _, _, weight, revealed, _ = self.oracle.call("ballotOf", round_, v)
            active, unbonding, _, _ = self.oracle.call("validatorInfo", v)
            snapshot = self.oracle.call("roundInfo", round_)[2]
            assert revealed and 0 < weight <= active + unbonding, (round_, v, weight)
            assert weight <= self.oracle.call("stakeAt", v, snapshot)
        self.just_revealed.clear()

    @invariant()
    def penalties_are_bounded_per_round(self) -> None:
        """Whatever the round's size: a missed reveal costs at most nonRevealSlashBps of the
        snapshot stake, an incoherent ballot at most incoherentSlashBps of its weight."""
        for round_, v, slashed in self.just_settled:
            _, _, weight, revealed, _ = self.oracle.call("ballotOf", round_, v)
            if revealed:
                assert slashed * BPS <= weight * CONFIG["incoherentSlashBps"], (round_, v)
            else:
                snapshot = self.oracle.call("roundInfo", round_)[2]
                stake = self.oracle.call("stakeAt", v, snapshot)
                assert slashed * BPS <= stake * CONFIG["nonRevealSlashBps"], (round_, v)
        self.just_settled.clear()

    @invariant()
    def rewards_never_exceed_the_fee(self) -> None:
        for pid, paid in self.paid_per_proposal.items():
            assert paid <= self.model.proposals[pid].fee, (pid, paid)

    def teardown(self) -> None:
        """Full sweep: every account, every tally, and one vote per validator per round
        (each proposal's tally sums to the stake of the round's revealed ballots)."""
        for account in [a.address for a in self.validators + self.requesters]:
            self._check_account(account)
        self._check_account(self.probe.address)
        for round_, r in self.model.rounds.items():
            revealed_stake = 0
            for v in self.validators:
                _, _, stake, revealed, _ = self.oracle.call("ballotOf", round_, v.address)
                revealed_stake += stake if revealed else 0
            for pid in r.ids:
                tally = list(self.oracle.call("tallyOf", pid, round_))
                assert tally == self.model.tally(pid, round_)
                assert sum(tally) == revealed_stake
