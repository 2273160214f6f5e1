"""The contracts' builds: the EVM version of each, its artifacts, which one a chain can run.

One source tree, two builds. `prague` is the default (`ape compile`, settings in
`ape-config.yaml`). `shanghai` is for chains without Cancun's opcodes (Ganache 7):
the same sources with `evmVersion: shanghai` and the import `reentrancy-guard/`
mapped to the storage-slot guard instead of the transient one
(`make compile-shanghai`, which runs `tools/compile_build.py`). A deployer picks the
build a chain can run with `build_for(w3)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

# The one import prefix whose target differs per build (contracts/ValidatorStaking.sol).
GUARD_IMPORT_PREFIX = "reentrancy-guard"
GUARD_FOLDERS = Path("contracts") / "utils" / "reentrancy"

# Init code PUSH0 PUSH0 TSTORE STOP: runs on a Cancun chain, an invalid opcode before it.
_CANCUN_PROBE = "0x5f5f5d00"


@dataclass(frozen=True)
class Build:
    name: str
    evm_version: str
    guard_folder: Path  # what `reentrancy-guard/` maps to, relative to the project root
    artifacts: Path  # relative to the project root; {"contractTypes": {name: ContractType}}

    @property
    def remapping(self) -> str:
        return f"{GUARD_IMPORT_PREFIX}={self.guard_folder.as_posix()}"


PRAGUE = Build("prague", "prague", GUARD_FOLDERS / "transient", Path(".build") / "__local__.json")
SHANGHAI = Build(
    "shanghai", "shanghai", GUARD_FOLDERS / "storage", Path(".build") / "shanghai.json"
)
BUILDS = {b.name: b for b in (PRAGUE, SHANGHAI)}


class BuildError(RuntimeError):
    """A build is unknown or not compiled; the message says which command fixes it."""


def build_named(name: str) -> Build:
    try:
        return BUILDS[name]
    except KeyError:
        raise BuildError(f"unknown build {name!r}: choose one of {', '.join(BUILDS)}") from None


def supports_cancun(w3: Web3) -> bool:
    """True when the chain executes TSTORE (and so the prague build's guard)."""
    try:
        w3.eth.call({"data": _CANCUN_PROBE})  # type: ignore[typeddict-item]
    except Exception:  # an invalid opcode is an RPC error; its type differs per node
        return False
    return True


def build_for(w3: Web3) -> Build:
    """The build this chain can run: prague where Cancun opcodes exist, else shanghai."""
    return PRAGUE if supports_cancun(w3) else SHANGHAI


def artifacts_path(build: Build, root: Path = Path()) -> Path:
    """The build's artifacts file under `root`; a clear error when it was not compiled."""
    path = root / build.artifacts
    if not path.is_file():
        command = "make compile" if build is PRAGUE else "make compile-shanghai"
        raise BuildError(f"{path} is missing: compile the {build.name} build first (`{command}`)")
    return path
