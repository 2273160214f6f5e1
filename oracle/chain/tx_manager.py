"""The transaction manager: submit without waiting, check once per block, re-price, repair nonces.

`submit()` estimates, signs, writes the attempt to the attempt store, sends it and
returns at once. `on_block()` (once per new block, from the validator's tick) does the
rest with about one request per block: one `eth_getTransactionCount(addr, "latest")`
while anything is in flight, and a receipt lookup only for attempts whose nonce is now
below that count. An attempt ends MINED, REVERTED (decoded error), REPLACED (its nonce
went to a transaction it did not sign) or DROPPED; the outcome goes to the caller's
callback and stays queryable by intent (`result`).

An attempt not mined after `bump_after_blocks` blocks (twice that for a ROUTINE one) is
re-signed at its nonce with fees x `bump_factor`, never above the cap
(`max_fee_per_gas_gwei`: one log line and an `on_event("fee_cap")` instead); one with a
deadline is re-priced block by block as its urgency rises (tx_pricing.py). Because one
key's transactions land in nonce order, an attempt is also re-priced up to the fees of
every later attempt waiting behind it: a claim pending at a low fee never holds back a
reveal priced for its deadline. A nonce below the chain's pending count that no live
attempt covers (a crash lost it, or it was dropped) is filled, once it has held the queue
for `bump_after_blocks` blocks, with a 0-value transfer to the sender itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import (
    TransactionNotFound,
    Web3RPCError,
)

from oracle.chain.chain_clock import SeenBlock
from oracle.chain.clock_mode import ClockMode
from oracle.chain.errors import InsufficientFunds, SubmitRefused, send_refusal
from oracle.chain.retry import RetryPolicy, is_transient
from oracle.chain.sender import TxSender
from oracle.chain.tx_attempts import FILLER_INTENT, Attempt, AttemptState, AttemptStore
from oracle.chain.tx_pricing import FeePolicy, Fees, Priority, replacement, target_fees

log = logging.getLogger(__name__)

OnResult = Callable[[Attempt], None]
# Counted by the caller (the validator's metrics): "bump", "fee_cap", "gap_fill".
OnEvent = Callable[[str], None]
FILLER_GAS = 21_000
# RPC retries inside one manager call stay short: the next block tries again anyway.
MANAGER_RETRY = RetryPolicy(base=0.1, cap=0.5, give_up_after_s=2.0)


class TxManager:
    def __init__(
        self,
        sender: TxSender,
        store: AttemptStore,
        *,
        policy: FeePolicy | None = None,
        on_event: OnEvent | None = None,
        on_orphan: OnResult | None = None,
        clock: ClockMode = ClockMode.TIMESTAMP,
    ) -> None:
        # The blocking sender of the same key lends its signing, estimates, error decoding
        # and, above all, its nonce book: the two never hand out the same nonce.
        self.sender = sender
        self.w3: Web3 = sender.w3
        self.address = Web3.to_checksum_address(sender.address)
        self.store = store
        self.policy = policy or FeePolicy()
        self.on_event = on_event or (lambda _name: None)
        # Told the outcome of an attempt no callback waits for: one sent before a restart.
        self.on_orphan = on_orphan
        # The oracle's clock: the deadlines duties give are readings of it.
        self.clock = clock
        self._live: dict[int, Attempt] | None = None  # by nonce; loaded on first use
        self._callbacks: dict[str, list[OnResult]] = {}
        self._results: dict[str, Attempt] = {}
        self._head = SeenBlock(-1, 0)
        self._first_head: SeenBlock | None = None  # for the block interval (deadline pricing)
        self._latest_nonce: int | None = None
        self._gap_since: dict[int, int] = {}  # nonce -> first block it held the queue
        self._capped: set[tuple[int, str]] = set()  # (nonce, intent) logged at the cap
        self._unsent: set[int] = set()  # nonces whose last send met an unreachable node
        self._tip: tuple[int, int] | None = None  # (head number read at, suggested tip)

    # ---------------------------------------------------------------- public

    def submit(
        self,
        intent: str,
        call: Any = None,
        *,
        to: str | None = None,
        data: bytes = b"",
        value: int = 0,
        gas: int | None = None,
        deadline: int | None = None,
        priority: Priority = Priority.DUTY,
        on_result: OnResult | None = None,
    ) -> Attempt:
        """Sign and send `call` (a web3 ContractFunction) or a plain (to, data, value); return
        the attempt at once. An intent already in flight is not sent again: its attempt is
        returned (and `on_result` added to it). Raises TxReverted (decoded) when the estimate
        reverts, InsufficientFunds, or SubmitRefused."""
        live = self._attempts()
        existing = next((a for a in live.values() if a.intent == intent), None)
        if existing is not None:
            self._listen(intent, on_result)
            return existing
        if call is not None:
            to, data = call.address, HexBytes(call._encode_transaction_data())
        if to is None:
            raise ValueError("submit needs a contract call or a `to` address")
        to = Web3.to_checksum_address(to)
        gas = gas or self.sender.gas_limit(to=to, data=bytes(data), value=value)
        fees = self._target(deadline)
        nonce = self.sender.nonces.take(self._read_latest)
        attempt = Attempt(
            sender=self.address,
            intent=intent,
            nonce=nonce,
            to=to,
            data=bytes(data),
            value=value,
            gas=gas,
            priority=priority,
            deadline=deadline,
            fees=fees,
            hashes=(),
            sent_block=self._head.number,
            first_block=self._head.number,
        )
        self._listen(intent, on_result)
        try:
            attempt = self._sign_and_send(attempt, fees)
        except BaseException:
            self.sender.nonces.give_back(nonce)
            raise
        self._reprice_queue()  # earlier attempts now hold this one back: lift them
        return attempt

    def on_block(self, number: int, timestamp: int = 0, base_fee: int | None = None) -> None:
        """Check in-flight attempts once per new block (a repeated number does nothing).
        `base_fee` is the block's, when the caller read it: fees are then priced from it
        with no request of their own."""
        if number <= self._head.number:
            return
        self._head = SeenBlock(number, timestamp, self.clock, base_fee)
        if self._first_head is None and timestamp:
            self._first_head = self._head
        live = self._attempts()
        expected = self.sender.nonces.peek()
        nothing_sent = expected is None or expected == self._latest_nonce
        if not live and nothing_sent:
            return  # idle: no request at all
        latest = self._read_latest()
        # Nonces below `latest` are used, whoever used them (another process with the key).
        self.sender.nonces.at_least(latest)
        for n in sorted(self._unsent):
            self._unsent.discard(n)
            if n in live and n >= latest:
                self._sign_and_send(live[n], live[n].fees)  # same fees: the same bytes
        for a in [a for a in live.values() if a.nonce < latest]:
            self._settle(a)
        self._repair_gap(latest)
        self._reprice_queue()

    def result(self, intent: str) -> Attempt | None:
        """The latest finished attempt of `intent` (None: none finished in this process)."""
        return self._results.get(intent)

    def in_flight(self, intent: str | None = None) -> list[Attempt]:
        """The attempts not finished yet (of `intent`, if given), by nonce."""
        return [a for a in self._attempts().values() if intent is None or a.intent == intent]

    def oldest_pending_blocks(self) -> int:
        """Blocks the oldest attempt in flight has waited since it was first sent (0: none)."""
        return max((a.pending_blocks(self._head.number) for a in self.in_flight()), default=0)

    def in_flight_like(self, prefix: str) -> bool:
        """Whether an attempt whose intent starts with `prefix` is in flight."""
        return any(a.intent.startswith(prefix) for a in self._attempts().values())

    # --------------------------------------------------------------- private

    def _attempts(self) -> dict[int, Attempt]:
        if self._live is None:
            self._live = {a.nonce: a for a in self.store.live_attempts(self.address)}
            if self._live:
                # In flight before a restart: later sends go after them, never over them.
                self.sender.nonces.at_least(max(self._live) + 1)
                log.info(
                    "%d transaction(s) of %s in flight from before the restart: %s",
                    len(self._live),
                    self.address,
                    ", ".join(f"{a.intent}@{a.nonce}" for a in self._live.values()),
                )
            pending = int(
                self._rpc(lambda: self.w3.eth.get_transaction_count(self.address, "pending"))
            )
            # Transactions in the node's pool that no attempt covers (a crash lost them): the
            # gap repair replaces them if they hold the queue.
            self.sender.nonces.at_least(pending)
        return self._live

    def _listen(self, intent: str, on_result: OnResult | None) -> None:
        if on_result is not None:
            self._callbacks.setdefault(intent, []).append(on_result)

    def _rpc(self, fn: Callable[[], Any]) -> Any:
        return MANAGER_RETRY.call(fn)

    def _read_latest(self) -> int:
        n = int(self._rpc(lambda: self.w3.eth.get_transaction_count(self.address, "latest")))
        self._latest_nonce = n
        return n

    def _target(self, deadline: int | None) -> Fees:
        blocks_left = None
        if deadline is not None:
            blocks_left = self._blocks_until(deadline)
        return target_fees(
            base_fee=self._base_fee(),
            suggested_tip=self._suggested_tip(),
            blocks_left=blocks_left,
            policy=self.policy,
        )

    def _base_fee(self) -> int:
        """The latest head's base fee, as the caller saw it; read (the pending block's) only
        before a head with one was seen. The next block's can be 12.5% above the head's: the
        2 x base fee in maxFeePerGas covers that and more (web3's own default strategy)."""
        if self._head.base_fee is not None:
            return self._head.base_fee
        block = self._rpc(lambda: self.w3.eth.get_block("pending"))
        return int(block.get("baseFeePerGas") or 0)

    def _suggested_tip(self) -> int:
        """The node's suggested tip, read at most once per `bump_after_blocks` blocks: an
        attempt priced on an older suggestion that is not mined is re-priced after that
        many blocks anyway, on a fresh one (re-reading it for each submit and each deadline
        re-price was a third of the manager's requests in the soak)."""
        head = self._head.number
        if self._tip is not None and head >= 0:
            read_at, tip = self._tip
            if head - read_at < self.policy.bump_after_blocks:
                return tip
        try:
            tip = int(self._rpc(lambda: self.w3.eth.max_priority_fee))
        except (Web3RPCError, ValueError):  # nodes without eth_maxPriorityFeePerGas
            tip = 10**9
        self._tip = (head, tip)
        return tip

    def _urgent(self, deadline: int | None) -> bool:
        if deadline is None:
            return False
        return self._blocks_until(deadline) < self.policy.urgent_blocks

    def _blocks_until(self, deadline: int) -> float:
        """Blocks from the latest head to `deadline` (a reading of the oracle's clock)."""
        return self.clock.blocks(deadline - self._head.now, self._block_interval())

    def _block_interval(self) -> float:
        """Seconds per block, from the heads seen (12 s, Ethereum's, until two are)."""
        first, head = self._first_head, self._head
        if first is None or head.number <= first.number:
            return 12.0
        return max(0.1, (head.timestamp - first.timestamp) / (head.number - first.number))

    def _sign_and_send(self, attempt: Attempt, fees: Fees) -> Attempt:
        tx: dict[str, Any] = {
            "from": attempt.sender,
            "to": attempt.to,
            "data": attempt.data,
            "value": attempt.value,
            "gas": attempt.gas,
            "nonce": attempt.nonce,
            "chainId": self.sender.chain_id,
            **fees.as_tx(),
        }
        signed = self.sender.account.sign_transaction(tx)
        tx_hash = "0x" + HexBytes(signed.hash).hex().removeprefix("0x")
        before = attempt if attempt.hashes else None  # a replacement: the old one is out
        attempt = attempt.resigned(fees, tx_hash, self._head.number)
        # Durable before the bytes leave: a restart knows this hash is in flight.
        self.store.save_attempt(attempt)
        assert self._live is not None
        self._live[attempt.nonce] = attempt
        outcome = self._broadcast(signed.raw_transaction)
        if outcome == "unsent":
            # Signed and stored, the node unreachable: sent again on the next block.
            self._unsent.add(attempt.nonce)
            return attempt
        if before is not None and outcome.startswith(("refused:", "insufficient")):
            # A replacement refused (Ganache: "mining has already started"; or no ETH for
            # the higher fee): the signature before it is still in flight and may mine.
            log.warning(
                "%s at nonce %d: re-pricing refused (%s); the earlier one stays in flight",
                attempt.intent,
                attempt.nonce,
                outcome,
            )
            self.store.save_attempt(replace(before, sent_block=self._head.number))
            self._live[attempt.nonce] = replace(before, sent_block=self._head.number)
            return self._live[attempt.nonce]
        if outcome == "insufficient-funds":
            self._finish(attempt.finished(AttemptState.DROPPED, error="insufficient funds"))
            balance = int(self._rpc(lambda: self.w3.eth.get_balance(self.address)))
            raise InsufficientFunds(
                self.address, balance, attempt.gas * fees.max_fee + attempt.value
            )
        if outcome.startswith("refused:"):
            self._finish(attempt.finished(AttemptState.DROPPED, error=outcome))
            raise SubmitRefused(attempt.intent, attempt.nonce, outcome.removeprefix("refused: "))
        # "underpriced" (the pool holds a dearer one at this nonce) and "nonce-too-low" (the
        # nonce was used meanwhile) stay in flight: the next blocks re-price or settle them.
        return attempt

    def _broadcast(self, raw: bytes) -> str:
        try:
            self._rpc(lambda: self.w3.eth.send_raw_transaction(raw))
            return "sent"
        except Exception as exc:
            if is_transient(exc):
                return "unsent"
            if not isinstance(exc, ValueError | Web3RPCError):
                raise
            return send_refusal(exc) or f"refused: {exc}"

    def _settle(self, a: Attempt) -> None:
        """`a`'s nonce is below the chain's count: find which of its hashes mined, if any."""
        for h in reversed(a.hashes):
            try:
                receipt = self._rpc(partial(self.w3.eth.get_transaction_receipt, HexBytes(h)))
            except TransactionNotFound:
                continue
            if receipt is None or receipt.get("blockNumber") is None:
                continue
            block = int(receipt["blockNumber"])
            if int(receipt["status"]) == 1:
                self._finish(a.finished(AttemptState.MINED, mined_hash=h, block_number=block))
            else:
                error, data = self._revert_reason(a, block)
                self._finish(
                    a.finished(
                        AttemptState.REVERTED,
                        mined_hash=h,
                        block_number=block,
                        error=error,
                        revert_data=data,
                    )
                )
            return
        self._finish(a.finished(AttemptState.REPLACED, error="nonce used by another transaction"))

    def _revert_reason(self, a: Attempt, block: int) -> tuple[str | None, bytes]:
        """The custom error a mined revert raised: the call replayed on the state before its
        block (receipts carry no reason). None when the replay passes (a peer's transaction
        earlier in the same block changed the state)."""
        call = {"from": a.sender, "to": a.to, "data": a.data, "value": a.value, "gas": a.gas}
        reverted = self.sender.replayed_revert(call, block, a.tx_hash)
        return reverted.error, reverted.data

    def _finish(self, a: Attempt) -> None:
        self.store.save_attempt(a)
        live = self._live or {}
        if a.nonce in live and live[a.nonce].intent == a.intent:
            del live[a.nonce]
        self._capped.discard((a.nonce, a.intent))
        self._results[a.intent] = a
        level = logging.INFO if a.state is AttemptState.MINED else logging.WARNING
        log.log(
            level, "%s at nonce %d: %s (%s)", a.intent, a.nonce, a.state.value, a.error or a.tx_hash
        )
        callbacks = self._callbacks.pop(a.intent, [])
        if not callbacks and self.on_orphan is not None:
            callbacks = [self.on_orphan]
        for callback in callbacks:
            try:
                callback(a)
            except Exception:
                log.exception("result callback of %s failed", a.intent)

    def _repair_gap(self, latest: int) -> None:
        """Fill nonce `latest` when nothing of ours covers it but later nonces wait on it."""
        live = self._attempts()
        expected = self.sender.nonces.peek() or latest
        gap = latest < expected and latest not in live
        for n in [n for n in self._gap_since if n != latest or not gap]:
            del self._gap_since[n]
        if not gap:
            return
        since = self._gap_since.setdefault(latest, self._head.number)
        if self._head.number - since < self.policy.bump_after_blocks:
            return  # may be a transaction of this key still on its way (another sender's)
        del self._gap_since[latest]
        log.warning(
            "nonce %d of %s holds %d later nonce(s) and no attempt of this process covers it "
            "(lost in a crash, or dropped): filling it with a 0-value self-transfer",
            latest,
            self.address,
            expected - latest - 1,
        )
        self.on_event("gap_fill")
        filler = Attempt(
            sender=self.address,
            intent=f"{FILLER_INTENT}:{latest}",
            nonce=latest,
            to=self.address,
            data=b"",
            value=0,
            gas=FILLER_GAS,
            priority=Priority.DEADLINE,
            deadline=None,
            fees=Fees(0, 0),
            hashes=(),
            sent_block=self._head.number,
            first_block=self._head.number,
        )
        self._sign_and_send(filler, self._target(None))

    def _reprice_queue(self) -> None:
        """Re-price attempts stuck for `bump_after_blocks` blocks, and lift each attempt to
        the fees of the dearest one behind it (nonce order: it holds them all back)."""
        live = self._attempts()
        behind: Fees | None = None
        for nonce in sorted(live, reverse=True):
            a = live[nonce]
            if a.sent_block < 0:  # sent before the first block was seen: count from this one
                head = self._head.number
                a = live[nonce] = replace(a, sent_block=head, first_block=head)
            waited = self._head.number - a.sent_block
            if behind is not None and not a.fees.covers(_discounted(behind, self.policy)):
                self._reprice(a, behind, why="a dearer transaction waits behind it")
            elif waited >= a.priority.bump_after(self.policy):
                wanted = self._target(a.deadline)
                self._reprice(a, wanted, why=f"not mined in {waited} blocks")
            elif waited > 0 and self._urgent(a.deadline):
                wanted = self._target(a.deadline)  # its deadline is nearer by a block
                if not a.fees.covers(_discounted(wanted, self.policy)):
                    self._reprice(a, wanted, why="its deadline nears")
            fees = live.get(nonce, a).fees
            behind = (
                fees
                if behind is None
                else Fees(max_fee=max(fees.max_fee, behind.max_fee), tip=max(fees.tip, behind.tip))
            )

    def _reprice(self, a: Attempt, wanted: Fees, *, why: str) -> None:
        fees = replacement(a.fees, wanted, self.policy)
        if fees is None:
            if (a.nonce, a.intent) not in self._capped:
                self._capped.add((a.nonce, a.intent))
                self.on_event("fee_cap")
                log.warning(
                    "%s at nonce %d: not re-priced (%s): the bump would pass the fee cap of "
                    "%g gwei (max_fee_per_gas_gwei); it waits at %.2f gwei",
                    a.intent,
                    a.nonce,
                    why,
                    self.policy.max_fee_per_gas_gwei,
                    a.fees.max_fee / 1e9,
                )
            # The same bytes again: a node may have dropped it meanwhile (evicted while under
            # the base fee, restarted), and nothing else would ever send it back.
            self._sign_and_send(a, a.fees)
            return
        self.on_event("bump")
        log.info(
            "%s at nonce %d: re-priced to %.2f gwei (tip %.2f): %s",
            a.intent,
            a.nonce,
            fees.max_fee / 1e9,
            fees.tip / 1e9,
            why,
        )
        self._sign_and_send(a, fees)


def _discounted(fees: Fees, policy: FeePolicy) -> Fees:
    """`fees` divided by the bump factor: an attempt within that of them is not worth a
    replacement (which has to raise both fees by the factor anyway)."""
    f = policy.bump_factor
    return Fees(max_fee=int(fees.max_fee / f), tip=int(fees.tip / f))
