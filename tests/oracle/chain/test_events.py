"""The event reader: cursor and confirmations."""

from __future__ import annotations

from oracle.chain.client import OracleClient
from oracle.chain.events import EventReader
from oracle.chain.submitter import Submitter


def _reader(client: OracleClient, start: int, confirmations: int) -> EventReader:
    return client.event_reader("ProposalSubmitted", start_block=start, confirmations=confirmations)


def test_read__returns_each_event_once_across_cursor_advances(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    start = client.w3.eth.block_number + 1
    reader = _reader(client, start, 0)
    first = [s.proposal_id for s in Submitter(client, account).submit([b"\x01" * 64, b"\x02" * 64])]
    events, cursor = reader.read(None)
    assert [e.args["id"] for e in events] == first
    assert bytes(events[0].args["payload"]) == b"\x01" * 64
    second = [s.proposal_id for s in Submitter(client, account).submit([b"\x03" * 64])]
    events, cursor2 = reader.read(cursor)
    assert [e.args["id"] for e in events] == second
    assert cursor2 > cursor
    assert reader.read(cursor2)[0] == []


def test_read__with_confirmations__holds_back_the_newest_blocks(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    start = client.w3.eth.block_number + 1
    ids = [s.proposal_id for s in Submitter(client, account).submit([b"\x04" * 64])]
    held = _reader(client, start, confirmations=2)
    assert held.read(None)[0] == []
    for _ in range(2):
        client.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    assert [e.args["id"] for e in held.read(None)[0]] == ids
