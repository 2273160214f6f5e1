"""The transaction manager on a real Anvil, blocks mined by hand: non-blocking submits, outcomes,
re-pricing, the fee cap, dropped transactions, nonce gaps after a crash, deadline pricing and
what it costs in RPC requests per block."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.client import OracleClient
from oracle.chain.errors import TxReverted
from oracle.chain.rpc import connect
from oracle.chain.tx_attempts import Attempt, AttemptState, MemoryAttemptStore
from oracle.chain.tx_manager import TxManager
from oracle.chain.tx_pricing import GWEI, FeePolicy, Priority
from oracle.validator.store import Store
from tests.support.rpc_proxy import RpcProxy
from tests.support.tx_manager_chain import manual_mining, mine, pool_nonces, rpc, spike_base_fee


def _manager(client: OracleClient, account, store=None, **policy) -> tuple[TxManager, list[str]]:  # type: ignore[no-untyped-def]
    events: list[str] = []
    manager = TxManager(
        client.make_sender(account),
        store if store is not None else MemoryAttemptStore(),
        policy=FeePolicy(**{"bump_after_blocks": 2, **policy}),
        on_event=events.append,
    )
    return manager, events


@contextmanager
def _mining_by_hand(
    client: OracleClient, account, **policy
) -> Iterator[tuple[TxManager, list[str], Web3]]:  # type: ignore[no-untyped-def]
    """A fresh manager (`_manager`) on a chain that mines only when the test calls `mine`:
    (the manager, its events, the chain)."""
    manager, events = _manager(client, account, **policy)
    with manual_mining(client.w3):
        yield manager, events, client.w3


def _transfer(manager: TxManager, intent: str, **kw) -> Attempt:  # type: ignore[no-untyped-def]
    return manager.submit(intent, to=manager.address, value=1, **kw)


def test_submit__returns_before_mining__next_block_reports_mined(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    manager, _ = _manager(client, account)
    seen: list[Attempt] = []
    with manual_mining(client.w3):
        sent = _transfer(manager, "t", on_result=seen.append)
        assert manager.in_flight("t") == [sent] and not seen  # returned with nothing mined
        mine(client.w3, manager)
    assert [a.state for a in seen] == [AttemptState.MINED]
    assert manager.result("t") == seen[0] and seen[0].mined_hash == sent.tx_hash
    assert manager.in_flight() == []


def test_submit__same_intent_in_flight__is_not_sent_again(client: OracleClient, account) -> None:  # type: ignore[no-untyped-def]
    manager, _ = _manager(client, account)
    with manual_mining(client.w3):
        first = _transfer(manager, "settle:1")
        again = _transfer(manager, "settle:1")
        assert again == first
        assert list(pool_nonces(client.w3, account.address)) == [0]


def test_submit__call_that_would_revert__raises_decoded_at_once(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    manager, _ = _manager(client, account)
    with pytest.raises(TxReverted) as err:
        manager.submit("claim", client.fn("claim"))
    assert err.value.error == "OracleNothingToClaim"
    assert manager.sender.nonces.peek() in (None, 0)  # no nonce used up


def test_on_block__mined_revert__reports_reverted_with_decoded_error(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    manager, _ = _manager(client, account)
    with manual_mining(client.w3):
        manager.submit("claim", client.fn("claim"), gas=100_000)  # no estimate: it mines
        mine(client.w3, manager)
    result = manager.result("claim")
    assert result is not None and result.state is AttemptState.REVERTED
    assert result.error == "OracleNothingToClaim"


def test_on_block__stuck_below_a_fee_spike__is_repriced_and_mines(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account) as (manager, events, w3):
        sent = _transfer(manager, "t")
        spike_base_fee(w3, 10 * sent.fees.max_fee)  # the next blocks leave it out
        mine(w3, manager, blocks=3)  # seen, then 2 blocks without it
        assert manager.in_flight("t") and "bump" in events
        mine(w3, manager)
    result = manager.result("t")
    assert result is not None and result.state is AttemptState.MINED
    assert result.mined_hash != sent.hashes[0] and len(result.hashes) >= 2
    assert w3.eth.get_transaction_count(account.address) == 1  # one transaction, replaced


def test_on_block__bump_above_the_fee_cap__is_not_made_and_said_once(
    client: OracleClient, account, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING, logger="oracle.chain.tx_manager")
    with _mining_by_hand(client, account, max_fee_per_gas_gwei=20) as (manager, events, w3):
        sent = _transfer(manager, "t")
        spike_base_fee(w3, 100 * GWEI)
        mine(w3, manager, blocks=6)
        pooled = pool_nonces(w3, account.address)
        assert manager.in_flight("t"), "mined although the base fee is above its cap"
    assert all(int(tx["maxFeePerGas"], 16) <= 20 * GWEI for tx in pooled.values())
    assert sent.fees.max_fee <= 20 * GWEI
    assert events.count("fee_cap") == 1
    assert len([r for r in caplog.records if "fee cap" in r.getMessage()]) == 1


def test_oldest_pending_blocks__counts_from_the_first_send_through_bumps__zero_once_mined(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account, max_fee_per_gas_gwei=20) as (manager, _, w3):
        mine(w3, manager)  # the manager has seen a block: the attempt's first one
        assert manager.oldest_pending_blocks() == 0  # nothing in flight
        sent = _transfer(manager, "t")
        spike_base_fee(w3, 100 * GWEI)  # above its cap: it cannot mine
        mine(w3, manager, blocks=4)  # re-priced on the way (bump_after_blocks=2)
        assert manager.oldest_pending_blocks() == 4
        spike_base_fee(w3, sent.fees.max_fee // 2)  # affordable again
        for _ in range(8):  # Anvil may have dropped it meanwhile: the manager re-sends it
            mine(w3, manager)
            if manager.result("t") is not None:
                break
        assert manager.result("t") is not None  # mined
        assert manager.oldest_pending_blocks() == 0


def test_oldest_pending_blocks__sent_before_any_block_was_seen__counts_from_the_first_seen(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account, max_fee_per_gas_gwei=20) as (manager, _, w3):
        _transfer(manager, "t")  # the manager has seen no block yet
        spike_base_fee(w3, 100 * GWEI)  # above its cap: it cannot mine
        mine(w3, manager, blocks=3)
        assert manager.oldest_pending_blocks() == 2  # counted from the first block seen


def test_on_block__at_the_fee_cap_and_dropped_by_the_node__same_bytes_sent_again(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account, max_fee_per_gas_gwei=20) as (manager, events, w3):
        mine(w3, manager)  # a block seen: the bump counts from the send
        _transfer(manager, "t")
        spike_base_fee(w3, 100 * GWEI)
        mine(w3, manager, blocks=2)  # bumped to the cap
        [capped] = manager.in_flight("t")
        assert capped.fees.max_fee == 20 * GWEI and events == ["bump"]
        rpc(w3, "anvil_dropTransaction", capped.tx_hash)
        spike_base_fee(w3, GWEI)  # it could mine now, if a node still had it
        mine(w3, manager, blocks=2)  # no bump possible: the capped bytes are broadcast again
        assert pool_nonces(w3, account.address)[capped.nonce]["hash"] == capped.tx_hash
        mine(w3, manager, blocks=2)
    mined = manager.result("t")
    assert mined is not None and mined.state is AttemptState.MINED
    assert mined.mined_hash == capped.tx_hash


def test_on_block__dropped_by_the_node__is_sent_again_and_mines(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account) as (manager, _, w3):
        sent = _transfer(manager, "t")
        rpc(w3, "anvil_dropTransaction", sent.tx_hash)
        assert pool_nonces(w3, account.address) == {}
        mine(w3, manager, blocks=3)  # empty blocks, then the re-send
        mine(w3, manager)
    result = manager.result("t")
    assert result is not None and result.state is AttemptState.MINED


def test_restart__attempt_in_flight__is_known_and_not_sent_again(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "v.db"
    w3 = client.w3
    with manual_mining(w3):
        before, _ = _manager(client, account, Store(db))
        sent = _transfer(before, "settle:7")
        del before  # kill -9: nothing of the process is left but the database
        after, _ = _manager(client, account, Store(db))
        again = _transfer(after, "settle:7")
        assert again.tx_hash == sent.tx_hash and again.nonce == sent.nonce
        other = _transfer(after, "claim")
        assert other.nonce == sent.nonce + 1  # after the one in flight, not over it
        mine(w3, after)
    assert {after.result(i).state for i in ("settle:7", "claim")} == {AttemptState.MINED}  # type: ignore[union-attr]
    assert Store(db).live_attempts(after.address) == []


def test_restart__nonce_lost_in_a_crash__gap_is_filled_and_later_nonces_mine(
    client: OracleClient, account, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    w3 = client.w3
    store = Store(tmp_path / "v.db")
    with manual_mining(w3):
        crashed, _ = _manager(client, account, MemoryAttemptStore())
        lost = _transfer(crashed, "claim")  # nonce 0: its record dies with the process
        kept = _transfer(crashed, "settle:3")  # nonce 1: its record survives
        store.save_attempt(kept)
        rpc(w3, "anvil_dropTransaction", lost.tx_hash)  # and the node forgot nonce 0
        restarted, events = _manager(client, account, store)
        mine(w3, restarted, blocks=3)  # nonce 0 holds nonce 1 back: filled
        mine(w3, restarted, blocks=2)
    assert "gap_fill" in events
    assert w3.eth.get_transaction_count(account.address) == 2
    result = restarted.result("settle:3")
    assert result is not None and result.state is AttemptState.MINED
    filled = restarted.result("nonce-filler:0")
    assert filled is not None and filled.state is AttemptState.MINED
    filler = w3.eth.get_transaction(filled.tx_hash)
    assert (filler["nonce"], filler["to"], filler["value"]) == (0, account.address, 0)


def test_deadline__reveal_near_its_deadline__lifts_the_claim_ahead_of_it(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account, bump_after_blocks=100) as (manager, _, w3):
        claim = _transfer(manager, "claim", priority=Priority.ROUTINE)
        spike_base_fee(w3, 2 * claim.fees.max_fee)  # the claim alone no longer lands
        mine(w3, manager)
        assert manager.in_flight("claim")
        now = int(w3.eth.get_block("latest")["timestamp"])
        reveal = _transfer(manager, "reveal:5", priority=Priority.DEADLINE, deadline=now + 2)
        assert reveal.fees.tip > claim.fees.tip  # urgency: two blocks from its deadline
        mine(w3, manager)
    assert manager.result("claim").state is AttemptState.MINED  # type: ignore[union-attr]
    assert manager.result("reveal:5").state is AttemptState.MINED  # type: ignore[union-attr]


def test_on_block__steady_state__costs_a_handful_of_requests_per_block(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    proxy = RpcProxy(str(client.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    try:
        w3 = connect(proxy.url)
        manager, _ = _manager(OracleClient(w3, client.deployment), account)
        with manual_mining(client.w3):
            _transfer(manager, "warm-up")
            mine(client.w3, manager)
            idle = proxy.total_requests()
            for _ in range(5):
                mine(client.w3, manager)  # nothing in flight
            assert proxy.total_requests() == idle, "an idle block cost requests"
            per_block = []
            for i in range(5):
                _transfer(manager, f"t{i}")
                before = proxy.total_requests()
                mine(client.w3, manager)
                per_block.append(proxy.total_requests() - before)
    finally:
        proxy.close()
    assert max(per_block) <= 3, per_block  # latest nonce + one receipt (+ slack)


def test_submit_and_deadline_repricing__on_a_seen_head__read_no_block_and_the_tip_rarely(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    """Every submit and every deadline re-price read the pending block and the suggested
    tip: two requests per attempt per block, a third of a validator's in the soak."""
    proxy = RpcProxy(str(client.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    try:
        manager, _ = _manager(OracleClient(connect(proxy.url), client.deployment), account)
        with manual_mining(client.w3):
            mine(client.w3, manager, blocks=2)  # heads seen, with their base fees
            blocks = 6
            for i in range(blocks):
                now = int(client.w3.eth.get_block("latest")["timestamp"])
                for kind in ("commit", "reveal"):  # urgent: re-priced every block it waits
                    _transfer(manager, f"{kind}:{i}", priority=Priority.DEADLINE, deadline=now + 3)
                mine(client.w3, manager)
            assert not manager.in_flight()
    finally:
        proxy.close()
    assert proxy.requests["eth_getBlockByNumber"] == 0, proxy.requests
    # The suggestion is refreshed every bump_after_blocks (2) blocks, not per attempt.
    assert proxy.requests["eth_maxPriorityFeePerGas"] <= blocks // 2 + 1, proxy.requests


def test_on_block__fee_spike_seen_in_the_head__next_submit_priced_above_it(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account) as (manager, _, w3):
        mine(w3, manager)
        spike_base_fee(w3, 50 * GWEI)
        mine(w3, manager)  # the head the manager saw carries the spike
        sent = _transfer(manager, "t")
        mine(w3, manager)
    assert sent.fees.max_fee >= 2 * 50 * GWEI
    assert manager.result("t").state is AttemptState.MINED  # type: ignore[union-attr]


def test_on_block__nonce_used_by_another_process__replaced_and_next_send_goes_after(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account) as (manager, _, w3):
        ours = _transfer(manager, "t")
        for nonce in range(3):  # a twin with the same key: nonce 0 outbid, then 1 and 2
            fees = {
                "maxFeePerGas": 4 * ours.fees.max_fee,
                "maxPriorityFeePerGas": 4 * ours.fees.tip,
            }
            tx = {
                "to": account.address,
                "value": 0,
                "gas": 21_000,
                "nonce": nonce,
                "chainId": client.chain_id,
            }
            w3.eth.send_raw_transaction(account.sign_transaction({**tx, **fees}).raw_transaction)
        mine(w3, manager)
        result = manager.result("t")
        assert result is not None and result.state is AttemptState.REPLACED
        assert _transfer(manager, "u").nonce == 3


def test_on_block__pending_near_its_deadline__is_repriced_block_by_block(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    # no plain bump: urgency only
    with _mining_by_hand(client, account, bump_after_blocks=100) as (manager, _, w3):
        mine(w3, manager, blocks=2)  # the manager has seen the block interval
        now = int(w3.eth.get_block("latest")["timestamp"])
        reveal = _transfer(manager, "reveal:9", priority=Priority.DEADLINE, deadline=now + 4)
        spike_base_fee(w3, 2 * reveal.fees.max_fee)  # not mined at its first price
        mine(w3, manager)  # three blocks left: re-priced at once, no waiting for a bump
        [pooled] = pool_nonces(w3, account.address).values()
        assert int(pooled["maxPriorityFeePerGas"], 16) > reveal.fees.tip
        mine(w3, manager)
    result = manager.result("reveal:9")
    assert result is not None and result.state is AttemptState.MINED and len(result.hashes) == 2


def test_on_block__every_block_a_transaction__tip_does_not_ratchet_up(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    """Nodes suggest the tips recent blocks paid: pricing above the suggestion when nothing
    is late would come back as the next suggestion, and compound up to the cap."""
    with _mining_by_hand(client, account) as (manager, _, w3):
        mine(w3, manager)
        tips = []
        for i in range(8):
            now = int(w3.eth.get_block("latest")["timestamp"])
            tips.append(
                _transfer(
                    manager, f"commit:{i}", priority=Priority.DEADLINE, deadline=now + 60
                ).fees.tip
            )
            mine(w3, manager)
    assert tips[-1] <= tips[0], tips


def test_submit__node_unreachable_as_it_sends__kept_and_sent_on_the_next_block(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    proxy = RpcProxy(str(client.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    try:
        manager, _ = _manager(
            OracleClient(connect(proxy.url, timeout_s=2), client.deployment), account
        )
        with manual_mining(client.w3):
            proxy.refused_methods = {"eth_sendRawTransaction"}
            sent = _transfer(manager, "settle:4")  # no exception: signed, stored, not sent
            assert manager.in_flight("settle:4") and pool_nonces(client.w3, account.address) == {}
            proxy.refused_methods = set()
            mine(client.w3, manager)  # sent again, same bytes
            assert pool_nonces(client.w3, account.address)[sent.nonce]["hash"] == sent.tx_hash
            mine(client.w3, manager)
    finally:
        proxy.close()
    assert manager.result("settle:4").state is AttemptState.MINED  # type: ignore[union-attr]


def test_on_block__replacement_refused__the_earlier_one_stays_in_flight(
    client: OracleClient, account
) -> None:  # type: ignore[no-untyped-def]
    with _mining_by_hand(client, account) as (manager, _, w3):
        sent = _transfer(manager, "t")
        # exactly what the first price can cost: any higher price is unaffordable, whatever
        # base fee the tests before this one left on the shared chain
        rpc(w3, "anvil_setBalance", account.address, hex(sent.gas * sent.fees.max_fee + sent.value))
        spike_base_fee(w3, 10 * sent.fees.max_fee)
        mine(w3, manager, blocks=3)  # the bump is refused (insufficient funds): no exception
        [still] = manager.in_flight("t")
        assert still.hashes == sent.hashes  # the refused signature is not among its hashes
