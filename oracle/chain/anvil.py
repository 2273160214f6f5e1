"""Start and stop a local Anvil node on 127.0.0.1: for the demo, the benchmarks and the tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from web3 import Web3

ANVIL_MNEMONIC = "test test test test test test test test test test test junk"


class AnvilError(RuntimeError):
    """Anvil cannot start; the message says what to do."""


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


class Anvil:
    """An Anvil process on 127.0.0.1; `stop()` (or the context manager) ends it."""

    def __init__(
        self,
        port: int | None = None,
        *,
        accounts: int = 20,
        block_time: float | None = None,
        log_path: Path | None = None,
    ) -> None:
        binary = shutil.which("anvil")
        if binary is None:
            raise AnvilError(
                "anvil is not on PATH: run `make setup` (it installs node_modules/.bin/anvil) "
                "and put node_modules/.bin on PATH"
            )
        self.port = port if port is not None else free_port()
        if not port_is_free(self.port):
            raise AnvilError(
                f"port {self.port} is taken: stop what listens there or choose another port"
            )
        self.url = f"http://127.0.0.1:{self.port}"
        args = [
            binary,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--accounts",
            str(accounts),
            "--mnemonic",
            ANVIL_MNEMONIC,
            "--silent",
        ]
        if block_time is not None:
            args += ["--block-time", str(block_time)]
        self._log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
        # Its own session: a Ctrl-C meant for the parent does not kill the chain under
        # processes that still need it; whoever started it stops it.
        self.process = subprocess.Popen(
            args, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        w3 = Web3(Web3.HTTPProvider(self.url, request_kwargs={"timeout": 2}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise AnvilError(f"anvil exited with status {code} on port {self.port}")
            try:
                if w3.eth.block_number >= 0:
                    return
            except Exception:
                time.sleep(0.1)
        self.stop()
        raise AnvilError(f"anvil did not answer on {self.url} within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()  # type: ignore[union-attr]

    def __enter__(self) -> Anvil:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
