"""A load generator that is not the bottleneck: every `submit` signed before the clock starts.

bench/e2e.py measures what the validators finalize per minute, so what offers the load
must cost next to nothing on the same 2 cores. `Submitter` (oracle/chain/submitter.py)
signs each transaction when it sends it and waits for the receipts of every batch before
the next: on this machine that offered ~1,800 proposals a minute at most (the last e2e
run, bounded by the submitter). Here:

- every transaction is signed up front (`presign`), with nonces counted locally from each
  sender's `pending` nonce, spread over several sender accounts (one account's pool slots
  and nonce order do not cap the rate);
- `send_at_rate` posts them as JSON-RPC batches (one `eth_sendRawTransaction` per
  transaction, one HTTP request per batch) over one keep-alive session and never waits for
  a receipt; the proposal ids come from the `ProposalSubmitted` events, matched by
  transaction hash, as the benchmark follows the chain anyway.

Each proposal still costs its own `submit` transaction, with its fee, gas and payload:
nothing is aggregated that a real requester would not pay for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import requests
from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from oracle.chain.client import OracleClient

SUBMIT_SELECTOR = keccak(text="submit(bytes)")[:4]


@dataclass(frozen=True)
class SignedSubmit:
    tx_hash: str
    raw: str  # 0x-prefixed signed transaction


@dataclass
class SendLog:
    sent_at: dict[str, float] = field(default_factory=dict)  # tx hash -> wall time sent
    errors: list[str] = field(default_factory=list)
    batches: int = 0
    sign_s: float = 0.0
    send_cpu_s: float = 0.0  # CPU time of the sending thread


def presign(
    client: OracleClient,
    senders: Sequence[LocalAccount],
    payloads: Sequence[bytes],
    *,
    fee: int,
    gas: int = 600_000,
) -> list[SignedSubmit]:
    """One signed `submit(payload)` per payload, round-robin over `senders` (so consecutive
    transactions come from different accounts), fees capped at 4x the current base fee."""
    w3 = client.w3
    base = int(w3.eth.get_block("latest").get("baseFeePerGas") or 10**9)
    tip = 10**9
    nonces = {a.address: int(w3.eth.get_transaction_count(a.address, "pending")) for a in senders}
    out: list[SignedSubmit] = []
    for i, payload in enumerate(payloads):
        account = senders[i % len(senders)]
        tx = {
            "to": client.address,
            "data": SUBMIT_SELECTOR + abi_encode(["bytes"], [payload]),
            "value": fee,
            "gas": gas,
            "maxFeePerGas": 4 * base + tip,
            "maxPriorityFeePerGas": tip,
            "nonce": nonces[account.address],
            "chainId": client.chain_id,
        }
        nonces[account.address] += 1
        signed = account.sign_transaction(tx)
        out.append(
            SignedSubmit(
                "0x" + bytes(signed.hash).hex(), "0x" + bytes(signed.raw_transaction).hex()
            )
        )
    return out


def send_at_rate(
    url: str, signed: Sequence[SignedSubmit], *, rate_per_s: float, batches_per_s: float = 4.0
) -> SendLog:
    """Send `signed` in order at `rate_per_s`, `batches_per_s` JSON-RPC batches a second."""
    log = SendLog()
    http = requests.Session()
    per_batch = max(1, round(rate_per_s / batches_per_s))
    cpu0 = time.thread_time()
    t0 = time.monotonic()
    for n, start in enumerate(range(0, len(signed), per_batch)):
        chunk = signed[start : start + per_batch]
        body = [
            {"jsonrpc": "2.0", "id": j, "method": "eth_sendRawTransaction", "params": [s.raw]}
            for j, s in enumerate(chunk)
        ]
        now = time.time()
        replies = http.post(url, json=body, timeout=60).json()
        for s in chunk:
            log.sent_at[s.tx_hash] = now
        log.errors += [str(x["error"]) for x in replies if "error" in x]
        log.batches += 1
        delay = t0 + (n + 1) / batches_per_s - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    log.send_cpu_s = time.thread_time() - cpu0
    return log


class BackgroundSender(threading.Thread):
    """`send_at_rate` on its own thread; `log` once joined."""

    def __init__(self, url: str, signed: Sequence[SignedSubmit], rate_per_s: float) -> None:
        super().__init__(name="load", daemon=True)
        self.url, self.signed, self.rate = url, signed, rate_per_s
        self.log = SendLog()
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            self.log = send_at_rate(self.url, self.signed, rate_per_s=self.rate)
        except BaseException as exc:  # surfaced by the caller
            self.failure = exc
