"""JSON views of the indexed state. Callers hold `indexer.lock`.

Amounts are wei as decimal strings (JavaScript numbers lose precision past 2**53)
plus an ETH string for display.
"""

from __future__ import annotations

from typing import Any

from oracle.chain.client import Status
from oracle.chain.round_clock import RoundClock, RoundTiming
from oracle.explorer.bounties import bounty_state
from oracle.explorer.indexer import Indexer
from oracle.explorer.labels import VERDICT_NAMES, status_name, verdict_name
from oracle.explorer.payload_view import describe_payload, memo_excerpt
from oracle.explorer.records import EquivocationBounty, Proposal, Validator
from oracle.explorer.units import eth
from oracle.model.labels import ABSTAIN, NUM_CLASSES

FINALIZED, NO_CONSENSUS = Status.FINALIZED, Status.NO_CONSENSUS


def phase_at(timing: tuple[int, int, int] | None, now: int) -> tuple[str, int | None]:
    """The round's phase at chain time `now` and when that phase ends."""
    if timing is None:
        return "unknown", None
    return RoundTiming(*timing).phase(now)


def round_votes(
    indexer: Indexer, number: int, proposal_id: int
) -> tuple[list[int], list[dict[str, Any]]]:
    """Stake per class and each revealed vote for one proposal in one round."""
    tally = [0] * NUM_CLASSES
    votes: list[dict[str, Any]] = []
    record = indexer.rounds.get(number)
    if record is None or record.proposal_ids is None or proposal_id not in record.proposal_ids:
        return tally, votes
    position = record.proposal_ids.index(proposal_id)
    for reveal in record.reveals.values():
        if position >= len(reveal.verdicts):
            continue
        verdict = reveal.verdicts[position]
        if 0 <= verdict < NUM_CLASSES:
            tally[verdict] += reveal.stake
        votes.append(
            {
                "validator": reveal.validator,
                "verdict": verdict,
                "verdict_name": verdict_name(verdict),
                # Revealed, but weighs nothing: the pinned model was not held.
                "abstained": verdict == ABSTAIN,
                "stake": str(reveal.stake),
                "stake_eth": eth(reveal.stake),
                "tx": reveal.tx,
            }
        )
    votes.sort(key=lambda v: v["validator"])
    return tally, votes


def proposal_summary(indexer: Indexer, proposal: Proposal, now: int) -> dict[str, Any]:
    number = proposal.final_round if proposal.final_round is not None else proposal.current_round
    record = indexer.rounds.get(number)
    timing = record.timing if record else None
    tally, votes = round_votes(indexer, number, proposal.id)
    if proposal.status in (FINALIZED, NO_CONSENSUS):
        phase, ends_at = "final", None
    else:
        phase, ends_at = phase_at(timing, now)
    return {
        "id": proposal.id,
        "requester": proposal.requester,
        "status": status_name(proposal.status),
        "verdict": proposal.verdict,
        "verdict_name": verdict_name(proposal.verdict)
        if proposal.status == FINALIZED and proposal.verdict is not None
        else None,
        "round": number,
        "rounds": list(proposal.rounds),
        "phase": phase,
        "phase_ends_at": ends_at,
        "committed": len(record.commitments) if record else 0,
        "revealed": len(votes),
        "abstained": sum(1 for v in votes if v["abstained"]),
        "tally": {VERDICT_NAMES[i]: str(tally[i]) for i in range(NUM_CLASSES)},
        "tally_eth": {VERDICT_NAMES[i]: eth(tally[i]) for i in range(NUM_CLASSES)},
        "votes": votes,
        "model_hash": proposal.model_hash,
        "fee": str(proposal.fee),
        "fee_eth": eth(proposal.fee),
        "memo": memo_excerpt(proposal.payload, 60),
        "submitted_block": proposal.submitted_block,
        "submitted_tx": proposal.submitted_tx,
        "finalized_tx": proposal.finalized_tx,
        "callback_failed": proposal.callback_failed,
        "safe": proposal.safe,
        "safe_executed": proposal.safe_executed_tx is not None,
        "safe_executed_tx": proposal.safe_executed_tx,
    }


def proposal_detail(indexer: Indexer, proposal: Proposal, now: int) -> dict[str, Any]:
    view = proposal_summary(indexer, proposal, now)
    history = []
    for number in proposal.rounds:
        tally, votes = round_votes(indexer, number, proposal.id)
        record = indexer.rounds.get(number)
        history.append(
            {
                "round": number,
                "timing": list(record.timing) if record and record.timing else None,
                "committed": len(record.commitments) if record else 0,
                "abstained": sum(1 for v in votes if v["abstained"]),
                "tally": {VERDICT_NAMES[i]: str(tally[i]) for i in range(NUM_CLASSES)},
                "tally_eth": {VERDICT_NAMES[i]: eth(tally[i]) for i in range(NUM_CLASSES)},
                "votes": votes,
            }
        )
    view.update(
        payload_hash=proposal.payload_hash,
        payload_size=len(proposal.payload),
        transaction=describe_payload(proposal.payload),
        round_history=history,
    )
    return view


def validator_view(validator: Validator, now: int) -> dict[str, Any]:
    return {
        "address": validator.address,
        "signer": validator.signer,
        "active": str(validator.active),
        "active_eth": eth(validator.active),
        "unbonding": str(validator.unbonding),
        "unbonding_eth": eth(validator.unbonding),
        "withdrawable_at": validator.withdrawable_at,
        "rewards": str(validator.rewards),
        "rewards_eth": eth(validator.rewards),
        "slashed": str(validator.slashed),
        "slashed_eth": eth(validator.slashed),
        "abstentions": [
            {"round": number, "proposal_id": pid} for number, pid in validator.abstentions
        ],
        "open_ballots": validator.open_ballots,
        "equivocation_bounties": [
            bounty_view(b, validator.open_ballots, now)
            for _, b in sorted(validator.bounties.items())
        ],
        "history": [
            {
                "block": h.block,
                "tx": h.tx,
                "kind": h.kind,
                "amount": str(h.amount),
                "amount_eth": eth(h.amount),
                "round": h.round,
                "detail": h.detail,
            }
            for h in reversed(validator.history)
        ],
    }


def bounty_view(bounty: EquivocationBounty, open_ballots: int, now: int) -> dict[str, Any]:
    return {
        "round": bounty.round,
        "proposal_id": bounty.proposal_id,
        "reporter": bounty.reporter,
        "amount": str(bounty.amount),
        "amount_eth": eth(bounty.amount),
        "releasable_at": bounty.releasable_at,
        "state": bounty_state(bounty, open_ballots, now),
        "reported_tx": bounty.reported_tx,
        "released_tx": bounty.released_tx,
    }


def overview(indexer: Indexer) -> dict[str, Any]:
    now = indexer.chain_now()
    first_timing = None
    for record in indexer.rounds.values():
        if record.timing is not None:
            first_timing = (record.number, record.timing)
            break
    current_round = None
    if first_timing is not None:
        number, timing = first_timing
        current_round = RoundClock.from_timing(number, RoundTiming(*timing)).current_round(now)
    counts = {"Pending": 0, "Finalized": 0, "NoConsensus": 0}
    for proposal in indexer.proposals.values():
        name = status_name(proposal.status)
        counts[name] = counts.get(name, 0) + 1
    params = dict(indexer.parameters)
    return {
        "chain_id": indexer.deployment.chain_id,
        "oracle": indexer.contract.address,
        "treasury": indexer.deployment.contracts.get("GuardedTreasury"),
        "head_block": indexer.head_block,
        "chain_time": now,
        "current_round": current_round,
        "model_hash": params.pop("modelHash", None),
        "parameters": {k: str(v) for k, v in params.items()},
        "proposals": counts,
        "validators": len(indexer.validators),
        "total_active_stake_eth": eth(sum(v.active for v in indexer.validators.values())),
        "version": indexer.version,
        "events_indexed": indexer.events_indexed,
    }
