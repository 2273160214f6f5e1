"""GuardedTreasury requests as its owner makes them, and executing the judged ones: exactly
the legal transfers pay out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from web3.logs import DISCARD

from oracle.chain.client import OracleClient, Status
from oracle.chain.deployment import Deployment
from oracle.chain.errors import ErrorDecoder
from oracle.model.labels import Verdict
from oracle.validator.fleet import ANVIL_MNEMONIC
from oracle.validator.keys import anvil_key

AMOUNT = 10**17  # what each test request asks the treasury to send
FUNDING = 5 * 10**18  # what the owner puts into the treasury first


@dataclass(frozen=True)
class TreasuryRequests:
    """Transfers requested from the deployed GuardedTreasury, one proposal each."""

    sender: Any  # the owner's TxSender (`ape run deploy`'s deployer owns the treasury)
    treasury: Any  # web3 contract
    ids: list[int]
    recipients: list[str]
    payloads: list[bytes]


def request_transfers(
    client: OracleClient, deployment: Deployment, memos: Sequence[str], *, gas: int | None = None
) -> TreasuryRequests:
    """Fund the treasury, then request AMOUNT to a fresh address per memo, each sent with the
    oracle's quote for the treasury (the fee and the callback deposit)."""
    w3 = client.w3
    treasury = w3.eth.contract(
        address=deployment.address("GuardedTreasury"), abi=deployment.abi("GuardedTreasury")
    )
    sender = client.make_sender(anvil_key(0, ANVIL_MNEMONIC))
    sender.decoder = ErrorDecoder(client.abi + deployment.abi("GuardedTreasury"))
    sender.send(to=treasury.address, data=b"", value=FUNDING)
    value = client.quote_submit(treasury.address)
    ids, recipients, payloads = [], [], []
    for memo in memos:
        to = Account.create().address
        sent = sender.send_call(
            treasury.functions.requestTransfer(to, AMOUNT, memo), value=value, gas=gas
        )
        # The receipt also holds the treasury's own events: skip what is not ProposalSubmitted.
        submitted = client.contract.events.ProposalSubmitted().process_receipt(
            sent.receipt, errors=DISCARD
        )
        assert len(submitted) == 1, f"request {memo!r} made {len(submitted)} proposals"
        ids.append(int(submitted[0]["args"]["id"]))
        payloads.append(bytes(submitted[0]["args"]["payload"]))
        recipients.append(to)
    return TreasuryRequests(sender, treasury, ids, recipients, payloads)


def execute_judged_transfers(
    w3: Any,
    sender: Any,
    treasury: Any,
    ids: Sequence[int],
    recipients: Sequence[str],
    outcomes: dict[int, tuple[Status, int]],
    expected: Sequence[Any],
) -> list[int]:
    """Try `execute` on every request; assert each final verdict is the pipeline's and that a
    transfer pays out exactly when it was judged legal. Returns the executed ids."""
    executed = []
    for pid, to, want in zip(ids, recipients, expected, strict=True):
        assert outcomes[pid] == (Status.FINALIZED, int(want.verdict)), f"request {pid}"
        legal = outcomes[pid][1] == int(Verdict.LEGAL)
        try:
            sender.send_call(treasury.functions.execute(pid))
            executed.append(pid)
            assert w3.eth.get_balance(to) == AMOUNT
        except Exception as exc:
            assert "TreasuryTransferNotApproved" in str(exc), exc
            assert w3.eth.get_balance(to) == 0
        assert (pid in executed) == legal, (
            f"request {pid}: legal={legal}, executed={pid in executed}"
        )
    assert executed, "no transfer was judged legal: the memos include legal ones"
    assert len(executed) < len(ids), "every transfer was judged legal: fraud was not caught"
    return executed
