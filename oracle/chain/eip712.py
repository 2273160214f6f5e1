"""EIP-712 typed data the oracle verifies: relayed commits, signed verdicts, signer consent.

Domain: name "VerdictOracle", version "1", chainId, verifyingContract (docs/protocol.md).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Any

from eth_abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address

from oracle.chain.abi_fields import fields

DOMAIN_NAME = "VerdictOracle"
DOMAIN_VERSION = "1"

_DOMAIN_TYPE = fields(
    "string name", "string version", "uint256 chainId", "address verifyingContract"
)
COMMIT_TYPE = fields("uint64 round", "bytes32 commitment", "address validator")
VERDICT_TYPE = fields(
    "uint256 proposalId",
    "uint64 round",
    "bytes32 payloadHash",
    "bytes32 modelHash",
    "uint8 verdict",
)
SIGNER_ACCEPTANCE_TYPE = fields("address operator", "address signer", "uint256 deadline")


@dataclass(frozen=True)
class Domain:
    chain_id: int
    verifying_contract: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": self.chain_id,
            "verifyingContract": to_checksum_address(self.verifying_contract),
        }

    def separator(self) -> bytes:
        """The contract's DOMAIN_SEPARATOR(), computed locally."""
        type_hash = keccak(
            text="EIP712Domain(string name,string version,uint256 chainId,"
            "address verifyingContract)"
        )
        return keccak(
            encode(
                ["bytes32", "bytes32", "bytes32", "uint256", "address"],
                [
                    type_hash,
                    keccak(text=DOMAIN_NAME),
                    keccak(text=DOMAIN_VERSION),
                    self.chain_id,
                    to_checksum_address(self.verifying_contract),
                ],
            )
        )


def _typed(
    domain: Domain, primary: str, fields: list[dict[str, str]], message: dict[str, Any]
) -> Any:
    return encode_typed_data(
        full_message={
            "types": {"EIP712Domain": _DOMAIN_TYPE, primary: fields},
            "primaryType": primary,
            "domain": domain.as_dict(),
            "message": message,
        }
    )


def commit_message(domain: Domain, *, round_: int, commitment: bytes, validator: str) -> Any:
    return _typed(
        domain,
        "Commit",
        COMMIT_TYPE,
        {"round": round_, "commitment": commitment, "validator": to_checksum_address(validator)},
    )


def sign_commit(
    signer: LocalAccount, domain: Domain, *, round_: int, commitment: bytes, validator: str
) -> bytes:
    """The signer key's signature over Commit(round, commitment, validator) for commitRelayed."""
    msg = commit_message(domain, round_=round_, commitment=commitment, validator=validator)
    return bytes(signer.sign_message(msg).signature)


def recover_commit_signer(
    domain: Domain, *, round_: int, commitment: bytes, validator: str, signature: bytes
) -> str:
    msg = commit_message(domain, round_=round_, commitment=commitment, validator=validator)
    return str(Account.recover_message(msg, signature=signature))


@dataclass(frozen=True)
class Verdict:
    """The EIP-712 `Verdict` a validator signs once it has judged a proposal in a round
    (the contract's `IOracleVoting.Verdict`, field for field)."""

    proposal_id: int
    round: int
    payload_hash: bytes
    model_hash: bytes
    verdict: int

    def message(self) -> dict[str, Any]:
        """The EIP-712 message: VERDICT_TYPE's member names, matched field for field."""
        return {m["name"]: v for m, v in zip(VERDICT_TYPE, astuple(self), strict=True)}

    def as_tuple(self) -> tuple[int, int, bytes, bytes, int]:
        """The ABI tuple the equivocation reports take."""
        return (self.proposal_id, self.round, self.payload_hash, self.model_hash, self.verdict)


def verdict_message(domain: Domain, verdict: Verdict) -> Any:
    return _typed(domain, "Verdict", VERDICT_TYPE, verdict.message())


def sign_verdict(signer: LocalAccount, domain: Domain, verdict: Verdict) -> bytes:
    """The signer key's signature over `verdict`, as the validator serves it on its API."""
    return bytes(signer.sign_message(verdict_message(domain, verdict)).signature)


def recover_verdict_signer(domain: Domain, verdict: Verdict, signature: bytes) -> str:
    """The address that signed `verdict` (a wrong signature yields some other address)."""
    return str(Account.recover_message(verdict_message(domain, verdict), signature=signature))


def sign_signer_acceptance(
    signer: LocalAccount, domain: Domain, *, operator: str, deadline: int
) -> bytes:
    """The signer key's consent to serve `operator` until `deadline` (a chain timestamp).

    `setSigner(signer, deadline, acceptance)` binds a key to an operator for good, so the
    contract takes the binding only with this signature of the key itself.
    """
    msg = _typed(
        domain,
        "SignerAcceptance",
        SIGNER_ACCEPTANCE_TYPE,
        {
            "operator": to_checksum_address(operator),
            "signer": signer.address,
            "deadline": deadline,
        },
    )
    return bytes(signer.sign_message(msg).signature)
