"""VerdictClient against the real oracle and a real Safe on Anvil."""

from __future__ import annotations

import threading

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from oracle.chain.client import OracleClient, Status
from oracle.chain.deployment import Deployment
from oracle.chain.errors import TxReverted
from oracle.chain.payload import TxRequest, encode_payload
from oracle.chain.rpc import connect
from oracle.explorer import views
from oracle.explorer.indexer import Indexer
from oracle.sdk.client import JudgementState, Verdict, VerdictClient, VerdictTimeout, safe_tx_key
from oracle.sdk.safe_deploy import deploy_safe
from oracle.sdk.safe_tx import Operation
from oracle.sdk.safe_wallet import SafeWallet
from tests.support.no_filter_proxy import NoFilterProxy
from tests.support.sdk_voting import decide, fund, to_fresh_round

LEGAL, FRAUD = 0, 1
RECIPIENT = "0x000000000000000000000000000000000000bEEF"
PINNED = bytes.fromhex("ab" * 32)  # chainfixtures' model hash


@pytest.fixture(scope="module")
def validator(client: OracleClient) -> LocalAccount:
    acct = Account.create()
    fund(client, acct)
    client.stake(client.make_sender(acct), int(client.param("minStake")) * 10)
    return acct


@pytest.fixture
def dapp(client: OracleClient, deployment: Deployment, validator: LocalAccount) -> VerdictClient:
    backend = Account.create()
    fund(client, backend)
    to_fresh_round(client)
    return VerdictClient(client.w3, deployment, backend)


def request(dapp: VerdictClient, memo: str = "invoice 2291 for design work") -> TxRequest:
    return TxRequest(dapp.chain_id, "0x" + "11" * 20, RECIPIENT, 10**18, b"", memo)


def test_submit__returns_the_id__oracle_holds_the_payload_hash(dapp: VerdictClient) -> None:
    tx = request(dapp)
    proposal_id = dapp.submit(tx)

    stored = dapp.oracle.functions.proposal(proposal_id).call()
    assert bytes(stored[1]) == keccak(encode_payload(tx))
    assert dapp.verdict(proposal_id) == Verdict(proposal_id, Status.PENDING, 0)


def test_wait_for_verdict__finalized_while_waiting__returns_it_from_the_event(
    dapp: VerdictClient, client: OracleClient, validator: LocalAccount
) -> None:
    proposal_id = dapp.submit(request(dapp))
    seen: list[Verdict] = []
    waiter = threading.Thread(target=lambda: seen.append(dapp.wait_for_verdict(proposal_id, 60)))
    waiter.start()

    decide(client, validator, proposal_id, FRAUD)
    waiter.join(90)

    assert seen == [Verdict(proposal_id, Status.FINALIZED, FRAUD)]
    assert not seen[0].is_legal


def test_wait_for_verdict__node_without_filters__falls_back_to_reading_the_oracle(
    dapp: VerdictClient, client: OracleClient, deployment: Deployment, validator: LocalAccount
) -> None:
    proposal_id = dapp.submit(request(dapp))
    proxy = NoFilterProxy(client.w3.provider.endpoint_uri)  # type: ignore[attr-defined]
    try:
        reader = VerdictClient(connect(proxy.url), deployment)
        seen: list[Verdict] = []
        waiter = threading.Thread(
            target=lambda: seen.append(reader.wait_for_verdict(proposal_id, 60, poll_s=0.2))
        )
        waiter.start()
        decide(client, validator, proposal_id, LEGAL)
        waiter.join(90)
    finally:
        proxy.close()

    assert proxy.refused == 1
    assert seen == [Verdict(proposal_id, Status.FINALIZED, LEGAL)]


def test_wait_for_verdict__already_final__returns_at_once(
    dapp: VerdictClient, client: OracleClient, validator: LocalAccount
) -> None:
    proposal_id = dapp.submit(request(dapp))
    decide(client, validator, proposal_id, LEGAL)

    assert dapp.wait_for_verdict(proposal_id, 0.0).is_legal


def test_wait_for_verdict__still_pending__raises_timeout_naming_the_status(
    dapp: VerdictClient,
) -> None:
    proposal_id = dapp.submit(request(dapp))

    with pytest.raises(VerdictTimeout, match=f"proposal {proposal_id} .* PENDING") as err:
        dapp.wait_for_verdict(proposal_id, 0.3, poll_s=0.1)
    assert err.value.last.status == Status.PENDING


def test_submit__client_without_account__clear_error(deployment: Deployment, client) -> None:  # type: ignore[no-untyped-def]
    reader = VerdictClient(client.w3, deployment)

    with pytest.raises(ValueError, match="no account"):
        reader.submit(request(reader))


@pytest.fixture
def guarded_safe(
    dapp: VerdictClient, client: OracleClient
) -> tuple[SafeWallet, list[LocalAccount]]:
    """A 2-of-3 Safe whose owners are `dapp`'s account and two fresh keys; guard installed."""
    owners = [dapp._sender.account, Account.create(), Account.create()]  # type: ignore[union-attr]
    deployed = deploy_safe(client.w3, dapp._sender.account, [o.address for o in owners], 2)  # type: ignore[union-attr]
    wallet = SafeWallet(client.w3, deployed.proxy, chain_id=dapp.chain_id)
    fund(client, Account.from_key(owners[0].key))
    client.w3.provider.make_request("anvil_setBalance", [wallet.address, hex(10**20)])  # type: ignore[arg-type]
    sender = client.make_sender(owners[0])
    guard = dapp.guard
    assert guard is not None
    accept = bytes.fromhex(
        guard.functions.setModelAccepted(PINNED, True)._encode_transaction_data()[2:]
    )
    wallet.execute(wallet.transaction(guard.address, 0, accept), owners[:2], sender)
    wallet.execute(
        wallet.transaction(wallet.address, 0, wallet.set_guard_data(guard.address)),
        owners[:2],
        sender,
    )
    return wallet, owners


def test_judge_safe_tx__legal_verdict__safe_executes_once(
    dapp: VerdictClient, client: OracleClient, validator: LocalAccount, guarded_safe
) -> None:  # type: ignore[no-untyped-def]
    wallet, owners = guarded_safe
    judged = dapp.judge_safe_tx(
        wallet.address, RECIPIENT, 10**18, b"", Operation.CALL, "rent for March"
    )
    assert judged.tx_key == safe_tx_key(wallet.address, RECIPIENT, 10**18, b"", Operation.CALL)
    assert judged.state == JudgementState.PENDING
    with pytest.raises(TxReverted) as refused:
        dapp.execute_safe_tx(wallet.address, RECIPIENT, 10**18, b"", Operation.CALL, owners[:2])
    assert refused.value.error == "GuardTransactionNotApproved"

    decide(client, validator, judged.proposal_id, LEGAL)
    assert dapp.wait_for_verdict(judged.proposal_id, 5).is_legal
    assert dapp.safe_judgement(judged.tx_key).state == JudgementState.APPROVED
    before = client.w3.eth.get_balance(RECIPIENT)
    dapp.execute_safe_tx(wallet.address, RECIPIENT, 10**18, b"", Operation.CALL, owners[:2])

    assert client.w3.eth.get_balance(RECIPIENT) == before + 10**18
    assert dapp.safe_judgement(judged.tx_key).state == JudgementState.EXECUTED
    # The explorer's view of the proposal names the Safe and shows it executed.
    indexer = Indexer(client.w3, dapp.deployment)
    indexer.sync()
    shown = views.proposal_summary(indexer, indexer.proposals[judged.proposal_id], 0)
    assert (shown["safe"], shown["safe_executed"]) == (wallet.address, True)
    with pytest.raises(TxReverted) as replay:
        dapp.execute_safe_tx(wallet.address, RECIPIENT, 10**18, b"", Operation.CALL, owners[:2])
    assert replay.value.error == "GuardTransactionNotApproved"


def test_judge_safe_tx__caller_not_an_owner__reverts_with_the_named_error(
    dapp: VerdictClient, client: OracleClient, deployment: Deployment, guarded_safe
) -> None:  # type: ignore[no-untyped-def]
    wallet, _ = guarded_safe
    outsider = Account.create()
    fund(client, outsider)

    with pytest.raises(TxReverted) as err:
        VerdictClient(client.w3, deployment, outsider).judge_safe_tx(
            wallet.address, RECIPIENT, 1, b"", Operation.CALL, "x"
        )
    assert err.value.error == "GuardNotOwnerOrModule"


def _guard_quote(dapp: VerdictClient) -> int:
    """What a submit through `dapp`'s Safe guard costs: the fee and the callback deposit."""
    assert dapp.guard is not None
    return dapp.quote_submit(dapp.guard.address)


def test_judge_safe_tx__default_fee__prepays_the_guards_callback_deposit(
    dapp: VerdictClient, guarded_safe
) -> None:  # type: ignore[no-untyped-def]
    wallet, _ = guarded_safe
    deposit = _guard_quote(dapp) - dapp.proposal_fee()
    assert deposit > 0

    judged = dapp.judge_safe_tx(wallet.address, RECIPIENT, 10**18, b"", Operation.CALL, "rent")

    oracle = dapp.oracle.functions
    assert oracle.proposal(judged.proposal_id).call()[5] == dapp.proposal_fee()
    assert oracle.callbackDepositOf(judged.proposal_id).call()[1] == deposit


def test_judge_safe_tx__fee_without_the_deposit__reverts_naming_the_oracle_error(
    dapp: VerdictClient, guarded_safe
) -> None:  # type: ignore[no-untyped-def]
    wallet, _ = guarded_safe
    needed = _guard_quote(dapp)

    with pytest.raises(TxReverted) as err:
        dapp.judge_safe_tx(
            wallet.address, RECIPIENT, 1, b"", Operation.CALL, "x", fee=dapp.proposal_fee()
        )
    assert err.value.error == "OracleFeeTooLow"
    # The revert carries what to send: OracleFeeTooLow(sent, required).
    assert int.from_bytes(err.value.data[36:68], "big") == needed


def test_quote_submit__plain_account__is_the_proposal_fee(dapp: VerdictClient) -> None:
    assert dapp._sender is not None
    assert dapp.quote_submit(dapp._sender.account.address) == dapp.proposal_fee()
