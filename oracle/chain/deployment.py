"""The deployment file `ape run deploy` writes, and the ABIs it points to.

Shape: `{chain_id, rpc_url, deployed_block, deployer, contracts: {Name: address},
parameters: {...}, abi: {Name: "deployments/abi/Name.json"}}`. ABI paths are
resolved against the deployment file's folder, its parent (the project root
when the file sits in `deployments/`), then the working directory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class DeploymentError(ValueError):
    """The deployment file is missing, unreadable or lacks something the validator needs."""


@dataclass(frozen=True)
class Deployment:
    path: Path
    chain_id: int
    rpc_url: str
    deployed_block: int
    contracts: dict[str, str]
    parameters: dict[str, Any] = field(default_factory=dict)
    abis: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def oracle_address(self) -> str:
        return self.address("VerdictOracle")

    def address(self, name: str) -> str:
        try:
            return self.contracts[name]
        except KeyError:
            raise DeploymentError(
                f"{self.path}: no contract {name!r} in 'contracts' (has {sorted(self.contracts)}); "
                "redeploy with `ape run deploy`"
            ) from None

    def abi(self, name: str) -> list[dict[str, Any]]:
        try:
            return self.abis[name]
        except KeyError:
            raise DeploymentError(
                f"{self.path}: no ABI for {name!r} (has {sorted(self.abis)}); "
                "redeploy with `ape run deploy`"
            ) from None

    @classmethod
    def load(cls, path: str | Path) -> Deployment:
        p = Path(path)
        if not p.is_file():
            raise DeploymentError(
                f"deployment file {p} does not exist; run `ape run deploy` (or `make deploy`) first"
            )
        try:
            raw = json.loads(p.read_text())
        except json.JSONDecodeError as e:
            raise DeploymentError(f"deployment file {p} is not valid JSON: {e}") from e
        missing = [k for k in ("chain_id", "contracts") if k not in raw]
        if missing:
            raise DeploymentError(
                f"deployment file {p} lacks {missing}; redeploy with `ape run deploy`"
            )
        abis = {name: _load_abi(p, ref) for name, ref in (raw.get("abi") or {}).items()}
        return cls(
            path=p,
            chain_id=int(raw["chain_id"]),
            rpc_url=str(raw.get("rpc_url", "")),
            deployed_block=int(raw.get("deployed_block", 0)),
            contracts=dict(raw["contracts"]),
            parameters=dict(raw.get("parameters") or {}),
            abis=abis,
        )


def _load_abi(deployment_path: Path, ref: Any) -> list[dict[str, Any]]:
    """An ABI inline (a list) or a path to a JSON file (a list, or an object with 'abi')."""
    if isinstance(ref, list):
        return ref
    candidates = [
        deployment_path.parent / ref,
        deployment_path.parent.parent / ref,
        Path.cwd() / ref,
    ]
    for c in candidates:
        if c.is_file():
            data = json.loads(c.read_text())
            if isinstance(data, dict) and "abi" in data:
                data = data["abi"]
            if not isinstance(data, list):
                raise DeploymentError(f"ABI file {c} holds neither a list nor an object with 'abi'")
            return data
    raise DeploymentError(
        f"ABI file {ref!r} named in {deployment_path} not found (looked in "
        f"{', '.join(str(c.parent) for c in candidates)})"
    )
