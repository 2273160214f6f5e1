"""Transaction sender: local nonces, retries with backoff, gas bumping, idempotent re-submission.

One sender per key, used from one thread at a time (a lock serialises callers). Its
nonces come from a `NonceBook` it may share with the key's `TxManager` (nonce.py), so
blocking and non-blocking sends of one key never reuse each other's nonces.
A transaction is signed once per (nonce, fee level); re-sending the same signed
bytes after an RPC error is idempotent (same hash), and a stuck transaction is
replaced by the same call at the same nonce with fees raised by the fee policy's
`bump_factor`, never above its `max_fee_per_gas_gwei` (the same `FeePolicy` as the key's
transaction manager: a blocking send is capped like a vote).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    TransactionNotFound,
    Web3RPCError,
)

from oracle.chain.errors import (
    ChainError,
    ErrorDecoder,
    InsufficientFunds,
    TxReverted,
    revert_data,
    send_refusal,
)
from oracle.chain.gas_cap import TIMESTAMP_HEADROOM_GAS, TX_GAS_CAP
from oracle.chain.nonce import NonceBook
from oracle.chain.retry import RetryPolicy
from oracle.chain.tx_pricing import FeePolicy, Fees, replacement, target_fees

log = logging.getLogger(__name__)


@dataclass
class _InFlight:
    nonce: int
    mined: bool = False


@dataclass(frozen=True)
class SentTx:
    tx_hash: str
    block_number: int
    gas_used: int
    status: int
    receipt: Any


@dataclass
class SenderConfig:
    # Seconds without a receipt before the transaction is considered stuck and re-priced.
    stuck_after_s: float = 15.0
    # The fee cap and the multiplier per bump (nodes require >= MIN_REPLACEMENT_BUMP).
    fees: FeePolicy = field(default_factory=FeePolicy)
    max_bumps: int = 5
    # Total seconds to keep trying (RPC down included) before giving up on one send.
    give_up_after_s: float = 120.0
    # First receipt check this soon after sending (an automining node has it already);
    # then each wait doubles up to receipt_poll_max_s: a block's receipt costs a handful of
    # requests, not one every 50 ms (~40 per send on 2 s blocks, measured in the soak).
    receipt_poll_s: float = 0.05
    receipt_poll_max_s: float = 1.0
    # Gas estimate multiplier: estimates are exact on an unchanged state; margin for drift.
    gas_margin: float = 1.2
    # Seconds a fee reading is reused; stuck transactions are re-priced regardless.
    fee_cache_s: float = 5.0


class TxSender:
    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        *,
        chain_id: int,
        decoder: ErrorDecoder | None = None,
        config: SenderConfig | None = None,
        on_rpc_error: Callable[[BaseException], None] | None = None,
        nonces: NonceBook | None = None,
    ) -> None:
        self.w3 = w3
        self.account = account
        self.chain_id = chain_id
        self.decoder = decoder or ErrorDecoder([])
        self.config = config or SenderConfig()
        self.on_rpc_error = on_rpc_error
        self.nonces = nonces or NonceBook()
        self._fee_cache: tuple[float, dict[str, int]] | None = None
        self._lock = threading.Lock()

    @property
    def address(self) -> str:
        return str(self.account.address)

    # ---------------------------------------------------------------- public

    def send_call(self, fn: Any, *, value: int = 0, gas: int | None = None) -> SentTx:
        """Send a web3 ContractFunction call (e.g. `oracle.functions.commit(r, c)`)."""
        to = fn.address
        data = fn._encode_transaction_data()
        return self.send(to=to, data=data, value=value, gas=gas)

    def send(self, *, to: str, data: str | bytes, value: int = 0, gas: int | None = None) -> SentTx:
        """Estimate, sign, send and wait for the receipt; raise TxReverted if it reverts."""
        with self._lock:
            return self._send(to=to, data=HexBytes(data), value=value, gas=gas)

    def gas_limit(self, *, to: str, data: bytes, value: int = 0) -> int:
        """The gas limit a send would use: the estimate plus the margin, under the node's cap
        (raises TxReverted, decoded, if it would revert)."""
        tx = {
            "from": self.address,
            "to": Web3.to_checksum_address(to),
            "data": data,
            "value": value,
        }
        return self._estimate(tx)

    def reverted(self, exc: BaseException, tx_hash: str | None = None) -> TxReverted:
        """A contract error from web3, decoded into TxReverted with its custom error's name."""
        return self._reverted(exc, tx_hash)

    def estimate_call(self, fn: Any, *, value: int = 0) -> int:
        """eth_estimateGas of the function from this key (raises TxReverted, decoded, if it
        would revert); the bare estimate, without the margin a send adds."""
        tx = {
            "from": self.address,
            "to": fn.address,
            "data": fn._encode_transaction_data(),
            "value": value,
        }
        return self._bare_estimate(tx)

    def simulate_call(self, fn: Any, *, value: int = 0) -> None:
        """eth_call the function from this key; raise TxReverted (decoded) if it would revert."""
        tx = {
            "from": self.address,
            "to": fn.address,
            "data": fn._encode_transaction_data(),
            "value": value,
        }
        self._retrying(lambda: self._call_or_raise(tx))

    def local_next_nonce(self) -> int | None:
        """One past the last nonce this process took for the key (None before its first
        send): the transactions above it were not sent from here (doppelganger.py). Not
        moved by what the chain says the key has used (`NonceBook.at_least`)."""
        return self.nonces.taken_next()

    def resync_nonce(self) -> None:
        with self._lock:
            self.nonces.forget()

    # --------------------------------------------------------------- private

    def _call_or_raise(self, tx: dict[str, Any]) -> None:
        try:
            self.w3.eth.call(tx, "pending")  # type: ignore[arg-type]
        except (ContractCustomError, ContractLogicError) as exc:
            raise self._reverted(exc) from None

    def _reverted(self, exc: BaseException, tx_hash: str | None = None) -> TxReverted:
        data = revert_data(exc)
        name = self.decoder.name(data)
        text = self.decoder.describe(data) if data else str(exc)
        return TxReverted(f"reverted: {text}", error=name, tx_hash=tx_hash, data=data)

    def _retrying(self, fn: Callable[[], Any]) -> Any:
        def note(exc: BaseException, _attempt: int, _delay: float) -> None:
            if self.on_rpc_error:
                self.on_rpc_error(exc)

        policy = RetryPolicy(base=0.2, cap=2.0, give_up_after_s=self.config.give_up_after_s)
        return policy.call(fn, on_retry=note)

    def _next_nonce(self) -> int:
        return self.nonces.take(
            lambda: int(
                self._retrying(
                    lambda: self.w3.eth.get_transaction_count(self.account.address, "pending")
                )
            )
        )

    def _fees(self) -> dict[str, int]:
        """EIP-1559 fees, re-read at most every `fee_cache_s` (two RPC calls saved per send)."""
        if (
            self._fee_cache is not None
            and time.monotonic() - self._fee_cache[0] < self.config.fee_cache_s
        ):
            return dict(self._fee_cache[1])
        fees = self._read_fees()
        self._fee_cache = (time.monotonic(), fees)
        return dict(fees)

    def _read_fees(self) -> dict[str, int]:
        block = self._retrying(lambda: self.w3.eth.get_block("latest"))
        base = block.get("baseFeePerGas")
        if base is None:
            price = int(self._retrying(lambda: self.w3.eth.gas_price))
            return {"gasPrice": min(price, self.config.fees.cap_wei)}
        tip = 10**9
        with contextlib.suppress(
            Web3RPCError, ValueError
        ):  # nodes without eth_maxPriorityFeePerGas
            tip = int(self._retrying(lambda: self.w3.eth.max_priority_fee))
        # The transaction manager's pricing with no deadline: 2 x base + tip, capped.
        return target_fees(
            base_fee=int(base), suggested_tip=tip, blocks_left=None, policy=self.config.fees
        ).as_tx()

    def _estimate(self, tx: dict[str, Any]) -> int:
        """The gas limit to send with: the estimate plus a margin, never above the cap a node
        accepts (EIP-7825; gas_cap.py)."""
        estimate = self._bare_estimate(tx)
        return min(int(estimate * self.config.gas_margin) + TIMESTAMP_HEADROOM_GAS, TX_GAS_CAP)

    def _bare_estimate(self, tx: dict[str, Any]) -> int:
        try:
            # "pending": evaluate as the next block will see it. On an idle automining
            # chain "latest" has a stale timestamp and phase checks would misfire.
            est = self._retrying(lambda: self.w3.eth.estimate_gas(tx, "pending"))  # type: ignore[arg-type]
        except (ContractCustomError, ContractLogicError) as exc:
            raise self._reverted(exc) from None
        except (ValueError, Web3RPCError) as exc:
            if send_refusal(exc) == "insufficient-funds":  # estimates say it the same way
                raise self._insufficient(int(tx.get("value", 0))) from None
            raise
        return int(est)

    def _insufficient(self, cost: int) -> InsufficientFunds:
        balance = int(self._retrying(lambda: self.w3.eth.get_balance(self.account.address)))
        return InsufficientFunds(self.address, balance, cost)

    def _send(self, *, to: str, data: HexBytes, value: int, gas: int | None) -> SentTx:
        base_tx: dict[str, Any] = {
            "from": self.account.address,
            "to": Web3.to_checksum_address(to),
            "data": data,
            "value": value,
            "chainId": self.chain_id,
        }
        deadline = time.monotonic() + self.config.give_up_after_s
        gas_limit = gas or self._estimate(base_tx)
        fees = self._fees()
        flight = _InFlight(self._next_nonce())
        try:
            return self._send_at(base_tx, gas, gas_limit, fees, flight, deadline)
        except BaseException:
            if not flight.mined:
                # Never sent, or given up while pending: the next send takes (and so
                # replaces) this nonce instead of queueing behind one that is not coming.
                self.nonces.give_back(flight.nonce)
            raise

    def _send_at(
        self,
        base_tx: dict[str, Any],
        gas: int | None,
        gas_limit: int,
        fees: dict[str, int],
        flight: _InFlight,
        deadline: float,
    ) -> SentTx:
        nonce = flight.nonce
        hashes: list[HexBytes] = []
        bumps = 0
        while True:
            tx: dict[str, Any] = {**base_tx, **fees, "gas": gas_limit, "nonce": nonce}
            signed = self.account.sign_transaction(tx)
            raw = signed.raw_transaction
            tx_hash = HexBytes(signed.hash)
            if tx_hash not in hashes:
                hashes.append(tx_hash)
            outcome = self._submit_raw(raw, tx_hash)
            if outcome == "nonce-too-low":
                mined = self._find_mined(hashes)
                if mined is not None:
                    flight.mined = True
                    return self._finish(mined, nonce)
                # Someone else used this nonce (shared key, or a stale count): resync, re-estimate.
                log.warning(
                    "nonce %d of %s was taken by a transaction this sender did not make "
                    "(another process using this key?); resyncing",
                    nonce,
                    self.address,
                )
                hashes.clear()
                self.nonces.forget()
                nonce = flight.nonce = self._next_nonce()
                gas_limit = gas or self._estimate(base_tx)
                continue
            if outcome == "underpriced":
                bumped = self._bumped(fees)
                if bumped == fees:
                    raise ChainError(
                        f"the node wants more than the fee cap of "
                        f"{self.config.fees.max_fee_per_gas_gwei:g} gwei for nonce {nonce} of "
                        f"{self.address} (max_fee_per_gas_gwei); raise the cap or wait"
                    )
                fees = bumped
                continue
            if outcome == "insufficient-funds":
                fee = fees.get("maxFeePerGas", fees.get("gasPrice", 0))
                raise self._insufficient(gas_limit * fee + int(base_tx["value"]))
            started = time.monotonic()
            wait_s = self.config.receipt_poll_s
            while time.monotonic() - started < self.config.stuck_after_s:
                # An automining node has mined it already: look before sleeping.
                mined = self._find_mined(hashes)
                if mined is not None:
                    flight.mined = True
                    return self._finish(mined, nonce)
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"transaction {tx_hash.hex()} not mined after "
                        f"{self.config.give_up_after_s:.0f}s"
                    )
                time.sleep(wait_s)
                wait_s = min(2 * wait_s, max(self.config.receipt_poll_max_s, wait_s))
            if bumps >= self.config.max_bumps:
                raise TimeoutError(
                    f"transaction {tx_hash.hex()} still pending after {bumps} fee bumps"
                )
            bumps += 1
            bumped = self._bumped(fees)
            if bumped == fees:
                log.warning(
                    "tx %s stuck at the fee cap of %g gwei (max_fee_per_gas_gwei); waiting",
                    tx_hash.hex(),
                    self.config.fees.max_fee_per_gas_gwei,
                )
            else:
                log.warning(
                    "tx %s stuck; re-sending nonce %d with fees x%.2f",
                    tx_hash.hex(),
                    nonce,
                    self.config.fees.bump_factor,
                )
            fees = bumped

    def _submit_raw(self, raw: bytes, tx_hash: HexBytes) -> str:
        """Send signed bytes: 'sent', 'nonce-too-low', 'underpriced' or 'insufficient-funds'.

        Retries transient errors."""

        def once() -> str:
            try:
                self.w3.eth.send_raw_transaction(raw)
                return "sent"
            except (ValueError, Web3RPCError) as exc:  # a JSON-RPC error object
                refusal = send_refusal(exc)
                if refusal is None:
                    raise
                return refusal

        return str(self._retrying(once))

    def _find_mined(self, hashes: list[HexBytes]) -> Any:
        for h in hashes:
            try:
                receipt = self._retrying(partial(self.w3.eth.get_transaction_receipt, h))
            except TransactionNotFound:
                continue
            if receipt is not None and receipt.get("blockNumber") is not None:
                return receipt
        return None

    def _finish(self, receipt: Any, nonce: int) -> SentTx:
        self.nonces.at_least(nonce + 1)
        sent = SentTx(
            tx_hash="0x" + HexBytes(receipt["transactionHash"]).hex().removeprefix("0x"),
            block_number=int(receipt["blockNumber"]),
            gas_used=int(receipt["gasUsed"]),
            status=int(receipt["status"]),
            receipt=receipt,
        )
        if sent.status != 1:
            tx = self.w3.eth.get_transaction(HexBytes(sent.tx_hash))
            call = {
                "from": tx["from"],
                "to": tx["to"],
                "data": tx["input"],
                "value": tx["value"],
                "gas": tx["gas"],
            }
            raise self.replayed_revert(call, sent.block_number, sent.tx_hash)
        return sent

    def replayed_revert(self, call: dict[str, Any], block: int, tx_hash: str) -> TxReverted:
        """Why a mined transaction reverted: receipts carry no reason, so the call is replayed
        on the state before its block and its custom error decoded. Without one (the replay
        passes: a transaction earlier in the same block changed the state; or it ran out of
        gas) the error is None and the message says so."""
        try:
            self.w3.eth.call(call, block - 1)  # type: ignore[arg-type]
        except (ContractCustomError, ContractLogicError) as exc:
            decoded = self._reverted(exc, tx_hash)
            return TxReverted(
                f"transaction {tx_hash} reverted on chain: {decoded}",
                error=decoded.error,
                tx_hash=tx_hash,
                data=decoded.data,
            )
        except (ValueError, Web3RPCError):
            pass
        return TxReverted(
            f"transaction {tx_hash} reverted on chain (no reason when replayed before its "
            "block: out of gas, or a transaction before it in the block changed the state)",
            tx_hash=tx_hash,
        )

    def _bumped(self, fees: dict[str, int]) -> dict[str, int]:
        """`fees` raised by the bump factor (tx_pricing.replacement); unchanged when that
        would pass the cap (a node refuses a replacement raising the fees by less, so a
        partial bump is no use)."""
        policy = self.config.fees
        if "gasPrice" in fees:  # a chain without EIP-1559
            price = int(fees["gasPrice"] * policy.bump_factor) + 1
            return fees if price > policy.cap_wei else {"gasPrice": price}
        old = Fees(max_fee=fees["maxFeePerGas"], tip=fees["maxPriorityFeePerGas"])
        new = replacement(old, old, policy)
        return fees if new is None else new.as_tx()
