"""The transaction sender: nonces, replacement of stuck transactions, RPC outages."""

from __future__ import annotations

import threading
import time

import pytest
from hexbytes import HexBytes

from oracle.chain.client import OracleClient
from oracle.chain.errors import ChainError, TxReverted
from oracle.chain.rpc import connect
from oracle.chain.sender import SenderConfig, TxSender
from oracle.chain.tx_pricing import GWEI, FeePolicy
from tests.support.tx_manager_chain import manual_mining, pool_nonces, rpc, spike_base_fee


def _transfer(sender: TxSender, to: str, wei: int = 1) -> str:
    return sender.send(to=to, data=b"", value=wei).tx_hash


def test_send__consecutive_transactions_use_consecutive_nonces(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    sender = client.make_sender(account)
    hashes = [_transfer(sender, account.address) for _ in range(3)]
    nonces = [client.w3.eth.get_transaction(h)["nonce"] for h in hashes]
    assert nonces == [0, 1, 2]


def test_send__nonce_taken_by_another_process__resyncs_and_succeeds(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    sender = client.make_sender(account)
    _transfer(sender, account.address)
    other = client.make_sender(account)  # same key, its own nonce counter: takes nonce 1
    _transfer(other, account.address)
    h = _transfer(sender, account.address)  # tries nonce 1, is told "nonce too low", resyncs
    assert client.w3.eth.get_transaction(h)["nonce"] == 2


def test_send__stuck_transaction__is_replaced_with_higher_fees(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    w3 = client.w3
    sender = client.make_sender(
        account, config=SenderConfig(stuck_after_s=0.3, fees=FeePolicy(bump_factor=1.25))
    )
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    result: dict[str, str] = {}
    try:
        t = threading.Thread(target=lambda: result.update(h=_transfer(sender, account.address)))
        t.start()
        time.sleep(0.15)  # the first attempt is in the pool
        pool = w3.provider.make_request("txpool_content", [])["result"]["pending"]  # type: ignore[arg-type]
        first_tip = int(pool[account.address.lower()]["0"]["maxPriorityFeePerGas"], 16)
        time.sleep(1.0)  # several bumps happen while nothing is mined
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        t.join(10)
    finally:
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
    mined = w3.eth.get_transaction(result["h"])
    assert mined["nonce"] == 0
    assert mined["maxPriorityFeePerGas"] > first_tip, (
        "the mined transaction is not a bumped replacement"
    )
    assert w3.eth.get_transaction_count(account.address) == 1  # one transaction, not two


def test_send__stuck_below_a_base_fee_above_the_cap__never_offers_more_than_the_cap(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    """The blocking sender (operator commands, equivocation reports) bumped without a cap:
    the validator's max_fee_per_gas_gwei held only for its transaction manager."""
    w3 = client.w3
    cap = FeePolicy(max_fee_per_gas_gwei=5)
    sender = client.make_sender(
        account, config=SenderConfig(stuck_after_s=0.2, give_up_after_s=2.0, fees=cap)
    )
    with manual_mining(w3):
        spike_base_fee(w3, 50 * GWEI)
        rpc(w3, "evm_mine")  # the head's base fee is 10 x the cap: the node refuses each
        with pytest.raises(ChainError) as err:
            _transfer(sender, account.address)  # bumps up to the cap, then says so
        pooled = pool_nonces(w3, account.address)
    assert "fee cap of 5 gwei" in str(err.value) and "max_fee_per_gas_gwei" in str(err.value)
    assert all(int(tx["maxFeePerGas"], 16) <= cap.cap_wei for tx in pooled.values())


def test_send__endpoint_down_for_a_while__backs_off_and_succeeds(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    from tests.support.rpc_proxy import RpcProxy

    proxy = RpcProxy(str(client.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    errors: list[BaseException] = []
    try:
        w3 = connect(proxy.url, timeout_s=2)
        from oracle.chain.client import OracleClient as Client

        c = Client(w3, client.deployment, on_rpc_error=errors.append)
        sender = c.make_sender(account)
        proxy.down()
        threading.Timer(1.0, proxy.up).start()
        h = _transfer(sender, account.address)
    finally:
        proxy.close()
    assert client.w3.eth.get_transaction_receipt(h)["status"] == 1
    assert errors, "the outage was not reported"


def test_send__mined_and_reverted__raises_the_replayed_custom_error(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    sender = client.make_sender(account)
    # An explicit gas limit skips the estimate, so the revert happens on chain.
    with pytest.raises(TxReverted) as err:
        sender.send_call(client.fn("claim"), gas=100_000)
    assert err.value.error == "OracleNothingToClaim"
    assert "reverted on chain" in str(err.value) and "OracleNothingToClaim" in str(err.value)
    assert err.value.tx_hash is not None


def test_gas_limit__unstake_estimated_in_the_stake_s_second__covers_it_mined_seconds_later(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    # The CI flake of `oracle unstake` right after `oracle stake`: the estimate updated the
    # stake checkpoints in place, the block pushed new ones, and the limit ran out of gas.
    sender = client.make_sender(account)
    client.stake(sender, 2 * 10**18)
    staked_at = int(client.w3.eth.get_block("latest")["timestamp"])
    fn = client.fn("requestUnstake", 2 * 10**18)
    data = HexBytes(fn._encode_transaction_data())
    limit = sender.gas_limit(to=fn.address, data=bytes(data))
    w3 = client.w3
    signed = account.sign_transaction(
        {
            "to": fn.address,
            "data": data,
            "gas": limit,
            "nonce": w3.eth.get_transaction_count(account.address),
            "chainId": w3.eth.chain_id,
            "maxFeePerGas": 100 * 10**9,
            "maxPriorityFeePerGas": 10**9,
        }
    )
    with manual_mining(w3):
        tx_hash = w3.eth.send_raw_transaction(signed.raw_transaction)
        rpc(w3, "evm_mine", staked_at + 5)
    receipt = w3.eth.get_transaction_receipt(tx_hash)
    assert receipt["status"] == 1, f"out of gas: used {receipt['gasUsed']} of {limit}"
