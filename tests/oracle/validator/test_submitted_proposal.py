"""SubmittedProposal: the store's row for a proposal, read from its ProposalSubmitted event."""

from __future__ import annotations

from oracle.chain.events import ChainEvent
from oracle.validator.submitted_proposal import SubmittedProposal


def test_from_event__proposal_submitted__takes_each_argument_and_the_event_block() -> None:
    event = ChainEvent(
        name="ProposalSubmitted",
        args={
            "id": 7,
            "payload": b"pay",
            "payloadHash": b"\x11" * 32,
            "requester": "0x00000000000000000000000000000000000000aa",
            "round": 3,
            "modelHash": b"\x22" * 32,
            "fee": 10,
        },
        block_number=41,
        tx_hash="0x01",
        log_index=0,
    )

    assert SubmittedProposal.from_event(event) == SubmittedProposal(
        id=7,
        payload=b"pay",
        payload_hash=b"\x11" * 32,
        requester="0x00000000000000000000000000000000000000aa",
        round=3,
        block=41,
        model_hash=b"\x22" * 32,
    )
