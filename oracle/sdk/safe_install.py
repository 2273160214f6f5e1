"""Installing OracleSafeGuard on an existing Safe: the Safe transactions, in order.

1. `guard.setModelAccepted(modelHash, true)`: the Safe trusts verdicts of the oracle's model;
2. `guard.setControlDelay(seconds)` (optional): calls to the Safe itself (owners, threshold,
   removing the guard) and to the guard must then be announced that long before;
3. `safe.setGuard(guard)`: from now on every `execTransaction` asks the guard.

The settings come first because, once the guard is installed, changing them is itself a
control call that waits for the delay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from oracle.chain.sender import SentTx, TxSender
from oracle.sdk.safe_wallet import SafeWallet


@dataclass(frozen=True)
class SafeCall:
    """One Safe transaction to propose (operation Call, value 0)."""

    what: str
    to: str
    data: bytes


def _call(signature: str, types: list[str], args: list[object]) -> bytes:
    return function_signature_to_4byte_selector(signature) + encode(types, args)


def install_plan(
    safe: str, guard: str, model_hash: bytes, control_delay: int = 0
) -> list[SafeCall]:
    """The Safe transactions that install `guard` on `safe` (see the module docstring)."""
    safe, guard = to_checksum_address(safe), to_checksum_address(guard)
    plan = [
        SafeCall(
            f"accept model 0x{model_hash.hex()}",
            guard,
            _call("setModelAccepted(bytes32,bool)", ["bytes32", "bool"], [model_hash, True]),
        )
    ]
    if control_delay:
        plan.append(
            SafeCall(
                f"control delay {control_delay} s",
                guard,
                _call("setControlDelay(uint64)", ["uint64"], [control_delay]),
            )
        )
    plan.append(
        SafeCall("install the guard", safe, _call("setGuard(address)", ["address"], [guard]))
    )
    return plan


def execute_plan(
    wallet: SafeWallet, plan: Sequence[SafeCall], owners: Sequence[LocalAccount], sender: TxSender
) -> list[SentTx]:
    """Sign each call with `owners` (at least the Safe's threshold) and execute it in order."""
    return [
        wallet.execute(wallet.transaction(call.to, 0, call.data), owners, sender) for call in plan
    ]
