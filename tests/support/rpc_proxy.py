"""A JSON-RPC proxy the tests control, between validators and Anvil (127.0.0.1 only).

- `down()` / `up()`: while down, every connection is closed without an answer, as an
  unreachable endpoint looks to a client (the outage test).
- `tamper_payloads(ids)`: rewrites the payload bytes of those proposals in
  `eth_getLogs` answers, as a lying endpoint would (the hash-mismatch test).
- `latency_s`: added to every answer, as a distant endpoint (the soak's 150 ms).
- `lag_blocks`: a node that many blocks behind the head: `eth_blockNumber` answers
  head - lag, `latest` in requests is pinned to that block, logs and receipts of later
  blocks are withheld (the soak and the lagging-view e2e test).
- `requests`: how many JSON-RPC requests of each method came in (each element of a batch
  counts; `total_requests()` sums them): the RPC-cost tests and the soak's per-block figure.
- `detail`: the same, finer: `eth_call` by the 4-byte selector it calls and
  `eth_getBlockByNumber` by its block tag (`latest` or a number), to see where they go.
- `refused_methods`: requests of these methods are closed without an answer, the rest go
  through (a node unreachable at the moment one transaction is sent).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from eth_abi import decode, encode
from eth_utils import keccak

SUBMITTED_TOPIC = (
    "0x"
    + keccak(text="ProposalSubmitted(uint256,address,uint64,bytes32,bytes32,uint256,bytes)").hex()
)


class RpcProxy:
    def __init__(self, upstream: str, *, latency_s: float = 0.0, lag_blocks: int = 0) -> None:
        self.upstream = upstream
        self._down = threading.Event()
        self.tampered_ids: set[int] = set()
        self.refused = 0
        self.latency_s = latency_s
        self.lag_blocks = lag_blocks
        self.requests: Counter[str] = Counter()
        self.detail: Counter[str] = Counter()
        self._count_lock = threading.Lock()
        self.refused_methods: set[str] = set()
        self._http = threading.local()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_a: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                methods = proxy._count(body)
                if proxy._down.is_set() or methods & proxy.refused_methods:
                    proxy.refused += 1
                    self.close_connection = True
                    self.connection.close()
                    return
                if proxy.latency_s:
                    time.sleep(proxy.latency_s)
                try:
                    if proxy.lag_blocks:
                        status, out = proxy._lagged(body)
                    else:
                        r = proxy._session().post(
                            proxy.upstream,
                            data=body,
                            headers={"Content-Type": "application/json"},
                            timeout=30,
                        )
                        status, out = r.status_code, proxy._rewrite(body, r.content)
                except (requests.RequestException, ValueError):
                    self.send_error(502)
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def down(self) -> None:
        self._down.set()

    def up(self) -> None:
        self._down.clear()

    def tamper_payloads(self, ids: set[int]) -> None:
        self.tampered_ids |= set(ids)

    def _session(self) -> requests.Session:
        """One keep-alive session per proxy thread (requests.Session is not thread-safe)."""
        session: requests.Session | None = getattr(self._http, "session", None)
        if session is None:
            session = self._http.session = requests.Session()
        return session

    def _upstream(self, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self._session().post(self.upstream, json=calls, timeout=30)
        r.raise_for_status()
        replies: list[dict[str, Any]] = r.json()
        return replies

    def _lagged(self, body: bytes) -> tuple[int, bytes]:
        """Answer as a node `lag_blocks` behind the head would (see the module docstring)."""
        data = json.loads(body)
        calls = data if isinstance(data, list) else [data]
        head_reply = self._upstream([{"jsonrpc": "2.0", "id": 0, "method": "eth_blockNumber"}])
        view = max(0, int(head_reply[0]["result"], 16) - self.lag_blocks)
        ahead = [call for call in calls if _ahead_of(call, view)]
        sent = [_pinned(call, view) for call in calls if call not in ahead]
        replies = self._upstream(sent) if sent else []
        by_id = {json.dumps(x.get("id")): x for x in replies}
        # A request for blocks past the lagging head: what such a node answers (nothing yet).
        for call in ahead:
            empty = [] if call.get("method") == "eth_getLogs" else None
            by_id[json.dumps(call.get("id"))] = {
                "jsonrpc": "2.0",
                "id": call.get("id"),
                "result": empty,
            }
        out = [_withheld(call, by_id[json.dumps(call.get("id"))], view) for call in calls]
        return 200, json.dumps(out if isinstance(data, list) else out[0]).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _count(self, body: bytes) -> set[str]:
        """Count the request's methods; return them."""
        try:
            calls = json.loads(body)
        except ValueError:
            return set()
        batch = [c for c in (calls if isinstance(calls, list) else [calls]) if isinstance(c, dict)]
        methods = [str(c.get("method")) for c in batch]
        with self._count_lock:  # one handler thread per connection
            self.requests.update(methods)
            self.detail.update(_detail(c) for c in batch)
        return set(methods)

    def total_requests(self) -> int:
        return sum(self.requests.values())

    def _rewrite(self, request: bytes, response: bytes) -> bytes:
        if not self.tampered_ids or b"eth_getLogs" not in request:
            return response
        data = json.loads(response)
        replies = data if isinstance(data, list) else [data]
        for reply in replies:
            for log in reply.get("result") or []:
                if not isinstance(log, dict) or log.get("topics", [None])[0] != SUBMITTED_TOPIC:
                    continue
                if int(log["topics"][1], 16) in self.tampered_ids:
                    log["data"] = _tampered(log["data"])
        return json.dumps(data).encode()


def _detail(call: dict[str, Any]) -> str:
    """`method`, refined: an `eth_call`'s selector, an `eth_getBlockByNumber`'s block tag."""
    method = str(call.get("method"))
    params = call.get("params") or []
    if method == "eth_call" and params and isinstance(params[0], dict):
        data = str(params[0].get("data") or params[0].get("input") or "")
        return f"{method}:{data[:10]}"
    if method == "eth_getBlockByNumber" and params:
        tag = str(params[0])
        return f"{method}:{tag if not tag.startswith('0x') else 'number'}"
    return method


def _tampered(data_hex: str) -> str:
    """Same event, one payload byte flipped (the payloadHash field is left as it was)."""
    types = ["bytes32", "bytes32", "uint256", "bytes"]
    payload_hash, model_hash, fee, payload = decode(types, bytes.fromhex(data_hex[2:]))
    changed = bytearray(payload)
    changed[-1] ^= 0x01
    return "0x" + encode(types, [payload_hash, model_hash, fee, bytes(changed)]).hex()


# Where each method takes a block tag, by parameter position.
_BLOCK_PARAM = {
    "eth_call": 1,
    "eth_estimateGas": 1,
    "eth_getBalance": 1,
    "eth_getCode": 1,
    "eth_getStorageAt": 2,
    "eth_getTransactionCount": 1,
    "eth_getBlockByNumber": 0,
}


def _ahead_of(call: dict[str, Any], view: int) -> bool:
    """A block-numbered request for a block the lagging node does not have yet."""
    method, params = call.get("method"), list(call.get("params") or [])
    if method == "eth_getLogs" and params:
        tag = params[0].get("fromBlock", "latest")
    elif method == "eth_getBlockByNumber" and params:
        tag = params[0]
    else:
        return False
    return isinstance(tag, str) and tag.startswith("0x") and int(tag, 16) > view


def _pinned(call: dict[str, Any], view: int) -> dict[str, Any]:
    """The call with `latest` (and a missing tag) replaced by the lagging node's head."""
    method, params = call.get("method"), list(call.get("params") or [])
    if method == "eth_blockNumber":
        return call
    if method == "eth_getLogs" and params:
        query = dict(params[0])
        for key in ("fromBlock", "toBlock"):
            tag = query.get(key, "latest")
            if tag == "latest" or (tag.startswith("0x") and int(tag, 16) > view):
                query[key] = hex(view)
        return {**call, "params": [query]}
    position = _BLOCK_PARAM.get(str(method))
    if position is None:
        return call
    while len(params) <= position:
        params.append("latest")
    tag = params[position]
    if tag == "latest" or (isinstance(tag, str) and tag.startswith("0x") and int(tag, 16) > view):
        params[position] = hex(view)
    return {**call, "params": params}


def _withheld(call: dict[str, Any], reply: dict[str, Any], view: int) -> dict[str, Any]:
    """What a node at block `view` could answer: no receipt or log of a later block."""
    method = call.get("method")
    if method == "eth_blockNumber":
        return {**reply, "result": hex(view)}
    result = reply.get("result")
    receipt_ahead = isinstance(result, dict) and int(result.get("blockNumber", "0x0"), 16) > view
    if method == "eth_getTransactionReceipt" and receipt_ahead:
        return {**reply, "result": None}
    if method == "eth_getLogs" and isinstance(result, list):
        kept = [log for log in result if int(log["blockNumber"], 16) <= view]
        return {**reply, "result": kept}
    return reply
