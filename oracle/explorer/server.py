"""Build the explorer for a deployment and run it under uvicorn (blocking or in a thread)."""

from __future__ import annotations

import errno
import socket
import threading
import time
from pathlib import Path

import uvicorn
from web3 import Web3

from oracle.chain.deployment import Deployment, DeploymentError
from oracle.explorer.app import create_app
from oracle.explorer.indexer import Indexer

DEFAULT_DEPLOYMENTS = Path("deployments")


class ExplorerError(RuntimeError):
    """The explorer cannot start; the message says what to do."""


def find_deployment(folder: Path = DEFAULT_DEPLOYMENTS) -> Path:
    """The only deployment file in `folder`; several files are an error, not a guess."""
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise ExplorerError(
            f"no deployment file in {folder}/: run `ape run deploy` first or pass --deployment PATH"
        )
    if len(files) > 1:
        names = ", ".join(f.name for f in files)
        raise ExplorerError(
            f"several deployment files in {folder}/ ({names}): pass --deployment PATH"
        )
    return files[0]


def build_indexer(deployment_path: Path | None, rpc_url: str | None) -> Indexer:
    """Load the deployment, connect to its chain and check the oracle is there."""
    try:
        deployment = Deployment.load(deployment_path or find_deployment())
    except DeploymentError as exc:
        raise ExplorerError(str(exc)) from None
    url = rpc_url or deployment.rpc_url
    if not url:
        raise ExplorerError(f"{deployment.path} has no rpc_url: pass --rpc URL")
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 10}))
    try:
        chain_id = w3.eth.chain_id
    except Exception as exc:
        raise ExplorerError(
            f"cannot reach the chain at {url} ({exc}): start the node or pass --rpc URL"
        ) from None
    if chain_id != deployment.chain_id:
        raise ExplorerError(
            f"{url} is chain {chain_id} but {deployment.path} was deployed on chain "
            f"{deployment.chain_id}: pass the matching --rpc or --deployment"
        )
    if not w3.eth.get_code(Web3.to_checksum_address(deployment.oracle_address)):
        raise ExplorerError(
            f"no contract at {deployment.oracle_address} on {url}: "
            "the chain was reset; run `ape run deploy` again"
        )
    return Indexer(w3, deployment)


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ExplorerError(
                    f"port {port} on {host} is taken: stop what uses it or pass --port N"
                ) from None
            raise ExplorerError(f"cannot bind {host}:{port}: {exc}") from None


def make_server(indexer: Indexer, host: str, port: int, poll_interval: float) -> uvicorn.Server:
    config = uvicorn.Config(
        create_app(indexer, poll_interval=poll_interval),
        host=host,
        port=port,
        log_level="warning",
        # Open event streams would otherwise hold shutdown until the browser goes away.
        timeout_graceful_shutdown=1,
    )
    return uvicorn.Server(config)


def serve(
    *, deployment_path: Path | None, rpc_url: str | None, host: str, port: int, poll_interval: float
) -> None:
    """Run the explorer in the foreground until Ctrl-C."""
    indexer = build_indexer(deployment_path, rpc_url)
    check_port_free(host, port)
    print(
        f"explorer: http://{host}:{port}/  (oracle {indexer.contract.address}, Ctrl-C to stop)",
        flush=True,
    )
    make_server(indexer, host, port, poll_interval).run()


class BackgroundExplorer:
    """The explorer served from a thread of this process (used by the demo and tests)."""

    def __init__(
        self, indexer: Indexer, host: str = "127.0.0.1", port: int = 0, poll_interval: float = 0.5
    ):
        if port == 0:
            port = free_port(host)
        check_port_free(host, port)
        self.url = f"http://{host}:{port}/"
        self.server = make_server(indexer, host, port, poll_interval)
        self.thread = threading.Thread(target=self.server.run, name="explorer", daemon=True)

    def start(self, timeout: float = 10.0) -> BackgroundExplorer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise ExplorerError(f"the explorer did not start on {self.url}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
