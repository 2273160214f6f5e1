"""Which held model judges a proposal: the one its `modelHash` pins, or none (abstain).

Each proposal records the oracle's `modelHash` at submission and keeps it when it rolls to
a later round, even after `setModelHash` (docs/protocol.md, "Pinned models"). A validator
may hold several models at once (`model_dirs`), so the pin can move without a missed round.
The first held model is the default: it judges proposals pinned to the zero hash (a
deployment that pins nothing), as a validator with one model always did.
"""

from __future__ import annotations

from collections.abc import Sequence

ZERO_MODEL_HASH = bytes(32)


def model_hash_hex(pinned: bytes) -> str:
    """The "0x" + 64 hex form the pipelines report (`VerdictPipeline.model_hash`)."""
    return "0x" + bytes(pinned).hex()


def choose_model(pinned: bytes, held: Sequence[str]) -> int | None:
    """Index in `held` (model hashes, "0x" + hex, default first) of the model that judges a
    proposal pinned to `pinned`; None when no held model is the pinned one: abstain."""
    if not held:
        return None
    if bytes(pinned) == ZERO_MODEL_HASH:
        return 0
    wanted = model_hash_hex(pinned)
    for index, held_hash in enumerate(held):
        if held_hash.lower() == wanted:
            return index
    return None


def abstain_reason(pinned: bytes) -> str:
    """What a validator records for a proposal it abstains on."""
    return f"pinned model {model_hash_hex(pinned)} is not held; abstaining"
