"""Anvil and Ganache behind one interface: start on loopback, travel in time, set balances."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.chain.anvil import Anvil
from oracle.chain.builds import PRAGUE, SHANGHAI, artifacts_path, build_for
from oracle.chain.client import OracleClient
from oracle.chain.deployment import Deployment
from oracle.chain.errors import TxReverted
from oracle.chain.ganache import GANACHE_CHAIN_ID, Ganache
from oracle.chain.localdeploy import OracleParams, deploy
from oracle.chain.localnode import TEST_MNEMONIC, LocalNode, LocalNodeError
from oracle.validator.keys import anvil_key

ROOT = Path(__file__).resolve().parents[3]

NODES = {"anvil": (Anvil, 31337, PRAGUE), "ganache": (Ganache, GANACHE_CHAIN_ID, SHANGHAI)}


@pytest.fixture(scope="module", params=sorted(NODES))
def node(request: pytest.FixtureRequest) -> Iterator[LocalNode]:
    cls = NODES[request.param][0]
    with cls() as started:
        yield started


def test_local_node__started__listens_on_loopback_with_its_chain_id(node: LocalNode) -> None:
    _, chain_id, _ = NODES[node.name]
    assert node.url.startswith("http://127.0.0.1:")
    assert node.w3.eth.chain_id == chain_id


def test_local_node__cancun_probe__picks_the_build_the_chain_runs(node: LocalNode) -> None:
    assert build_for(node.w3) is NODES[node.name][2]


def test_local_node__increase_time__the_next_block_is_that_much_later(node: LocalNode) -> None:
    node.mine()
    before = int(node.w3.eth.get_block("latest")["timestamp"])
    node.increase_time(3600)
    node.mine()
    after = int(node.w3.eth.get_block("latest")["timestamp"])
    assert after - before >= 3600


def test_local_node__mine_at_timestamp__the_block_has_that_timestamp(node: LocalNode) -> None:
    target = int(node.w3.eth.get_block("latest")["timestamp"]) + 500
    node.mine(target)
    assert int(node.w3.eth.get_block("latest")["timestamp"]) == target


def test_local_node__set_balance__the_balance_reads_back(node: LocalNode) -> None:
    address = node.w3.eth.accounts[19]
    node.set_balance(address, 123 * 10**15)
    assert node.w3.eth.get_balance(address) == 123 * 10**15


def test_local_node__unknown_method__raises_with_the_nodes_message(node: LocalNode) -> None:
    with pytest.raises(LocalNodeError, match="no_such_method"):
        node.rpc("no_such_method", [])


def test_ganache__port_taken__says_which_and_what_to_do() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = int(listener.getsockname()[1])
        with pytest.raises(LocalNodeError, match=f"port {port} is taken"):
            Ganache(port)


def test_local_node__custom_error__is_decoded_by_name(node: LocalNode, tmp_path: Path) -> None:
    """Ganache reports revert bytes under "result", Anvil under "data": both decode."""
    path = deploy(
        node.w3,
        anvil_key(0, TEST_MNEMONIC),
        tmp_path,
        OracleParams(),
        node.url,
        artifacts=artifacts_path(SHANGHAI, ROOT),
    )
    client = OracleClient(node.w3, Deployment.load(path))
    with pytest.raises(TxReverted) as err:
        client.claim(client.make_sender(anvil_key(3, TEST_MNEMONIC)))
    assert err.value.error == "OracleNothingToClaim"
