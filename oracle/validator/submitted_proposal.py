"""What the store keeps of a proposal when it is first seen: its `ProposalSubmitted` event."""

from __future__ import annotations

from dataclasses import dataclass

from oracle.chain.events import ChainEvent


@dataclass(frozen=True)
class SubmittedProposal:
    """A proposal as submitted on chain: the row `Store.add_proposal` inserts, and the one
    `Store.replace_proposal` writes back when a reorg changed the stored payload."""

    id: int
    payload: bytes
    payload_hash: bytes
    requester: str
    round: int
    block: int
    # The classifier the proposal pins; None where a caller does not know it.
    model_hash: bytes | None = None

    @classmethod
    def from_event(cls, event: ChainEvent) -> SubmittedProposal:
        """The proposal a `ProposalSubmitted` event announces (its block: the event's)."""
        args = event.args
        return cls(
            id=int(args["id"]),
            payload=bytes(args["payload"]),
            payload_hash=bytes(args["payloadHash"]),
            requester=str(args["requester"]),
            round=int(args["round"]),
            block=event.block_number,
            model_hash=bytes(args["modelHash"]),
        )
