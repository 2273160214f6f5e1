"""Commitments and EIP-712 signatures computed in Python, independently of the contract.

Used by the contract tests (their `sign_commit`/`sign_verdict` fixtures too): these
helpers re-derive, from docs/protocol.md alone, what a validator signs and
commits, so the tests check the contract against the spec rather than against
itself.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak, to_checksum_address

DOMAIN_NAME = "VerdictOracle"
DOMAIN_VERSION = "1"

_DOMAIN_TYPE = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
COMMIT_TYPE = [
    {"name": "round", "type": "uint64"},
    {"name": "commitment", "type": "bytes32"},
    {"name": "validator", "type": "address"},
]
VERDICT_TYPE = [
    {"name": "proposalId", "type": "uint256"},
    {"name": "round", "type": "uint64"},
    {"name": "payloadHash", "type": "bytes32"},
    {"name": "modelHash", "type": "bytes32"},
    {"name": "verdict", "type": "uint8"},
]
SIGNER_ACCEPTANCE_TYPE = [
    {"name": "operator", "type": "address"},
    {"name": "signer", "type": "address"},
    {"name": "deadline", "type": "uint256"},
]


@dataclass(frozen=True)
class Domain:
    """The EIP-712 domain of one deployed oracle on one chain."""

    chain_id: int
    oracle: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": self.chain_id,
            "verifyingContract": to_checksum_address(self.oracle),
        }


def new_salt() -> bytes:
    return secrets.token_bytes(32)


def list_hash(proposal_ids: list[int]) -> bytes:
    """The running hash a round keeps over its ordered proposal ids."""
    h = b"\x00" * 32
    for pid in proposal_ids:
        h = keccak(encode(["bytes32", "uint256"], [h, pid]))
    return h


def commitment(
    domain: Domain,
    round_: int,
    validator: str,
    round_list_hash: bytes,
    verdicts: bytes,
    salt: bytes,
) -> bytes:
    """keccak256(abi.encode(chainid, oracle, round, validator, listHash, keccak(verdicts), salt))"""
    return keccak(
        encode(
            ["uint256", "address", "uint64", "address", "bytes32", "bytes32", "bytes32"],
            [
                domain.chain_id,
                to_checksum_address(domain.oracle),
                round_,
                to_checksum_address(validator),
                round_list_hash,
                keccak(verdicts),
                salt,
            ],
        )
    )


def _sign(domain: Domain, primary: str, fields: list[dict[str, str]], message: dict, key) -> bytes:
    typed = {
        "types": {"EIP712Domain": _DOMAIN_TYPE, primary: fields},
        "primaryType": primary,
        "domain": domain.as_dict(),
        "message": message,
    }
    # An ape test account, a LocalAccount or a raw key.
    private_key = getattr(key, "private_key", None) or getattr(key, "key", key)
    return bytes(Account.sign_message(encode_typed_data(full_message=typed), private_key).signature)


def sign_commit(domain: Domain, round_: int, commitment_: bytes, validator: str, key) -> bytes:
    """The signer's EIP-712 signature over Commit(round, commitment, validator)."""
    message = {
        "round": round_,
        "commitment": commitment_,
        "validator": to_checksum_address(validator),
    }
    return _sign(domain, "Commit", COMMIT_TYPE, message, key)


def sign_verdict(
    domain: Domain,
    proposal_id: int,
    round_: int,
    payload_hash: bytes,
    model_hash: bytes,
    verdict: int,
    key,
) -> bytes:
    """The signer's EIP-712 signature over
    Verdict(proposalId, round, payloadHash, modelHash, verdict)."""
    message = {
        "proposalId": proposal_id,
        "round": round_,
        "payloadHash": bytes(payload_hash),
        "modelHash": bytes(model_hash),
        "verdict": verdict,
    }
    return _sign(domain, "Verdict", VERDICT_TYPE, message, key)


def sign_signer_acceptance(
    domain: Domain, operator: str, signer_key, deadline: int, signer: str | None = None
) -> bytes:
    """The signer key's EIP-712 consent SignerAcceptance(operator, signer, deadline).

    `signer` defaults to the key's own address; another one makes a forgery for attack tests."""
    message = {
        "operator": to_checksum_address(operator),
        "signer": to_checksum_address(signer or signer_key.address),
        "deadline": deadline,
    }
    return _sign(domain, "SignerAcceptance", SIGNER_ACCEPTANCE_TYPE, message, signer_key)
