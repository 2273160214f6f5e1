"""Before a ballot is sealed: every stored payload hash of its round against the chain's.

The store's identity rules out another deployment; this catches what is left (a reorg
deeper than `confirmations` that renumbered proposals, an edited database): the verdicts
would be about other payloads. A differing proposal is re-read from its
`ProposalSubmitted` event near the block it was stored from and judged again (the round
seals on a later tick); one that cannot be found there refuses the round: no commit, so no
slash. Either is logged once.
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import TYPE_CHECKING

from oracle.validator.submitted_proposal import SubmittedProposal

if TYPE_CHECKING:
    from oracle.validator.engine import Engine

log = logging.getLogger(__name__)

# How far from the block a proposal was stored from its event is looked for again when
# its payload hash no longer matches the chain's: a reorg moves it by about its depth.
REFETCH_WINDOW_BLOCKS = 256


class PayloadCheck(Enum):
    MATCH = "match"  # seal
    REFETCHED = "refetched"  # re-read from the chain: judge again, seal on a later tick
    REFUSED = "refused"  # could not be re-read: do not vote in this round


def check_payloads(engine: Engine, r: int, ids: list[int]) -> PayloadCheck:
    stored = engine.store.proposals(ids)
    on_chain = _chain_payload_hashes(engine, r, ids)
    differ = [pid for pid in ids if on_chain.get(pid) != stored[pid].payload_hash]
    if not differ:
        return PayloadCheck.MATCH
    first, seen = differ[0], on_chain.get(differ[0])
    what = (
        f"stored payload hashes of {len(differ)} proposal(s) differ from the chain's "
        f"(proposal {first}: stored 0x{stored[first].payload_hash.hex()}, chain "
        f"{'none' if seen is None else '0x' + seen.hex()})"
    )
    refetched = [
        pid for pid in differ if _refetch(engine, pid, stored[pid].block, on_chain.get(pid))
    ]
    if len(refetched) == len(differ):
        log.warning("round %d: %s; re-read them from the chain to judge again", r, what)
        return PayloadCheck.REFETCHED
    log.error(
        "round %d: %s and %d could not be re-read; not voting this round. If it repeats, "
        "stop the validator and set db_path to a new file",
        r,
        what,
        len(differ) - len(refetched),
    )
    return PayloadCheck.REFUSED


def _chain_payload_hashes(engine: Engine, r: int, ids: list[int]) -> dict[int, bytes | None]:
    """The chain's payload hash of each id: the round's list in one call, and only an id no
    longer in it (a reorg renumbered the round) asked for on its own (None: unknown)."""
    on_chain: dict[int, bytes | None] = dict(engine.client.round_payload_hashes(r))
    missing = [pid for pid in ids if pid not in on_chain]
    if missing:
        on_chain.update(engine.client.payload_hashes(missing))
    return on_chain


def _refetch(engine: Engine, pid: int, near_block: int, chain_hash: bytes | None) -> bool:
    """Replace proposal `pid`'s stored payload with its chain event's; whether it could."""
    if chain_hash is None:
        return False
    reader = engine.reader
    head = reader.safe_head()
    found = [
        ev
        for ev in reader.find(
            "ProposalSubmitted",
            ["0x" + pid.to_bytes(32, "big").hex()],
            from_block=near_block - REFETCH_WINDOW_BLOCKS,
            to_block=min(head, near_block + REFETCH_WINDOW_BLOCKS),
        )
        if bytes(ev.args["payloadHash"]) == chain_hash
    ]
    if not found:
        return False
    engine.store.replace_proposal(SubmittedProposal.from_event(found[-1]))
    return True
