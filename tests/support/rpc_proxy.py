"""A JSON-RPC proxy the tests control, between validators and Anvil (127.0.0.1 only).

- `down()` / `up()`: while down, every connection is closed without an answer, as an
  unreachable endpoint looks to a client (the outage test).
- `tamper_payloads(ids)`: rewrites the payload bytes of those proposals in
  `eth_getLogs` answers, as a lying endpoint would (the hash-mismatch test).
- `requests`: how many JSON-RPC requests of each method went through (the RPC-cost tests).
- `refused_methods`: requests of these methods are closed without an answer, the rest go
  through (a node unreachable at the moment one transaction is sent).
"""

from __future__ import annotations

import json
import threading
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
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self._down = threading.Event()
        self.tampered_ids: set[int] = set()
        self.refused = 0
        self.requests: Counter[str] = Counter()
        self.refused_methods: set[str] = set()
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
                try:
                    r = requests.post(
                        proxy.upstream,
                        data=body,
                        headers={"Content-Type": "application/json"},
                        timeout=30,
                    )
                    out = proxy._rewrite(body, r.content)
                except requests.RequestException:
                    self.send_error(502)
                    return
                self.send_response(r.status_code)
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

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _count(self, body: bytes) -> set[str]:
        """Count the request's methods; return them."""
        try:
            calls = json.loads(body)
        except ValueError:
            return set()
        methods = [str(c.get("method")) for c in (calls if isinstance(calls, list) else [calls])]
        self.requests.update(methods)
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


def _tampered(data_hex: str) -> str:
    """Same event, one payload byte flipped (the payloadHash field is left as it was)."""
    types = ["bytes32", "bytes32", "uint256", "bytes"]
    payload_hash, model_hash, fee, payload = decode(types, bytes.fromhex(data_hex[2:]))
    changed = bytearray(payload)
    changed[-1] ^= 0x01
    return "0x" + encode(types, [payload_hash, model_hash, fee, bytes(changed)]).hex()
