"""A JSON-RPC proxy to Anvil that answers `eth_newFilter` with "method not found", as
public endpoints without log filters do (127.0.0.1 only). Everything else is forwarded."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

REFUSED = {"eth_newFilter"}


class NoFilterProxy:
    def __init__(self, upstream: str) -> None:
        self.refused = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_a: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                request = json.loads(body)
                if isinstance(request, dict) and request.get("method") in REFUSED:
                    proxy.refused += 1
                    error = {"code": -32601, "message": "the method eth_newFilter does not exist"}
                    answer = json.dumps({"jsonrpc": "2.0", "id": request.get("id"), "error": error})
                    data = answer.encode()
                else:
                    data = requests.post(
                        upstream,
                        data=body,
                        headers={"Content-Type": "application/json"},
                        timeout=30,
                    ).content
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
