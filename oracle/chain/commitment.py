"""Round commitments and the key-derived salt, computed exactly as the contract does.

The contract checks `reveal(round, validator, verdicts, salt)` against

    keccak256(abi.encode(chainid, oracle, uint64 round, validator,
                         bytes32 roundListHash, keccak256(verdicts), bytes32 salt))

so these functions must agree with its `commitmentFor` view byte for byte
(tests compare them against the deployed contract).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eth_abi import encode
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from oracle.model.labels import ABSTAIN, NUM_CLASSES

ZERO_HASH = b"\x00" * 32


def round_list_hash(proposal_ids: Iterable[int]) -> bytes:
    """The running hash that fixes a round's ordered proposal list.

    Starts at zero; each join does `h = keccak256(abi.encode(h, id))`.
    """
    h = ZERO_HASH
    for pid in proposal_ids:
        h = keccak(encode(["bytes32", "uint256"], [h, pid]))
    return h


def verdicts_bytes(verdicts: Sequence[int]) -> bytes:
    """One byte per proposal of the round, in list order; each a class id < NUM_CLASSES, or
    ABSTAIN."""
    for position, v in enumerate(verdicts):
        if not (0 <= int(v) < NUM_CLASSES or int(v) == ABSTAIN):
            raise ValueError(
                f"verdict {v} at position {position} is not a class id; "
                f"expected 0..{NUM_CLASSES - 1}, or {ABSTAIN} to abstain"
            )
    return bytes(int(v) for v in verdicts)


def commitment(
    *,
    chain_id: int,
    oracle: str,
    round_: int,
    validator: str,
    list_hash: bytes,
    verdicts: bytes,
    salt: bytes,
) -> bytes:
    """The bytes32 a validator commits to for one round (see module docstring)."""
    if len(salt) != 32 or len(list_hash) != 32:
        raise ValueError("salt and list_hash must be 32 bytes each")
    return keccak(
        encode(
            ["uint256", "address", "uint64", "address", "bytes32", "bytes32", "bytes32"],
            [
                chain_id,
                to_checksum_address(oracle),
                round_,
                to_checksum_address(validator),
                list_hash,
                keccak(verdicts),
                salt,
            ],
        )
    )


def salt_message(*, chain_id: int, oracle: str, round_: int) -> bytes:
    """The message whose signature seeds a round's salt:
    abi.encode(chainId, oracle, round, "salt")."""
    return encode(
        ["uint256", "address", "uint64", "string"],
        [chain_id, to_checksum_address(oracle), round_, "salt"],
    )


def derive_salt(signer: LocalAccount, *, chain_id: int, oracle: str, round_: int) -> bytes:
    """salt = keccak256(signature of the signer key over (chainId, oracle, round, "salt")).

    eth-account signs with deterministic RFC 6979 nonces, so the same key always
    yields the same signature and therefore the same salt: a validator that lost
    its database re-derives the salt and still reveals. The message is signed as
    an EIP-191 personal message, so the signature can never double as a
    transaction or EIP-712 signature, and the salt stays secret as long as the key does.
    """
    message = encode_defunct(
        primitive=salt_message(chain_id=chain_id, oracle=oracle, round_=round_)
    )
    signed = signer.sign_message(message)
    return keccak(bytes(signed.signature))


def seal_ballot(
    signer: LocalAccount,
    *,
    chain_id: int,
    oracle: str,
    round_: int,
    validator: str,
    proposal_ids: Sequence[int],
    verdicts: bytes,
) -> tuple[bytes, bytes]:
    """(salt, commitment) for a validator's verdicts on a round's proposal list.

    The one composition every voter uses: the salt derived from the signer key,
    the commitment over the round's list hash. `validator` is the operator address.
    """
    salt = derive_salt(signer, chain_id=chain_id, oracle=oracle, round_=round_)
    sealed = commitment(
        chain_id=chain_id,
        oracle=oracle,
        round_=round_,
        validator=validator,
        list_hash=round_list_hash(proposal_ids),
        verdicts=verdicts,
        salt=salt,
    )
    return salt, sealed
