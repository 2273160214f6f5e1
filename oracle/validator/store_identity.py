"""What deployment and operator a store belongs to, and the refusal when it is another one.

A store's payloads, verdicts and ballots only mean something for one oracle deployment
and one operator. Reusing `db_path` against a redeployed oracle on the same chain (or for
another operator) would judge and vote on the old deployment's rows. So the first start
writes the identity into the store and every later start compares it field by field.

The deployment block's hash is part of it: a local chain restarted from scratch and
redeployed by the same deployer gives the same chain id, oracle address and often the
same block number, but never the same block hash.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

from oracle.validator.store_schema import StoreError


@dataclass(frozen=True)
class StoreIdentity:
    chain_id: int
    oracle: str
    deployed_block: int
    deployed_block_hash: str
    operator: str

    def as_meta(self) -> dict[str, str]:
        return {
            f"identity:{f.name}": str(v) for f, v in zip(fields(self), astuple(self), strict=True)
        }

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> StoreIdentity | None:
        keys = [f"identity:{f.name}" for f in fields(cls)]
        if not any(k in meta for k in keys):
            return None
        missing = [k for k in keys if k not in meta]
        if missing:
            raise StoreError(f"store identity is incomplete (lacks {missing}); set db_path anew")
        return cls(
            chain_id=int(meta["identity:chain_id"]),
            oracle=meta["identity:oracle"],
            deployed_block=int(meta["identity:deployed_block"]),
            deployed_block_hash=meta["identity:deployed_block_hash"],
            operator=meta["identity:operator"],
        )


class StoreIdentityMismatch(StoreError):
    """The store was written for another deployment or operator."""

    def __init__(self, path: object, stored: StoreIdentity, wanted: StoreIdentity) -> None:
        diffs = [
            f"{f.name} {getattr(stored, f.name)} in the store, {getattr(wanted, f.name)} now"
            for f in fields(StoreIdentity)
            if _norm(getattr(stored, f.name)) != _norm(getattr(wanted, f.name))
        ]
        super().__init__(
            f"store {path} belongs to another deployment or operator ({'; '.join(diffs)}); "
            "refusing to judge or vote from it: set db_path to a new file for this deployment "
            "(keep the old file while its own ballots may still need revealing or settling)"
        )
        self.stored = stored
        self.wanted = wanted


class StoreHoldsOtherPayloads(StoreError):
    """A store from before identities existed holds a proposal the chain does not have."""

    def __init__(self, path: object, proposal_id: int, stored_hash: str, chain_hash: str) -> None:
        super().__init__(
            f"store {path} has no recorded deployment and its proposal {proposal_id} has "
            f"payload hash {stored_hash}, but the chain has {chain_hash}: it was written for "
            "another deployment; set db_path to a new file for this deployment"
        )


def same_identity(a: StoreIdentity, b: StoreIdentity) -> bool:
    return all(_norm(x) == _norm(y) for x, y in zip(astuple(a), astuple(b), strict=True))


def _norm(v: object) -> object:
    # Addresses and hashes compare case-insensitively (checksum casing is presentation).
    return v.lower() if isinstance(v, str) else v
