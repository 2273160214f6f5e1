"""Drive validators through a voting round on the in-process EVM.

Owned by the signatures/invariants/treasury tests: time travel to a round's
phases and build ballots whose commitments are computed in Python
(vote_signing.py), so every test also checks the contract's hashing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vote_signing import Domain, commitment, list_hash, new_salt


@dataclass(frozen=True)
class Ballot:
    round: int
    validator: str
    verdicts: bytes
    salt: bytes
    commitment: bytes


class RoundDriver:
    """Time travel and ballots for one deployed oracle."""

    def __init__(self, oracle: Any, chain: Any) -> None:
        self.oracle = oracle
        self.chain = chain

    @property
    def domain(self) -> Domain:
        return Domain(chain_id=self.chain.chain_id, oracle=self.oracle.address)

    def now(self) -> int:
        """Timestamp the next transaction will carry."""
        return int(self.chain.pending_timestamp)

    def advance_to(self, timestamp: int) -> None:
        """Make the next transaction run at `timestamp` or later."""
        if self.now() < timestamp:
            # Mining a block at T-1 leaves T as the next pending timestamp.
            self.chain.mine(timestamp=timestamp - 1)

    def timing(self, round_: int) -> tuple[int, int, int]:
        commit_start, reveal_start, reveal_end = self.oracle.roundTiming(round_)
        return int(commit_start), int(reveal_start), int(reveal_end)

    def to_commit_phase(self, round_: int) -> None:
        self.advance_to(self.timing(round_)[0])

    def to_reveal_phase(self, round_: int) -> None:
        self.advance_to(self.timing(round_)[1])

    def past_reveal(self, round_: int) -> None:
        self.advance_to(self.timing(round_)[2])

    def round_of(self, proposal_id: int) -> int:
        return int(self.oracle.proposal(proposal_id).round)

    def proposals_of(self, round_: int) -> list[int]:
        return [int(pid) for pid in self.oracle.roundProposals(round_)]

    def ballot(
        self, round_: int, validator: str, verdicts: bytes, salt: bytes | None = None
    ) -> Ballot:
        """A ballot whose commitment is computed from the round's current proposal list."""
        salt = new_salt() if salt is None else salt
        listed = list_hash(self.proposals_of(round_))
        c = commitment(self.domain, round_, validator, listed, verdicts, salt)
        return Ballot(round_, validator, verdicts, salt, c)

    def commit(self, ballot: Ballot, sender: Any) -> Any:
        return self.oracle.commit(ballot.round, ballot.commitment, sender=sender)

    def reveal(self, ballot: Ballot, sender: Any) -> Any:
        return self.oracle.reveal(
            ballot.round, ballot.validator, ballot.verdicts, ballot.salt, sender=sender
        )

    def vote(self, round_: int, votes: dict[Any, bytes]) -> list[Ballot]:
        """Every account in `votes` commits then reveals its verdicts; ends in the reveal phase."""
        self.to_commit_phase(round_)
        ballots = []
        for account, verdicts in votes.items():
            b = self.ballot(round_, account.address, verdicts)
            self.commit(b, account)
            ballots.append(b)
        self.to_reveal_phase(round_)
        for account, b in zip(votes, ballots, strict=True):
            self.reveal(b, account)
        return ballots
