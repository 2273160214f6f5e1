"""Put the scenario on chain: direct proposals and GuardedTreasury transfer requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.logs import DISCARD

from oracle.demo.scenario import DirectProposal, TreasuryTransfer
from oracle.demo.wallet import Wallet

TREASURY_FUNDING_WEI = 10 * 10**18


@dataclass
class Submission:
    proposal_id: int
    route: str  # "direct" or "treasury"
    expected: str
    note: str
    tx_hash: str
    gas_used: int
    transfer: TreasuryTransfer | None = None


def submit_direct(
    oracle: Any, requester: Wallet, proposals: list[DirectProposal]
) -> list[Submission]:
    fee = int(oracle.functions.quoteSubmit(requester.address).call())
    calls = [(oracle.functions.submit(p.payload), fee, f"submit ({p.note})") for p in proposals]
    receipts = requester.send_all(calls)
    return [
        submission_from(r, oracle.events.ProposalSubmitted, "id", "direct", p.expected, p.note)
        for p, r in zip(proposals, receipts, strict=True)
    ]


def submit_via_treasury(
    oracle: Any, treasury: Any, owner: Wallet, transfers: list[TreasuryTransfer]
) -> list[Submission]:
    """Fund the treasury, then let it ask the oracle about each transfer."""
    # The treasury is called back, so it prepays the callback's gas on top of the fee.
    fee = int(oracle.functions.quoteSubmit(treasury.address).call())
    owner.transfer(treasury.address, TREASURY_FUNDING_WEI, what="funding the treasury")
    calls = [
        (
            treasury.functions.requestTransfer(
                Web3.to_checksum_address(t.to), t.amount_wei, t.memo
            ),
            fee,
            f"treasury.requestTransfer({t.memo!r})",
        )
        for t in transfers
    ]
    requested = treasury.events.TransferRequested
    return [
        submission_from(r, requested, "requestId", "treasury", t.expected, "treasury transfer", t)
        for t, r in zip(transfers, owner.send_all(calls), strict=True)
    ]


def submission_from(
    receipt: Any,
    event: Any,
    id_field: str,
    route: str,
    expected: str,
    note: str,
    transfer: TreasuryTransfer | None = None,
) -> Submission:
    """The submission a receipt records: its proposal id is `id_field` of its one `event`."""
    (log,) = event().process_receipt(receipt, errors=DISCARD)
    return Submission(
        int(log["args"][id_field]),
        route,
        expected,
        note,
        receipt["transactionHash"].to_0x_hex(),
        int(receipt["gasUsed"]),
        transfer,
    )


@dataclass
class TransferOutcome:
    """What became of one judged transfer (through the treasury or the Safe)."""

    submission: Submission
    verdict: str
    executed: bool
    detail: str
    gas_used: int | None


def judged(oracle: Any, proposal_id: int) -> tuple[str, bool]:
    """The oracle's word on a proposal as the report shows it, and whether it is a final `legal`."""
    from oracle.explorer.labels import status_name, verdict_name

    status, verdict = (int(v) for v in oracle.functions.verdictOf(proposal_id).call())
    label = verdict_name(verdict) if status == 2 else status_name(status)
    return label, status == 2 and verdict == 0


def settle_treasury(
    oracle: Any, treasury: Any, owner: Wallet, submissions: list[Submission]
) -> list[TransferOutcome]:
    """Execute what the oracle judged legal; everything else is refused by the treasury."""
    outcomes = []
    for sub in submissions:
        label, legal = judged(oracle, sub.proposal_id)
        if legal:
            receipt = owner.send(
                treasury.functions.execute(sub.proposal_id),
                what=f"treasury.execute({sub.proposal_id})",
            )
            outcomes.append(TransferOutcome(sub, label, True, "paid out", int(receipt["gasUsed"])))
            continue
        # The treasury itself refuses: `execute` reverts with TreasuryTransferNotApproved.
        try:
            treasury.functions.execute(sub.proposal_id).call({"from": owner.address})
            detail = "NOT refused: execute would have paid (bug)"
        except Exception as exc:
            detail = "by execute(): " + error_name(exc, treasury)
        outcomes.append(TransferOutcome(sub, label, False, detail, None))
    return outcomes


def error_name(exc: Exception, contract: Any) -> str:
    """The custom error's name when the ABI knows its selector, else the raw message."""
    from eth_utils import function_abi_to_4byte_selector

    data = str(getattr(exc, "data", "") or "")
    for entry in contract.abi:
        if entry.get("type") == "error":
            selector = "0x" + function_abi_to_4byte_selector(entry).hex()
            if data.startswith(selector):
                return str(entry["name"])
    return str(exc)[:80]
