"""A Python model of the oracle's protocol (docs/protocol.md), for the stateful fuzz test.

Used by tests/contracts/test_invariants.py. The model is written from the spec, not from the
Solidity: it predicts whether each call succeeds (and with which error it
fails), which round a proposal joins, every tally, every reward and slash, and
so every wei the oracle should hold. The fuzz test compares it with the chain
after each step.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from oracle.chain.client import Status
from oracle.chain.params import MAX_BPS as BPS
from oracle.chain.round_clock import RoundClock
from oracle.model.labels import NUM_CLASSES as CLASSES

PENDING, FINALIZED, NO_CONSENSUS = Status.PENDING, Status.FINALIZED, Status.NO_CONSENSUS


@dataclass
class Params:
    round_duration: int
    reveal_duration: int
    unbonding_period: int
    genesis: int
    proposal_fee: int
    max_per_round: int
    quorum_bps: int
    supermajority_bps: int
    max_rounds: int
    min_stake: int
    non_reveal_bps: int
    incoherent_bps: int


class Trace:
    """Checkpoints keyed by timestamp; a second write at one timestamp replaces the first."""

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.values: list[int] = []

    def push(self, key: int, value: int) -> None:
        if self.keys and self.keys[-1] == key:
            self.values[-1] = value
        else:
            self.keys.append(key)
            self.values.append(value)

    def latest(self) -> int:
        return self.values[-1] if self.values else 0

    def at(self, key: int) -> int:
        i = bisect.bisect_right(self.keys, key)
        return self.values[i - 1] if i else 0


@dataclass
class Validator:
    registered: bool = False
    unbonding: int = 0
    withdrawable_at: int = 0
    open_ballots: int = 0
    stake: Trace = field(default_factory=Trace)


@dataclass
class Proposal:
    pid: int
    requester: str
    fee: int
    round: int
    attempts: int
    truth: int  # the verdict honest validators give in the fuzz test
    # The callback deposit still held for the finalizer (0 once paid, or without a callback).
    deposit: int = 0
    status: int = PENDING
    verdict: int = 0
    winning_stake: int = 0
    decided_round: int = -1


@dataclass
class Round:
    ids: list[int] = field(default_factory=list)
    pending: int = 0
    snapshot: int = 0
    fees_paid: int = 0  # rewards paid from the fees of the proposals this round decided
    swept: bool = False  # the rest went to the reserve; later settlements pay no reward


# A round's ballots may claim rewards this long after its reveal phase (then: sweep).
SETTLEMENT_WINDOW = 7 * 24 * 3600


@dataclass
class ModelBallot:
    verdicts: bytes
    salt: bytes
    revealed: bool = False
    stake: int = 0
    settled: bool = False


@dataclass
class Outcome:
    """What a call is predicted to do: the custom error it reverts with, or None."""

    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class OracleModel:
    def __init__(self, params: Params) -> None:
        self.p = params
        self.clock = RoundClock(params.genesis, params.round_duration, params.reveal_duration)
        self.validators: dict[str, Validator] = {}
        self.total = Trace()
        self.total_unbonding = 0
        self.claimable: dict[str, int] = {}
        self.undistributed = 0
        self.slashed_reserve = 0
        self.balance = 0
        self.proposals: dict[int, Proposal] = {}
        self.rounds: dict[int, Round] = {}
        self.ballots: dict[tuple[int, str], ModelBallot] = {}
        self.tallies: dict[tuple[int, int], list[int]] = {}
        self.join_cursor = 0

    # ------------------------------------------------------------ time

    def current_round(self, now: int) -> int:
        return self.clock.current_round(now)

    def timing(self, round_: int) -> tuple[int, int, int]:
        return self.clock.timing(round_).as_tuple()

    # ------------------------------------------------------------ stake

    def active(self, v: str) -> int:
        return self.validators[v].stake.latest() if v in self.validators else 0

    def _write_stake(self, v: str, now: int, active: int) -> None:
        delta = active - self.active(v)
        self.validators[v].stake.push(now, active)
        self.total.push(now, self.total.latest() + delta)

    def stake(self, v: str, amount: int, now: int) -> Outcome:
        if amount == 0:
            return Outcome("StakingZeroAmount")
        new_active = self.active(v) + amount
        if new_active < self.p.min_stake:
            return Outcome("StakingBelowMinimum")
        self.validators.setdefault(v, Validator()).registered = True
        self._write_stake(v, now, new_active)
        self.balance += amount
        return Outcome()

    def request_unstake(self, v: str, amount: int, now: int) -> Outcome:
        if v not in self.validators:
            return Outcome("StakingNotValidator")
        if amount == 0:
            return Outcome("StakingZeroAmount")
        active = self.active(v)
        if amount > active:
            return Outcome("StakingInsufficientActive")
        if 0 < active - amount < self.p.min_stake:
            return Outcome("StakingBelowMinimum")
        record = self.validators[v]
        self._write_stake(v, now, active - amount)
        record.unbonding += amount
        self.total_unbonding += amount
        # Stake stays bonded through the reveal phase of every round joined so far: each may
        # have snapshotted it.
        last_reveal_end = self.timing(self.join_cursor)[2]
        record.withdrawable_at = max(now + self.p.unbonding_period, last_reveal_end)
        return Outcome()

    def withdraw(self, v: str, now: int) -> tuple[Outcome, int]:
        record = self.validators.get(v, Validator())
        if record.unbonding == 0:
            return Outcome("StakingNothingToWithdraw"), 0
        if now < record.withdrawable_at:
            return Outcome("StakingStillUnbonding"), 0
        if record.open_ballots:
            return Outcome("StakingOpenBallots"), 0
        amount, record.unbonding = record.unbonding, 0
        self.total_unbonding -= amount
        self.balance -= amount
        return Outcome(), amount

    def bonded(self, v: str) -> int:
        """Active plus unbonding: all of `v`'s stake that can still be slashed."""
        return self.active(v) + self.validators[v].unbonding if v in self.validators else 0

    def voting_weight(self, v: str, snapshot: int) -> int:
        """The stake at the snapshot, never more than what is still bonded."""
        return min(self.validators[v].stake.at(snapshot), self.bonded(v))

    def _slash(self, v: str, amount: int, now: int) -> int:
        active = self.active(v)
        from_active = min(amount, active)
        if from_active:
            self._write_stake(v, now, active - from_active)
        record = self.validators[v]
        from_unbonding = min(amount - from_active, record.unbonding)
        record.unbonding -= from_unbonding
        self.total_unbonding -= from_unbonding
        taken = from_active + from_unbonding
        self.slashed_reserve += taken
        return taken

    # ------------------------------------------------------------ proposals

    def submit(
        self, requester: str, value: int, truth: int, now: int, deposit: int = 0
    ) -> tuple[Outcome, int]:
        """`deposit`: the callback deposit a requester that is called back owes on top of the
        fee (docs/protocol.md, "Callback deposit"); `value` is the whole msg.value."""
        if value < self.p.proposal_fee + deposit:
            return Outcome("OracleFeeTooLow"), 0
        pid = len(self.proposals) + 1
        round_ = self._join(pid, now)
        self.proposals[pid] = Proposal(
            pid, requester, value - deposit, round_, attempts=1, truth=truth, deposit=deposit
        )
        self.undistributed += value
        self.balance += value
        return Outcome(), pid

    def _join(self, pid: int, now: int) -> int:
        """The next round that has room, never before currentRound() + 1."""
        round_ = max(self.current_round(now) + 1, self.join_cursor)
        while len(self.rounds.get(round_, Round()).ids) >= self.p.max_per_round:
            round_ += 1
        self.join_cursor = round_
        r = self.rounds.setdefault(round_, Round())
        if not r.ids:
            r.snapshot = now - 1
        r.ids.append(pid)
        r.pending += 1
        return round_

    # ------------------------------------------------------------ voting

    def commit(
        self, round_: int, v: str, verdicts: bytes, salt: bytes, now: int, relayed: bool = False
    ) -> Outcome:
        """`relayed`: through `commitRelayed`, which checks the phase before the validator."""
        if not relayed and v not in self.validators:
            return Outcome("OracleNotOperatorOrSigner")
        commit_start, reveal_start, _ = self.timing(round_)
        if not commit_start <= now < reveal_start:
            return Outcome("OracleNotCommitPhase")
        if not self.rounds.get(round_, Round()).ids:
            return Outcome("OracleRoundEmpty")
        if relayed and v not in self.validators:
            return Outcome("StakingNotValidator")
        if (round_, v) in self.ballots:
            return Outcome("OracleAlreadyCommitted")
        self.ballots[(round_, v)] = ModelBallot(verdicts, salt)
        self.validators[v].open_ballots += 1
        return Outcome()

    def reveal(self, round_: int, v: str, now: int) -> Outcome:
        _, reveal_start, reveal_end = self.timing(round_)
        if not reveal_start <= now < reveal_end:
            return Outcome("OracleNotRevealPhase")
        ballot = self.ballots.get((round_, v))
        if ballot is None:
            return Outcome("OracleNoCommitment")
        if ballot.revealed:
            return Outcome("OracleAlreadyRevealed")
        r = self.rounds[round_]
        stake = self.voting_weight(v, r.snapshot)
        if stake == 0:
            return Outcome("OracleNoStakeAtSnapshot")
        ballot.revealed, ballot.stake = True, stake
        for pid, verdict in zip(r.ids, ballot.verdicts, strict=True):
            self.tallies.setdefault((pid, round_), [0] * CLASSES)[verdict] += stake
        return Outcome()

    def tally(self, pid: int, round_: int) -> list[int]:
        return self.tallies.get((pid, round_), [0] * CLASSES)

    # ------------------------------------------------------------ finalization

    def leader(self, tally: list[int]) -> tuple[int, int, int]:
        winning = max(tally)
        return tally.index(winning), winning, sum(tally)

    def finalize(self, pid: int, now: int, finalizer: str = "") -> Outcome:
        """`finalizer`: the sender, credited the callback deposit when the proposal ends."""
        prop = self.proposals.get(pid)
        if prop is None:
            return Outcome("OracleUnknownProposal")
        if prop.status != PENDING:
            return Outcome("OracleProposalNotPending")
        round_ = prop.round
        r = self.rounds[round_]
        verdict, winning, revealed = self.leader(self.tally(pid, round_))
        total = self.total.at(r.snapshot)
        quorum = revealed > 0 and revealed * BPS >= total * self.p.quorum_bps
        _, reveal_start, reveal_end = self.timing(round_)
        if now < reveal_end:
            # Early only inside the reveal phase, once the leader alone holds the
            # supermajority of the whole snapshot stake.
            decided = (
                now >= reveal_start
                and quorum
                and winning > 0
                and winning * BPS >= total * self.p.supermajority_bps
            )
            if not decided:
                return Outcome("OracleTooEarlyToFinalize")
        consensus = quorum and winning > 0 and winning * BPS >= revealed * self.p.supermajority_bps
        r.pending -= 1
        if consensus:
            prop.status, prop.verdict, prop.winning_stake = FINALIZED, verdict, winning
            prop.decided_round = round_
        elif prop.attempts < self.p.max_rounds:
            prop.attempts += 1
            prop.round = self._join(pid, now)
        else:
            prop.status, prop.decided_round = NO_CONSENSUS, round_
            self.undistributed -= prop.fee
            self._credit(prop.requester, prop.fee)
        if prop.status != PENDING and prop.deposit:
            # The final callback is made: its sender paid the gas and is owed the deposit.
            self.undistributed -= prop.deposit
            self._credit(finalizer, prop.deposit)
            prop.deposit = 0
        return Outcome()

    def _credit(self, account: str, amount: int) -> None:
        self.claimable[account] = self.claimable.get(account, 0) + amount

    # ------------------------------------------------------------ settlement

    def settle(self, round_: int, v: str, verdicts: bytes, now: int) -> tuple[Outcome, int, int]:
        r = self.rounds.get(round_, Round())
        if r.pending or now < self.timing(round_)[2]:
            return Outcome("OracleRoundNotSettleable"), 0, 0
        ballot = self.ballots.get((round_, v))
        if ballot is None:
            return Outcome("OracleNoCommitment"), 0, 0
        if ballot.settled:
            return Outcome("OracleAlreadySettled"), 0, 0
        if verdicts != (ballot.verdicts if ballot.revealed else b""):
            return Outcome("OracleVerdictsMismatch"), 0, 0
        # Bounded per round: a missed reveal costs `non_reveal_bps` of the vote's weight once;
        # incoherence costs `incoherent_bps` of it times the share of the round's decided
        # proposals voted against consensus (rounded down once).
        reward, incoherent, decided = 0, 0, 0
        if ballot.revealed:
            for pid, verdict in zip(r.ids, ballot.verdicts, strict=True):
                prop = self.proposals[pid]
                if prop.status != FINALIZED or prop.decided_round != round_:
                    continue  # rolled on, or ended without consensus: neither pays nor slashes
                decided += 1
                if verdict == prop.verdict:
                    # Pro rata to the final winning tally: validators may still reveal
                    # after an early finalization, and the shares must not exceed the fee.
                    reward += prop.fee * ballot.stake // self.tally(pid, round_)[prop.verdict]
                else:
                    incoherent += 1
            slash = (
                ballot.stake * incoherent * self.p.incoherent_bps // (BPS * decided)
                if incoherent
                else 0
            )
        else:
            slash = self.voting_weight(v, r.snapshot) * self.p.non_reveal_bps // BPS
        if r.swept:
            reward = 0  # settled after the round's remainder was swept: forfeited
        ballot.settled = True
        self.validators[v].open_ballots -= 1
        r.fees_paid += reward
        self.undistributed -= reward
        if reward:
            self._credit(v, reward)
        taken = self._slash(v, slash, now) if slash else 0
        return Outcome(), reward, taken

    def sweep_round_fees(self, round_: int, now: int) -> tuple[Outcome, int]:
        """Once the settlement window passed: the decided fees not paid out go to the reserve."""
        r = self.rounds.setdefault(round_, Round())
        if now < self.timing(round_)[2] + SETTLEMENT_WINDOW or r.swept:
            return Outcome("OracleRoundNotSweepable"), 0
        if r.pending:
            return Outcome("OracleRoundNotSettleable"), 0
        owed = sum(
            self.proposals[pid].fee
            for pid in r.ids
            if self.proposals[pid].status == FINALIZED
            and self.proposals[pid].decided_round == round_
        )
        remainder = owed - r.fees_paid
        r.swept = True
        self.undistributed -= remainder
        self.slashed_reserve += remainder
        return Outcome(), remainder

    def claim(self, account: str) -> tuple[Outcome, int]:
        amount = self.claimable.get(account, 0)
        if amount == 0:
            return Outcome("OracleNothingToClaim"), 0
        self.claimable[account] = 0
        self.balance -= amount
        return Outcome(), amount

    # ------------------------------------------------------------ queries for the fuzz test

    def settleable_ballots(self, now: int) -> list[tuple[int, str]]:
        return [
            key
            for key, b in self.ballots.items()
            if not b.settled and self.rounds[key[0]].pending == 0 and now >= self.timing(key[0])[2]
        ]

    def pending_proposals(self) -> list[int]:
        return [pid for pid, prop in self.proposals.items() if prop.status == PENDING]
