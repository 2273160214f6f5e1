"""VerdictClient: what a dApp backend calls, knowing only the deployment file.

`submit(tx_request) -> id`, `verdict(id)`, `wait_for_verdict(id, timeout)` and, for Safes
guarded by OracleSafeGuard, `judge_safe_tx(...)` / `safe_judgement(key)`. Built on web3.py;
transactions go through the project's `TxSender` (nonces, retries, decoded custom errors).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import event_abi_to_log_topic, keccak, to_checksum_address
from web3 import Web3
from web3.logs import DISCARD

from oracle.chain.client import Status
from oracle.chain.deployment import Deployment
from oracle.chain.errors import ErrorDecoder
from oracle.chain.payload import TxRequest, encode_payload
from oracle.chain.rpc import connect
from oracle.chain.sender import SentTx, TxSender
from oracle.sdk.safe_tx import Operation
from oracle.sdk.safe_wallet import SafeWallet

GUARD_NAME = "OracleSafeGuard"
ORACLE_NAME = "VerdictOracle"


class VerdictTimeout(TimeoutError):
    """No final verdict within the timeout; `last` is the verdict read last (still pending)."""

    def __init__(self, proposal_id: int, timeout_s: float, last: Verdict) -> None:
        super().__init__(
            f"proposal {proposal_id} has no final verdict after {timeout_s:g} s "
            f"(status {last.status.name}); wait longer or check that validators are running"
        )
        self.proposal_id = proposal_id
        self.last = last


class JudgementState(IntEnum):
    """IOracleSafeGuard.JudgementState."""

    NONE = 0
    PENDING = 1
    APPROVED = 2
    REFUSED = 3
    NO_CONSENSUS = 4
    EXECUTED = 5


@dataclass(frozen=True)
class Verdict:
    """A proposal's status; `verdict` (a docs/labels.md class) is meaningful when `status`
    is FINALIZED."""

    proposal_id: int
    status: Status
    verdict: int

    @property
    def is_final(self) -> bool:
        return self.status in (Status.FINALIZED, Status.NO_CONSENSUS)

    @property
    def is_legal(self) -> bool:
        return self.status == Status.FINALIZED and self.verdict == 0


@dataclass(frozen=True)
class SafeJudgement:
    """The guard's record of one Safe transaction."""

    tx_key: bytes
    proposal_id: int
    model_epoch: int
    state: JudgementState


def safe_tx_key(safe: str, to: str, value: int, data: bytes, operation: Operation) -> bytes:
    """`IOracleSafeGuard.txKey`: keccak256(abi.encode(safe, to, value, keccak256(data), op))."""
    return keccak(
        abi_encode(
            ["address", "address", "uint256", "bytes32", "uint8"],
            [
                to_checksum_address(safe),
                to_checksum_address(to),
                value,
                keccak(data),
                int(operation),
            ],
        )
    )


class VerdictClient:
    """One oracle deployment (and its Safe guard, when the deployment has one)."""

    def __init__(self, w3: Web3, deployment: Deployment, account: LocalAccount | None = None):
        self.w3 = w3
        self.deployment = deployment
        self.chain_id = deployment.chain_id
        oracle_abi = deployment.abi(ORACLE_NAME)
        self.oracle = w3.eth.contract(address=_addr(deployment.oracle_address), abi=oracle_abi)
        self.guard = (
            w3.eth.contract(
                address=_addr(deployment.address(GUARD_NAME)), abi=deployment.abi(GUARD_NAME)
            )
            if GUARD_NAME in deployment.contracts and GUARD_NAME in deployment.abis
            else None
        )
        decoder_abi = list(oracle_abi)
        if GUARD_NAME in deployment.abis:
            decoder_abi += deployment.abi(GUARD_NAME)
        self._sender = (
            TxSender(w3, account, chain_id=self.chain_id, decoder=ErrorDecoder(decoder_abi))
            if account is not None
            else None
        )
        finalized = next(
            i for i in oracle_abi if i.get("type") == "event" and i["name"] == "ProposalFinalized"
        )
        self._finalized_topic = "0x" + event_abi_to_log_topic(finalized).hex()  # type: ignore[arg-type]

    @classmethod
    def connect(
        cls,
        deployment_file: str | Path,
        *,
        rpc_url: str | None = None,
        account: LocalAccount | None = None,
    ) -> VerdictClient:
        """Read the deployment file and connect to `rpc_url` (default: the file's own)."""
        deployment = Deployment.load(deployment_file)
        return cls(connect(rpc_url or deployment.rpc_url), deployment, account)

    # ------------------------------------------------------------------ oracle

    def submit(self, tx_request: TxRequest, *, fee: int | None = None) -> int:
        """Submit `tx_request` for judgement; returns its id. `fee` (the `msg.value`): by
        default the oracle's quote for this client's account (`quote_submit`)."""
        payload = encode_payload(tx_request)
        fee = self.quote_submit(self._require_sender().address) if fee is None else fee
        sent = self._send(self.oracle.functions.submit(payload), value=fee)
        (event,) = self.oracle.events.ProposalSubmitted().process_receipt(
            sent.receipt, errors=DISCARD
        )
        return int(event["args"]["id"])

    def proposal_fee(self) -> int:
        return int(self.oracle.functions.proposalFee().call())

    def quote_submit(self, requester: str) -> int:
        """The exact `msg.value` a submit by `requester` needs: the proposal fee, plus the
        callback deposit when `requester` is a contract the oracle calls back (a GuardedTreasury,
        the Safe guard). Pass the contract that calls `submit`, not the account paying it."""
        return int(self.oracle.functions.quoteSubmit(_addr(requester)).call())

    def verdict(self, proposal_id: int) -> Verdict:
        """The proposal's status and verdict now (status NONE: no such id)."""
        status, verdict = self.oracle.functions.verdictOf(proposal_id).call()
        return Verdict(proposal_id, Status(int(status)), int(verdict))

    def wait_for_verdict(self, proposal_id: int, timeout: float, *, poll_s: float = 0.5) -> Verdict:
        """Block until the proposal is final, or raise VerdictTimeout after `timeout` seconds.

        Watches the oracle's `ProposalFinalized(id)` through a log filter (eth_newFilter) where
        the node supports one, and reads `verdictOf` directly otherwise (each `poll_s`).
        """
        deadline = time.monotonic() + timeout
        log_filter = self._finalized_filter(proposal_id)
        try:
            # Read after installing the filter: a verdict between the two is never missed.
            current = self.verdict(proposal_id)
            while not current.is_final:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise VerdictTimeout(proposal_id, timeout, current)
                time.sleep(min(poll_s, left))
                if log_filter is None or self._filter_fired(log_filter):
                    current = self.verdict(proposal_id)
            return current
        finally:
            if log_filter is not None:
                self._uninstall(log_filter)

    # ------------------------------------------------------------------ Safe guard

    def judge_safe_tx(
        self,
        safe: str,
        to: str,
        value: int,
        data: bytes,
        operation: Operation = Operation.CALL,
        memo: str = "",
        *,
        fee: int | None = None,
    ) -> SafeJudgement:
        """Ask the Safe guard to judge a Safe transaction (the account must own the Safe).
        `fee` (the `msg.value`): by default the oracle's quote for the guard (it is called back)."""
        guard = self._require_guard()
        fee = self.quote_submit(guard.address) if fee is None else fee
        call = guard.functions.judge(_addr(safe), _addr(to), value, data, int(operation), memo)
        sent = self._send(call, value=fee)
        (event,) = guard.events.JudgementRequested().process_receipt(sent.receipt, errors=DISCARD)
        return self.safe_judgement(bytes(event["args"]["txKey"]))

    def safe_judgement(self, tx_key: bytes) -> SafeJudgement:
        proposal_id, epoch, state = self._require_guard().functions.judgementOf(tx_key).call()
        return SafeJudgement(tx_key, int(proposal_id), int(epoch), JudgementState(int(state)))

    def execute_safe_tx(
        self,
        safe: str,
        to: str,
        value: int,
        data: bytes,
        operation: Operation,
        owners: Sequence[LocalAccount],
    ) -> SentTx:
        """Sign the Safe transaction with `owners` (EIP-712 `SafeTx`, the Safe's next nonce) and
        send `execTransaction` from this client's account. A refusal raises TxReverted whose
        `error` names the guard's custom error (e.g. `GuardTransactionNotApproved`)."""
        if self._sender is None:
            raise ValueError(
                "this VerdictClient has no account: pass account= to send transactions"
            )
        wallet = SafeWallet(self.w3, safe, chain_id=self.chain_id)
        return wallet.execute(wallet.transaction(to, value, data, operation), owners, self._sender)

    def sync_safe_verdict(self, tx_key: bytes) -> SafeJudgement:
        """Mirror the oracle's final verdict into the guard (when its callback did not)."""
        self._send(self._require_guard().functions.syncVerdict(tx_key))
        return self.safe_judgement(tx_key)

    # ------------------------------------------------------------------ internal

    def _send(self, call: Any, *, value: int = 0) -> SentTx:
        return self._require_sender().send_call(call, value=value)

    def _require_sender(self) -> TxSender:
        if self._sender is None:
            raise ValueError(
                "this VerdictClient has no account: pass account= to send transactions"
            )
        return self._sender

    def _require_guard(self) -> Any:
        if self.guard is None:
            raise ValueError(
                f"{self.deployment.path} has no {GUARD_NAME} (address and ABI): "
                "redeploy with `ape run deploy`"
            )
        return self.guard

    def _finalized_filter(self, proposal_id: int) -> str | None:
        topic_id = "0x" + proposal_id.to_bytes(32, "big").hex()
        params = {
            "address": self.oracle.address,
            "topics": [self._finalized_topic, topic_id],
            "fromBlock": "latest",
        }
        response = self.w3.provider.make_request("eth_newFilter", [params])  # type: ignore[arg-type]
        if "error" in response or not response.get("result"):
            return None  # a node without log filters: read verdictOf instead
        return str(response["result"])

    def _filter_fired(self, filter_id: str) -> bool:
        response = self.w3.provider.make_request("eth_getFilterChanges", [filter_id])  # type: ignore[arg-type]
        if "error" in response:  # the node dropped the filter (timeout): read the oracle
            return True
        return bool(response.get("result"))

    def _uninstall(self, filter_id: str) -> None:
        # Best effort (nodes expire idle filters anyway); an error answer is ignored.
        self.w3.provider.make_request("eth_uninstallFilter", [filter_id])  # type: ignore[arg-type]


def _addr(address: str) -> ChecksumAddress:
    return Web3.to_checksum_address(address)
