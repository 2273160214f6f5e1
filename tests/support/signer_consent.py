"""Binding a signer key the way an operator does: the key signs its acceptance first.

`setSigner(signer, deadline, acceptance)` takes a binding only with the key's EIP-712
SignerAcceptance (tests/support/vote_signing.py re-derives it from docs/protocol.md).
"""

from __future__ import annotations

from typing import Any

from tests.support.vote_signing import Domain, sign_signer_acceptance

# Chain seconds an acceptance stays valid in the tests (far beyond any test's time travel).
VALID_FOR_S = 10**6


def acceptance(
    oracle: Any, operator: Any, key: Any, deadline: int | None = None
) -> tuple[int, bytes]:
    """(deadline, signature) of `key` consenting to serve `operator` on `oracle`."""
    from ape import chain

    if deadline is None:
        deadline = chain.pending_timestamp + VALID_FOR_S
    address = getattr(operator, "address", operator)
    return deadline, sign_signer_acceptance(
        Domain(chain.chain_id, oracle.address), address, key, deadline
    )


def set_signer(oracle: Any, operator: Any, key: Any) -> Any:
    """`operator` names `key` as its signer, with the key's acceptance; the receipt."""
    deadline, signature = acceptance(oracle, operator, key)
    return oracle.setSigner(key.address, deadline, signature, sender=operator)
