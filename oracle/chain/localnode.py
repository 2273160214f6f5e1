"""A local development chain process on 127.0.0.1 (Anvil or Ganache): start, wait, travel, stop.

The demo, the benchmarks and the tests start their own chain: a free port on
loopback, the well-known test mnemonic, stopped afterwards. Subclasses say how to
start their binary and how their node spells the development RPC methods (time
travel, balances), so callers work against either through this interface.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, ClassVar, Self

from web3 import Web3

TEST_MNEMONIC = "test test test test test test test test test test test junk"


class LocalNodeError(RuntimeError):
    """The node cannot start; the message says what to do."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class LocalNode:
    """A node process on 127.0.0.1; `stop()` (or the context manager) ends it."""

    name: ClassVar[str]  # the binary, as in messages: "anvil"
    title: ClassVar[str]  # as in prose: "Anvil"
    # The development RPC method that sets an account's balance (no standard name).
    set_balance_method: ClassVar[str]
    ready_timeout_s: ClassVar[float] = 30.0
    # What a client should allow one request (the validators' `rpc_timeout_s`).
    request_timeout_s: ClassVar[float] = 10.0

    def __init__(
        self,
        port: int | None = None,
        *,
        accounts: int = 20,
        block_time: float | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.port = port if port is not None else free_port()
        if not port_is_free(self.port):
            raise LocalNodeError(
                f"port {self.port} is taken: stop what listens there or choose another port"
            )
        self.url = f"http://127.0.0.1:{self.port}"
        args = self.command(self.port, accounts=accounts, block_time=block_time)
        self._log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
        # Its own session: a Ctrl-C meant for the parent does not kill the chain under
        # processes that still need it; whoever started it stops it.
        self.process = subprocess.Popen(
            args, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.w3 = Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 10}))
        self._wait_ready(self.ready_timeout_s)

    def command(self, port: int, *, accounts: int, block_time: float | None) -> list[str]:
        """The argv that starts this node on 127.0.0.1:`port` with the test mnemonic."""
        binary = shutil.which(self.name)
        if binary is None:
            raise LocalNodeError(
                f"{self.name} is not on PATH: run `make setup` (it installs node_modules/.bin/"
                f"{self.name} from package.json) and put node_modules/.bin on PATH"
            )
        args = [binary, *self.options(port, accounts=accounts)]
        if block_time is not None:
            args += [self.block_time_flag, str(block_time)]
        return args

    # The node's own spelling of "mine a block every N seconds".
    block_time_flag: ClassVar[str]

    def options(self, port: int, *, accounts: int) -> list[str]:
        """This node's flags for loopback on `port`, `accounts` test accounts and quiet logs."""
        raise NotImplementedError

    def _wait_ready(self, timeout: float) -> None:
        w3 = Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 2}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self._close_log()
                raise LocalNodeError(f"{self.name} exited with status {code} on port {self.port}")
            try:
                if w3.eth.block_number >= 0:
                    return
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise LocalNodeError(f"{self.name} did not answer on {self.url} within {timeout:.0f} s")

    # -- development RPC: the same calls on every node ---------------------------------

    def rpc(self, method: str, params: list[Any]) -> Any:
        """One JSON-RPC call; an error reply raises with the node's message."""
        reply = self.w3.provider.make_request(method, params)  # type: ignore[arg-type]
        if "error" in reply:
            raise LocalNodeError(f"{self.name} {method}: {reply['error'].get('message')}")
        return reply.get("result")

    def increase_time(self, seconds: int) -> None:
        """Move chain time forward: the next block is at least `seconds` later."""
        self.rpc("evm_increaseTime", [int(seconds)])

    def mine(self, timestamp: int | None = None) -> None:
        """Mine one block now (or at `timestamp`, which later blocks then follow)."""
        self.rpc("evm_mine", [{"timestamp": int(timestamp)}] if timestamp is not None else [])

    def set_balance(self, address: str, wei: int) -> None:
        self.rpc(self.set_balance_method, [address, hex(wei)])

    # -- lifetime ----------------------------------------------------------------------

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not subprocess.DEVNULL and not self._log.closed:  # type: ignore[union-attr]
            self._log.close()  # type: ignore[union-attr]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
