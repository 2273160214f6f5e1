"""The demo's treasury scenario through a real Safe 1.4.1 guarded by OracleSafeGuard.

A 2-of-3 Safe (owners: the deployer and two keys that only sign) accepts the demo's
model hash and installs the guard; an owner asks the guard to judge each transfer,
the validators decide, and then every transfer is signed by two owners (EIP-712
`SafeTx`) and sent to `execTransaction`: the guard lets through only what was judged
legal and refuses the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from oracle.chain.deployment import Deployment
from oracle.demo.scenario import TreasuryTransfer
from oracle.demo.submissions import (
    Submission,
    TransferOutcome,
    error_name,
    judged,
    submission_from,
)
from oracle.demo.wallet import DemoTxError, Wallet
from oracle.sdk.safe_deploy import deploy_safe
from oracle.sdk.safe_tx import SafeTx, sign_safe_tx
from oracle.sdk.safe_wallet import SafeWallet

SAFE_FUNDING_WEI = 10 * 10**18
THRESHOLD = 2


@dataclass
class DemoSafe:
    wallet: SafeWallet
    guard: Any
    owners: list[LocalAccount]


def set_up_safe(
    w3: Web3, deployment: Deployment, payer: Wallet, signers: list[LocalAccount], model_hash: str
) -> DemoSafe:
    """A Safe owned by `payer` and `signers`: funded, model accepted, guard installed."""
    owners = [payer.account, *signers]
    deployed = deploy_safe(w3, payer.account, [o.address for o in owners], THRESHOLD)
    wallet = SafeWallet(w3, deployed.proxy, chain_id=int(w3.eth.chain_id))
    guard = w3.eth.contract(
        address=Web3.to_checksum_address(deployment.address("OracleSafeGuard")),
        abi=deployment.abi("OracleSafeGuard"),
    )
    safe = DemoSafe(wallet, guard, owners)
    payer.transfer(wallet.address, SAFE_FUNDING_WEI, what="funding the Safe")
    accept = guard.functions.setModelAccepted(bytes.fromhex(model_hash.removeprefix("0x")), True)
    execute(safe, payer, wallet.transaction(guard.address, 0, _data(accept)), "accept the model")
    install = wallet.transaction(wallet.address, 0, wallet.set_guard_data(guard.address))
    execute(safe, payer, install, "Safe.setGuard")
    return safe


def judge_via_safe(
    oracle: Any, safe: DemoSafe, owner: Wallet, transfers: list[TreasuryTransfer]
) -> list[Submission]:
    """An owner asks the guard to judge each transfer of the Safe."""
    # The guard is called back, so it prepays the callback's gas on top of the fee.
    fee = int(oracle.functions.quoteSubmit(safe.guard.address).call())
    calls = [
        (
            safe.guard.functions.judge(
                safe.wallet.address, Web3.to_checksum_address(t.to), t.amount_wei, b"", 0, t.memo
            ),
            fee,
            f"guard.judge({t.memo!r})",
        )
        for t in transfers
    ]
    requested = safe.guard.events.JudgementRequested
    return [
        submission_from(r, requested, "proposalId", "safe", t.expected, "Safe transfer", t)
        for t, r in zip(transfers, owner.send_all(calls), strict=True)
    ]


def settle_safe(
    oracle: Any, safe: DemoSafe, owner: Wallet, submissions: list[Submission]
) -> list[TransferOutcome]:
    """Two owners sign every transfer; the guard decides which ones the Safe executes."""
    outcomes = []
    for sub in submissions:
        transfer = sub.transfer
        assert transfer is not None
        label, _legal = judged(oracle, sub.proposal_id)  # the guard, not the demo, decides
        tx = safe.wallet.transaction(Web3.to_checksum_address(transfer.to), transfer.amount_wei)
        call = _exec_call(safe, tx)
        try:
            call.call({"from": owner.address})
        except Exception as exc:  # the guard's revert: record its custom error's name
            refused = "by the guard: " + error_name(exc, safe.guard)
            outcomes.append(TransferOutcome(sub, label, False, refused, None))
            continue
        receipt = owner.send(call, what=f"Safe.execTransaction (proposal {sub.proposal_id})")
        outcomes.append(TransferOutcome(sub, label, True, "executed", int(receipt["gasUsed"])))
    return outcomes


def execute(safe: DemoSafe, payer: Wallet, tx: SafeTx, what: str) -> Any:
    try:
        return payer.send(_exec_call(safe, tx), what=what)
    except DemoTxError as exc:
        raise DemoTxError(f"Safe transaction {what}: {exc}") from None


def _exec_call(safe: DemoSafe, tx: SafeTx) -> Any:
    signatures = sign_safe_tx(
        safe.wallet.address, safe.wallet.chain_id, tx, safe.owners[:THRESHOLD]
    )
    return safe.wallet.contract.functions.execTransaction(*tx.exec_args(signatures))


def _data(call: Any) -> bytes:
    return bytes.fromhex(call._encode_transaction_data()[2:])
