"""Follow the oracle contract's events into in-memory records, incrementally.

`sync()` reads logs from a block cursor to the head (in chunks), applies each
event once and moves the cursor; requests never touch the chain's history.
A few views are read per round (its proposal list and timing, both fixed) and
per new head (validators' current stake), never per request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from eth_utils import event_abi_to_log_topic, to_checksum_address
from web3 import Web3
from web3._utils.events import get_event_data

from oracle.chain.clock_mode import ClockMode
from oracle.chain.deployment import Deployment
from oracle.chain.events import log_chunks
from oracle.chain.oracle_abi import named_outputs
from oracle.chain.params import SPECS
from oracle.explorer.bounties import is_unreleased
from oracle.explorer.labels import slash_reason
from oracle.explorer.records import (
    EquivocationBounty,
    HistoryEntry,
    Proposal,
    Reveal,
    Round,
    Validator,
)
from oracle.model.labels import ABSTAIN

SAFE_GUARD = "OracleSafeGuard"
# Parameters shown on the page: all of oracle.chain.params' numeric ones, read from the two
# views that hold them (`parameters()` and `timing()`).
PARAMETER_VIEWS: tuple[str, ...] = tuple(SPECS)


class Indexer:
    """In-memory index of one oracle deployment. Thread-safe: `lock` guards all state."""

    def __init__(self, w3: Web3, deployment: Deployment, chunk_size: int = 2_000) -> None:
        self.w3 = w3
        self.deployment = deployment
        self.chunk_size = chunk_size
        self.abi = deployment.abi("VerdictOracle")
        self.contract = w3.eth.contract(
            address=to_checksum_address(deployment.oracle_address), abi=self.abi
        )
        # OracleSafeGuard (when deployed): which Safe a proposal judges, and its execution.
        guard_abi = (
            deployment.abi(SAFE_GUARD)
            if SAFE_GUARD in deployment.contracts and SAFE_GUARD in deployment.abis
            else []
        )
        self.addresses = [self.contract.address] + (
            [to_checksum_address(deployment.address(SAFE_GUARD))] if guard_abi else []
        )
        self._events: dict[bytes, dict[str, Any]] = {
            bytes(event_abi_to_log_topic(entry)): entry  # type: ignore[arg-type]
            for entry in [*self.abi, *guard_abi]
            if entry.get("type") == "event"
        }
        self._handlers: dict[str, Callable[[dict[str, Any], int, str], None]] = {
            "ProposalSubmitted": self._on_submitted,
            "ProposalRolled": self._on_rolled,
            "ProposalFinalized": self._on_finalized,
            "CallbackFailed": self._on_callback_failed,
            "VotesCommitted": self._on_committed,
            "VotesRevealed": self._on_revealed,
            "BallotSettled": self._on_settled,
            "Slashed": self._on_slashed,
            "Staked": self._on_staked,
            "SignerSet": self._on_signer_set,
            "UnstakeRequested": self._on_unstake_requested,
            "Withdrawn": self._on_withdrawn,
            "Claimed": self._on_claimed,
            "EquivocationReported": self._on_equivocation,
            "EquivocationBountyReleased": self._on_bounty_released,
            "ParameterChanged": self._on_parameters_changed,
            "ModelHashChanged": self._on_parameters_changed,
            "JudgementRequested": self._on_safe_judgement,
            "JudgedTransactionExecuted": self._on_safe_executed,
        }
        self.lock = threading.RLock()
        self._reset()

    def _reset(self) -> None:
        self.cursor = self.deployment.deployed_block
        self.proposals: dict[int, Proposal] = {}
        # The Safe guard logs JudgementRequested before the oracle logs ProposalSubmitted (it
        # records the judgement, then calls submit): the Safe waits here for its proposal.
        self._safe_of: dict[int, str] = {}
        self.rounds: dict[int, Round] = {}
        self.validators: dict[str, Validator] = {}
        self.parameters: dict[str, Any] = {}
        self.head_block = -1
        self.head_timestamp = 0
        self.head_seen_at = time.time()
        self.version = 0
        self.events_indexed = 0
        self._parameters_stale = True

    # ---- syncing ----------------------------------------------------------------

    def sync(self) -> bool:
        """Index every block up to the head. Returns True when anything changed."""
        head = self.w3.eth.block_number
        with self.lock:
            if head < self.cursor - 1:
                # The chain went backwards (a restarted dev chain): start over.
                self._reset()
            if head == self.head_block:
                return False
            for to_block, logs in log_chunks(
                self.w3,
                address=self.addresses,
                from_block=self.cursor,
                to_block=head,
                chunk_size=self.chunk_size,
            ):
                for log in logs:
                    self._apply(log)
                self.cursor = to_block + 1
            block = self.w3.eth.get_block(head)
            self.head_block = head
            self.head_timestamp = int(block["timestamp"])
            self.head_seen_at = time.time()
            self._refresh_views(head)
            self.version += 1
            return True

    def chain_now(self) -> int:
        """Best estimate of now on the oracle's clock. Timestamps: the head's plus wall time
        since we saw it (dev chains mine only on transactions; the next block takes the wall
        clock). Block numbers: the head's number (a block clock moves only with blocks)."""
        if self.parameters.get("clockMode") == ClockMode.BLOCKNUMBER:
            return self.head_block
        return self.head_timestamp + int(time.time() - self.head_seen_at)

    def _apply(self, log: Any) -> None:
        topics = log["topics"]
        if not topics:
            return
        abi = self._events.get(bytes(topics[0]))
        if abi is None:
            return
        event = get_event_data(self.w3.codec, abi, log)
        handler = self._handlers.get(event["event"])
        if handler is not None:
            handler(
                dict(event["args"]), int(log["blockNumber"]), log["transactionHash"].to_0x_hex()
            )
        self.events_indexed += 1

    def _refresh_views(self, head: int) -> None:
        if self._parameters_stale:
            self.parameters = self._read_parameters(head)
            self._parameters_stale = False
        for validator in self.validators.values():
            active, unbonding, withdrawable_at, signer = self.contract.functions.validatorInfo(
                validator.address
            ).call(block_identifier=head)
            validator.active, validator.unbonding = int(active), int(unbonding)
            validator.withdrawable_at = int(withdrawable_at)
            validator.signer = to_checksum_address(signer)
            if any(is_unreleased(b) for b in validator.bounties.values()):
                # What holds a bounty: the offender's committed ballots not yet settled.
                validator.open_ballots = int(
                    self.contract.functions.openBallotsOf(validator.address).call(
                        block_identifier=head
                    )
                )

    def _read_parameters(self, head: int) -> dict[str, Any]:
        names = {e.get("name") for e in self.abi if e.get("type") == "function"}
        read: dict[str, int] = {}
        for view in ("parameters", "timing"):
            if view in names:
                read.update(self._named_view(view, head))
        values: dict[str, Any] = {name: read[name] for name in PARAMETER_VIEWS if name in read}
        if "modelHash" in names:
            values["modelHash"] = (
                "0x" + bytes(self.contract.functions.modelHash().call(block_identifier=head)).hex()
            )
        return values

    def _named_view(self, view: str, head: int) -> dict[str, int]:
        fn = self.contract.get_function_by_name(view)
        return named_outputs(fn.abi, fn().call(block_identifier=head))

    # ---- per-round views (fixed once read) --------------------------------------

    def _round(self, number: int) -> Round:
        record = self.rounds.get(number)
        if record is None:
            record = self.rounds[number] = Round(number=number)
        return record

    def _round_timing(self, number: int) -> tuple[int, int, int]:
        record = self._round(number)
        if record.timing is None:
            commit_start, reveal_start, reveal_end = self.contract.functions.roundTiming(
                number
            ).call()
            record.timing = (int(commit_start), int(reveal_start), int(reveal_end))
        return record.timing

    def _round_proposals(self, number: int) -> list[int]:
        record = self._round(number)
        if record.proposal_ids is None:
            # Read at the head, not at the reveal's block: the list is final once the
            # commit phase opens (before any reveal), and nodes without archive state
            # cannot answer calls at old blocks.
            ids = self.contract.functions.roundProposals(number).call()
            record.proposal_ids = [int(i) for i in ids]
        return record.proposal_ids

    # ---- event handlers ---------------------------------------------------------

    def _validator(self, address: str) -> Validator:
        address = to_checksum_address(address)
        record = self.validators.get(address)
        if record is None:
            record = self.validators[address] = Validator(address=address)
        return record

    def _on_submitted(self, args: dict[str, Any], block: int, tx: str) -> None:
        proposal = Proposal(
            id=int(args["id"]),
            requester=to_checksum_address(args["requester"]),
            payload_hash="0x" + bytes(args["payloadHash"]).hex(),
            model_hash="0x" + bytes(args["modelHash"]).hex(),
            fee=int(args["fee"]),
            payload=bytes(args["payload"]),
            submitted_block=block,
            submitted_tx=tx,
            rounds=[int(args["round"])],
            safe=self._safe_of.pop(int(args["id"]), None),
        )
        self.proposals[proposal.id] = proposal
        self._round_timing(proposal.current_round)

    def _on_rolled(self, args: dict[str, Any], block: int, tx: str) -> None:
        proposal = self.proposals.get(int(args["id"]))
        if proposal is not None:
            proposal.rounds.append(int(args["toRound"]))
            self._round_timing(proposal.current_round)

    def _update_proposal(self, proposal_id: int, **fields: Any) -> bool:
        """Set `fields` on a proposal the indexer knows; False, setting nothing, for one it
        has not seen (an event of a proposal submitted before the indexer's start block)."""
        proposal = self.proposals.get(proposal_id)
        if proposal is None:
            return False
        for name, value in fields.items():
            if not hasattr(proposal, name):  # a typo would otherwise add a stray attribute
                raise AttributeError(f"Proposal has no field {name!r}")
            setattr(proposal, name, value)
        return True

    def _on_finalized(self, args: dict[str, Any], block: int, tx: str) -> None:
        self._update_proposal(
            int(args["id"]),
            status=int(args["status"]),
            verdict=int(args["verdict"]),
            final_round=int(args["round"]),
            finalized_block=block,
            finalized_tx=tx,
        )

    def _on_callback_failed(self, args: dict[str, Any], block: int, tx: str) -> None:
        self._update_proposal(int(args["id"]), callback_failed=True)

    def _on_safe_judgement(self, args: dict[str, Any], block: int, tx: str) -> None:
        safe = to_checksum_address(args["safe"])
        if not self._update_proposal(int(args["proposalId"]), safe=safe):
            self._safe_of[int(args["proposalId"])] = safe

    def _on_safe_executed(self, args: dict[str, Any], block: int, tx: str) -> None:
        self._update_proposal(int(args["proposalId"]), safe_executed_tx=tx)

    def _on_committed(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = to_checksum_address(args["validator"])
        self._round(int(args["round"])).commitments[validator] = (
            "0x" + bytes(args["commitment"]).hex()
        )

    def _on_revealed(self, args: dict[str, Any], block: int, tx: str) -> None:
        number = int(args["round"])
        validator = to_checksum_address(args["validator"])
        ids = self._round_proposals(number)
        verdicts = bytes(args["verdicts"])
        record = self._round(number)
        record.reveals[validator] = Reveal(
            validator=validator, verdicts=verdicts, stake=int(args["stake"]), block=block, tx=tx
        )
        abstained = [pid for pid, v in zip(ids, verdicts, strict=False) if v == ABSTAIN]
        if abstained:
            entry = self._validator(validator)
            entry.abstentions.extend((number, pid) for pid in abstained)
            detail = "proposals " + ", ".join(str(pid) for pid in abstained)
            entry.history.append(HistoryEntry(block, tx, "abstained", round=number, detail=detail))

    def _on_settled(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        reward, slashed = int(args["reward"]), int(args["slashed"])
        validator.rewards += reward
        detail = f"reward {reward} wei, slashed {slashed} wei"
        validator.history.append(
            HistoryEntry(block, tx, "settled", reward, round=int(args["round"]), detail=detail)
        )

    def _on_slashed(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        amount = int(args["amount"])
        validator.slashed += amount
        validator.history.append(
            HistoryEntry(block, tx, "slashed", amount, detail=slash_reason(int(args["reason"])))
        )

    def _on_staked(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        validator.active = int(args["active"])
        validator.history.append(HistoryEntry(block, tx, "staked", int(args["amount"])))

    def _on_signer_set(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        validator.signer = to_checksum_address(args["signer"])
        validator.history.append(HistoryEntry(block, tx, "signer", detail=validator.signer))

    def _on_unstake_requested(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        validator.history.append(HistoryEntry(block, tx, "unstake", int(args["amount"])))

    def _on_withdrawn(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        validator.history.append(HistoryEntry(block, tx, "withdrawn", int(args["amount"])))

    def _on_claimed(self, args: dict[str, Any], block: int, tx: str) -> None:
        # Requesters claim refunds too; only validators get a history line.
        account = to_checksum_address(args["account"])
        if account in self.validators:
            self.validators[account].history.append(
                HistoryEntry(block, tx, "claimed", int(args["amount"]))
            )

    def _on_equivocation(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        reporter = to_checksum_address(args["reporter"])
        detail = f"proposal {int(args['proposalId'])} reported by {reporter}"
        validator.history.append(
            HistoryEntry(block, tx, "equivocation", round=int(args["round"]), detail=detail)
        )
        number = int(args["round"])
        validator.bounties[number] = EquivocationBounty(
            round=number,
            proposal_id=int(args["proposalId"]),
            reporter=reporter,
            amount=int(args["bounty"]),
            releasable_at=int(args["releasableAt"]),
            reported_block=block,
            reported_tx=tx,
        )

    def _on_bounty_released(self, args: dict[str, Any], block: int, tx: str) -> None:
        validator = self._validator(args["validator"])
        number = int(args["round"])
        bounty = validator.bounties.get(number)
        if bounty is not None:  # None: reported before the indexer's start block
            bounty.released_block, bounty.released_tx = block, tx
        reporter = to_checksum_address(args["reporter"])
        validator.history.append(
            HistoryEntry(
                block,
                tx,
                "bounty released",
                int(args["amount"]),
                round=number,
                detail=f"to {reporter}",
            )
        )

    def _on_parameters_changed(self, args: dict[str, Any], block: int, tx: str) -> None:
        self._parameters_stale = True
