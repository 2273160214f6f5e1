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


def test_tick__one_new_block_and_no_events__reads_the_head_and_the_logs_only(
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
    # The ingest reads up to the block the pass saw: no eth_blockNumber of its own.
    assert by_method == {"eth_getBlockByNumber": 1, "eth_getLogs": 1}, by_method
