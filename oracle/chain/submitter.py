"""Submitting many proposals fast: sign locally with consecutive nonces, send as JSON-RPC batches.

One HTTP round trip carries up to `batch` signed `submit` transactions; the ids
come back from the `ProposalSubmitted` logs of the receipts.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests
from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_utils import event_abi_to_log_topic, keccak
from hexbytes import HexBytes

from oracle.chain.client import OracleClient

SUBMIT_SELECTOR = keccak(text="submit(bytes)")[:4]


@dataclass(frozen=True)
class Submitted:
    proposal_id: int
    tx_hash: str
    block: int
    gas_used: int
    submitted_at: float


class Submitter:
    def __init__(self, client: OracleClient, account: LocalAccount, *, gas: int = 600_000) -> None:
        self.client = client
        self.account = account
        self.gas = gas
        self.url = str(client.w3.provider.endpoint_uri)  # type: ignore[attr-defined]
        self.http = requests.Session()
        topic = next(
            event_abi_to_log_topic(e)  # type: ignore[arg-type]
            for e in client.abi
            if e.get("type") == "event" and e.get("name") == "ProposalSubmitted"
        )
        self._topic = bytes(topic)
        self._nonce: int | None = None

    def submit(
        self, payloads: Sequence[bytes], *, fee: int | None = None, batch: int = 200
    ) -> list[Submitted]:
        """Submit every payload; returns one Submitted per payload, in order.

        `fee` (the `msg.value` of each): by default the oracle's quote for this account, the
        proposal fee, plus the callback deposit should the account have code that is called back.
        """
        w3 = self.client.w3
        if fee is None:
            fee = self.client.quote_submit(self.account.address)
        if self._nonce is None:
            self._nonce = int(w3.eth.get_transaction_count(self.account.address, "pending"))
        block = w3.eth.get_block("latest")
        base = int(block.get("baseFeePerGas") or 10**9)
        tip = 10**9
        out: list[Submitted] = []
        for start in range(0, len(payloads), batch):
            chunk = payloads[start : start + batch]
            raws = []
            for payload in chunk:
                tx: dict[str, Any] = {
                    "to": self.client.address,
                    # Encoded by hand: web3's contract-function path costs ~1 ms a call.
                    "data": SUBMIT_SELECTOR + abi_encode(["bytes"], [payload]),
                    "value": fee,
                    "gas": self.gas,
                    "maxFeePerGas": 4 * base + tip,
                    "maxPriorityFeePerGas": tip,
                    "nonce": self._nonce,
                    "chainId": self.client.chain_id,
                }
                self._nonce += 1
                raws.append(self.account.sign_transaction(tx).raw_transaction)
            sent_at = time.time()
            hashes = self._rpc_batch(
                "eth_sendRawTransaction", [["0x" + bytes(r).hex()] for r in raws]
            )
            receipts = self._wait_receipts(hashes)
            for h, rc in zip(hashes, receipts, strict=True):
                if int(rc["status"], 16) != 1:
                    raise RuntimeError(
                        f"submit transaction {h} reverted; check the fee and payload size"
                    )
                pid = next(
                    int(log["topics"][1], 16)
                    for log in rc["logs"]
                    if bytes(HexBytes(log["topics"][0])) == self._topic
                )
                out.append(
                    Submitted(pid, h, int(rc["blockNumber"], 16), int(rc["gasUsed"], 16), sent_at)
                )
        return out

    def _rpc_batch(self, method: str, params: list[list[object]]) -> list[str]:
        body = [
            {"jsonrpc": "2.0", "id": i, "method": method, "params": p} for i, p in enumerate(params)
        ]
        r = self.http.post(self.url, json=body, timeout=60)
        r.raise_for_status()
        replies = sorted(r.json(), key=lambda x: x["id"])
        errors = [x["error"] for x in replies if "error" in x]
        if errors:
            self._nonce = None  # resync next time
            raise RuntimeError(f"{method} failed for {len(errors)} of {len(params)}: {errors[0]}")
        return [x["result"] for x in replies]

    def _wait_receipts(self, hashes: list[str], timeout_s: float = 120.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout_s
        pending = dict(enumerate(hashes))
        found: dict[int, dict[str, Any]] = {}
        while pending:
            idx = list(pending)
            body = [
                {
                    "jsonrpc": "2.0",
                    "id": i,
                    "method": "eth_getTransactionReceipt",
                    "params": [pending[i]],
                }
                for i in idx
            ]
            replies = self.http.post(self.url, json=body, timeout=60).json()
            for x in replies:
                if x.get("result"):
                    found[x["id"]] = x["result"]
                    pending.pop(x["id"], None)
            if pending:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{len(pending)} submit transactions not mined after {timeout_s}s"
                    )
                time.sleep(0.05)
        return [found[i] for i in range(len(hashes))]
