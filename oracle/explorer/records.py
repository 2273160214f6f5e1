"""What the indexer remembers about proposals, rounds and validators.

Plain dataclasses filled from events; the JSON views are built from them.
Addresses are kept checksummed, hashes as 0x-prefixed hex.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Reveal:
    """One validator's revealed ballot for a round (`VotesRevealed`)."""

    validator: str
    verdicts: bytes
    stake: int
    block: int
    tx: str


@dataclass
class Round:
    number: int
    # Filled from the `roundProposals` view the first time a ballot is revealed:
    # the list is fixed before the commit phase opens, so one call per round.
    proposal_ids: list[int] | None = None
    # (commitStart, revealStart, revealEnd) from `roundTiming`; constant per round.
    timing: tuple[int, int, int] | None = None
    commitments: dict[str, str] = field(default_factory=dict)
    reveals: dict[str, Reveal] = field(default_factory=dict)


@dataclass
class Proposal:
    id: int
    requester: str
    payload_hash: str
    model_hash: str
    fee: int
    payload: bytes
    submitted_block: int
    submitted_tx: str
    # Every round the proposal joined, in order (first at submit, then each roll).
    rounds: list[int] = field(default_factory=list)
    status: int = 1  # Pending
    verdict: int | None = None
    final_round: int | None = None
    finalized_block: int | None = None
    finalized_tx: str | None = None
    callback_failed: bool = False
    # Set when the proposal came from OracleSafeGuard: the Safe it judges for, and the
    # transaction in which that Safe executed it (spending the legal verdict).
    safe: str | None = None
    safe_executed_tx: str | None = None

    @property
    def current_round(self) -> int:
        return self.rounds[-1]


@dataclass
class HistoryEntry:
    """A line in a validator's history: stake changes, rewards, slashes."""

    block: int
    tx: str
    # staked | signer | unstake | withdrawn | settled | slashed | claimed | abstained |
    # equivocation | bounty released
    kind: str
    amount: int = 0
    round: int | None = None
    detail: str = ""


@dataclass
class EquivocationBounty:
    """The reporter's bounty for one equivocation slash (`EquivocationReported`).

    The oracle holds it until the offender has no open ballots or `releasable_at` has
    passed, whichever comes first; `releaseEquivocationBounty` then credits the reporter
    (`EquivocationBountyReleased`).
    """

    round: int
    proposal_id: int
    reporter: str
    amount: int
    releasable_at: int
    reported_block: int
    reported_tx: str
    released_block: int | None = None
    released_tx: str | None = None


@dataclass
class Validator:
    address: str
    signer: str | None = None
    active: int = 0
    unbonding: int = 0
    withdrawable_at: int = 0
    rewards: int = 0
    slashed: int = 0
    history: list[HistoryEntry] = field(default_factory=list)
    # (round, proposal id) of each revealed ABSTAIN: the pinned model was not held.
    abstentions: list[tuple[int, int]] = field(default_factory=list)
    # Equivocation bounties owed for this validator's slashes, one per round at most.
    bounties: dict[int, EquivocationBounty] = field(default_factory=dict)
    # Committed ballots not yet settled (`openBallotsOf`), read while a bounty is held.
    open_ballots: int = 0
