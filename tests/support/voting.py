"""Drive validators through voting rounds on the in-process EVM: one helper stack.

`Rounds` knows a deployed oracle's round phases and travels to them; it also
builds `SealedBallot`s whose commitments are computed in Python from the spec
(tests/support/vote_signing.py), so the tests that use them check the contract's
hashing too. `Voter` commits and reveals with the contract's own `commitmentFor`
view, for tests that are about something else than the hashing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tests.support.vote_signing import Domain, commitment, list_hash, new_salt


def chain_advancer(chain: Any) -> Callable[[int], None]:
    """`advance(t)`: make the next transaction carry timestamp `t` (or later, never earlier)."""

    def advance(timestamp: int) -> None:
        if chain.pending_timestamp < timestamp:
            # Mining a block at T-1 leaves T as the next pending timestamp.
            chain.mine(timestamp=timestamp - 1)

    return advance


def block_advancer(chain: Any) -> Callable[[int], None]:
    """`advance(n)`: make the next transaction land in block `n` (or later, never earlier);
    what `Rounds` travels with on an oracle deployed with the block clock."""

    def advance(number: int) -> None:
        behind = number - (chain.blocks.height + 1)
        if behind > 0:
            chain.mine(behind)

    return advance


@dataclass(frozen=True)
class SealedBallot:
    """A ballot a test sealed itself: what it commits (`commitment`) and later reveals."""

    round: int
    validator: str
    verdicts: bytes
    salt: bytes
    commitment: bytes


class Rounds:
    """Phases of an oracle's voting rounds, travel to them, and Python-sealed ballots."""

    def __init__(
        self, oracle: Any, advance: Callable[[int], None], chain_id: int | None = None
    ) -> None:
        self.oracle = oracle
        self.advance = advance
        self.chain_id = chain_id

    @classmethod
    def on(cls, oracle: Any, chain: Any) -> Rounds:
        return cls(oracle, chain_advancer(chain), chain.chain_id)

    @property
    def domain(self) -> Domain:
        if self.chain_id is None:
            raise ValueError("Rounds was built without a chain id: use Rounds.on(oracle, chain)")
        return Domain(chain_id=self.chain_id, oracle=self.oracle.address)

    # ------------------------------------------------------------ views

    def timing(self, round_: int) -> tuple[int, int, int]:
        commit_start, reveal_start, reveal_end = self.oracle.roundTiming(round_)
        return int(commit_start), int(reveal_start), int(reveal_end)

    def round_of(self, proposal_id: int) -> int:
        return int(self.oracle.proposal(proposal_id).round)

    def ids(self, round_: int) -> list[int]:
        return [int(i) for i in self.oracle.roundProposals(round_)]

    # ------------------------------------------------------------ time travel

    def to_round_start(self, round_: int) -> None:
        """Start of `round_`'s commit phase (proposals submitted now join `round_ + 1`)."""
        self.advance(self.timing(round_)[0])

    def to_commit(self, round_: int) -> None:
        self.advance(self.timing(round_)[0])

    def to_reveal(self, round_: int) -> None:
        self.advance(self.timing(round_)[1])

    def past_reveal(self, round_: int) -> None:
        self.advance(self.timing(round_)[2])

    def fresh(self) -> int:
        """Jump to the start of the next round; returns the round new proposals will join."""
        current = int(self.oracle.currentRound())
        self.to_round_start(current + 1)
        return current + 2

    # ------------------------------------------------------------ Python-sealed ballots

    def ballot(
        self, round_: int, validator: str, verdicts: bytes, salt: bytes | None = None
    ) -> SealedBallot:
        """A ballot whose commitment is computed from the round's current proposal list."""
        salt = new_salt() if salt is None else salt
        listed = list_hash(self.ids(round_))
        c = commitment(self.domain, round_, validator, listed, verdicts, salt)
        return SealedBallot(round_, validator, verdicts, salt, c)

    def commit_ballot(self, ballot: SealedBallot, sender: Any) -> Any:
        return self.oracle.commit(ballot.round, ballot.commitment, sender=sender)

    def reveal_ballot(self, ballot: SealedBallot, sender: Any) -> Any:
        return self.oracle.reveal(
            ballot.round, ballot.validator, ballot.verdicts, ballot.salt, sender=sender
        )

    def vote_sealed(self, round_: int, votes: dict[Any, bytes]) -> list[SealedBallot]:
        """Every account in `votes` commits then reveals its verdicts; ends in the reveal phase."""
        self.to_commit(round_)
        ballots = []
        for account, verdicts in votes.items():
            b = self.ballot(round_, account.address, verdicts)
            self.commit_ballot(b, account)
            ballots.append(b)
        self.to_reveal(round_)
        for account, b in zip(votes, ballots, strict=True):
            self.reveal_ballot(b, account)
        return ballots


class Voter:
    """Commit-reveal for one round, computing commitments with the contract's own view."""

    def __init__(self, oracle: Any, rounds: Rounds) -> None:
        self.oracle = oracle
        self.rounds = rounds
        self.salts: dict[tuple[int, str], bytes] = {}

    def commit(self, round_: int, validator: Any, verdicts: bytes, sender: Any = None) -> Any:
        salt = secrets.token_bytes(32)
        self.salts[(round_, validator.address)] = salt
        commitment_ = self.oracle.commitmentFor(round_, validator.address, verdicts, salt)
        return self.oracle.commit(round_, commitment_, sender=sender or validator)

    def reveal(self, round_: int, validator: Any, verdicts: bytes, sender: Any = None) -> Any:
        salt = self.salts[(round_, validator.address)]
        return self.oracle.reveal(
            round_, validator.address, verdicts, salt, sender=sender or validator
        )

    def vote(
        self, round_: int, votes: dict[Any, bytes], reveal: Sequence[Any] | None = None
    ) -> None:
        """Everyone in `votes` commits, those in `reveal` (default: all) reveal.

        Ends in the reveal phase."""
        self.rounds.to_commit(round_)
        for validator, verdicts in votes.items():
            self.commit(round_, validator, verdicts)
        self.rounds.to_reveal(round_)
        for validator in votes if reveal is None else reveal:
            self.reveal(round_, validator, votes[validator])
