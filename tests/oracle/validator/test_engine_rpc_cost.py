"""What one engine pass costs in RPC requests on a quiet chain, counted by a proxy between the
engine and a real Anvil (the soak's requests-per-block figure, method by method)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oracle.chain.client import OracleClient
from oracle.chain.rpc import connect
from tests.support.rpc_proxy import RpcProxy
from tests.support.tx_manager_chain import manual_mining, rpc
from tests.support.validator_parts import engine_without_model


def test_tick__one_new_block__ingest_reads_the_logs_once_and_no_block_number(
    client: OracleClient, account: Any, tmp_path: Path
) -> None:
    proxy = RpcProxy(str(client.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    try:
        proxied = OracleClient(connect(proxy.url), client.deployment)
        engine = engine_without_model(proxied, account, tmp_path / "v.db")
        with manual_mining(client.w3):
            engine.tick()  # the first pass reads what a start needs
            rpc(client.w3, "evm_mine")
            engine.tick()
            proxy.requests.clear()
            rpc(client.w3, "evm_mine")
            engine.tick()
        by_method = dict(proxy.requests)
    finally:
        proxy.close()
    # The ingest reads up to the block the pass saw: no eth_blockNumber of its own (it read
    # two a block). Other duties may read more here: the shared chain holds other tests'
    # rounds, which this engine may finalize.
    assert by_method.get("eth_blockNumber", 0) == 0, by_method
    assert by_method["eth_getBlockByNumber"] >= 1, by_method  # the head (sends price on it too)
    assert by_method["eth_getLogs"] == 1, by_method  # one ingest read for the one new block
