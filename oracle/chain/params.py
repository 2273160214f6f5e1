"""The oracle's deployment parameters: names, defaults and ranges, defined once.

`OracleParams` mirrors the constructor's `OracleConfig` struct field by field and
in order (tests/contracts/test_params_abi.py checks it against the compiled ABI,
so a parameter added to the contract fails that one test). Everything that
deploys or shows the parameters derives from here: `scripts/deploy.py`'s options,
`oracle.chain.localdeploy`, the contract tests' configs, the explorer and the
benches.

Two default sets, because their users want different things:
- `OracleParams()`: a local chain for tests and benches (3 s phases, a low
  minimum stake, room for 256 proposals a round);
- `DEPLOY_DEFAULTS`: what `ape run deploy` uses when no flag or ORACLE_* variable
  says otherwise (6 s phases, 1 ETH minimum stake).

`SPECS` holds each parameter's unit, help text and range as
`contracts/base/ParameterState.sol` enforces it; `problems()` checks a set of values
against them before a deployment is sent, so a bad value is named in one line.
`Param` is the number the owner's `setParameter(param, value)` takes for each
mutable parameter (the contract's `ParameterState.Param`, in the same order).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from oracle.chain.clock_mode import ClockMode

MAX_BPS = 10_000
UINT8_MAX = 2**8 - 1
UINT32_MAX = 2**32 - 1
UINT96_MAX = 2**96 - 1
# ParameterState.MAX_CALLBACK_GAS_PRICE: keeps the deepest deposit within its uint80 field.
MAX_CALLBACK_GAS_PRICE = 10**15
ZERO_HASH = "0x" + "00" * 32


@dataclass(frozen=True)
class OracleParams:
    """The constructor's OracleConfig: amounts in wei, durations in the clock's unit
    (seconds, or blocks when `clockMode` is ClockMode.BLOCKNUMBER), rates in bps."""

    # Timing and the clock, immutable after deployment.
    roundDuration: int = 3
    revealDuration: int = 3
    unbondingPeriod: int = 3600
    clockMode: int = ClockMode.TIMESTAMP
    # What a proposal may cost and carry, and how many a round takes.
    proposalFee: int = 10**15
    maxPayloadSize: int = 4096
    maxProposalsPerRound: int = 256
    # Consensus.
    quorumBps: int = 5000
    supermajorityBps: int = 6667
    maxRounds: int = 3
    # Stake and slashing.
    minStake: int = 10**17
    nonRevealSlashBps: int = 1000
    incoherentSlashBps: int = 500
    equivocationSlashBps: int = 5000
    # The requester's callback: its gas, and the price (wei per gas) of the deposit a
    # requester with a callback prepays for it; the classifier new proposals pin (0x + 64 hex).
    callbackGasLimit: int = 200_000
    callbackGasPrice: int = 20 * 10**9
    modelHash: str = ZERO_HASH

    def with_(self, **changes: Any) -> OracleParams:
        """A copy with `changes`; `modelHash` may be given as 32 bytes or as hex."""
        if isinstance(changes.get("modelHash"), bytes | bytearray):
            changes["modelHash"] = "0x" + bytes(changes["modelHash"]).hex()
        return dataclasses.replace(self, **changes)

    def as_config(self) -> dict[str, Any]:
        """The struct as ape and web3 take it: field name to value, modelHash as bytes."""
        config: dict[str, Any] = dataclasses.asdict(self)
        config["modelHash"] = model_hash_bytes(self.modelHash)
        return config

    def as_tuple(self) -> tuple[Any, ...]:
        """The struct as an ABI tuple, in OracleConfig order."""
        return tuple(self.as_config().values())

    def as_record(self) -> dict[str, Any]:
        """JSON-ready (the deployment file's `parameters`)."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ParameterSpec:
    """One numeric parameter: what it means and the range the contract accepts."""

    name: str
    unit: str
    help: str
    minimum: int
    maximum: int

    @property
    def flag(self) -> str:
        """`roundDuration` -> `round-duration` (the deploy script's option)."""
        return "".join("-" + c.lower() if c.isupper() else c for c in self.name)

    @property
    def env(self) -> str:
        """`roundDuration` -> `ORACLE_ROUND_DURATION`."""
        return "ORACLE_" + self.flag.replace("-", "_").upper()

    @property
    def param(self) -> Param | None:
        """The `setParameter` number, or None for the timings fixed at deployment."""
        return None if self.name in FIXED_AT_DEPLOYMENT else Param[self.name]


# Immutable in the contract (read with `timing()`); their ranges also depend on each other
# (see `problems`).
FIXED_AT_DEPLOYMENT = frozenset({"roundDuration", "revealDuration", "unbondingPeriod", "clockMode"})


class Param(IntEnum):
    """`ParameterState.Param`: what `setParameter(param, value)` takes, in the contract's order.

    Member names are the parameter names (the fields of `parameters()` and of OracleConfig).
    tests/contracts/test_params_abi.py sets each one on the contract and checks the name
    its `ParameterChanged` event carries.
    """

    proposalFee = 0
    maxPayloadSize = 1
    maxProposalsPerRound = 2
    quorumBps = 3
    supermajorityBps = 4
    maxRounds = 5
    minStake = 6
    nonRevealSlashBps = 7
    incoherentSlashBps = 8
    equivocationSlashBps = 9
    callbackGasLimit = 10
    callbackGasPrice = 11


# The fields of `timing()`, the view of the values fixed at deployment, in its order.
TIMING_FIELDS: tuple[str, ...] = (
    "genesis",
    "roundDuration",
    "revealDuration",
    "unbondingPeriod",
    "clockMode",
)

# A phase must hold at least this many blocks of the target chain (see `phase_problems`).
MIN_BLOCKS_PER_PHASE = 2

# Ranges as contracts/OracleParameters.sol checks them (its constructor and _setParameter).
SPECS: dict[str, ParameterSpec] = {
    spec.name: spec
    for spec in (
        ParameterSpec(
            "roundDuration",
            "clock",
            "round (commit phase) length, seconds or blocks",
            1,
            UINT32_MAX,
        ),
        ParameterSpec(
            "revealDuration", "clock", "reveal phase length, <= round duration", 1, UINT32_MAX
        ),
        ParameterSpec(
            "unbondingPeriod", "clock", "> 2 x round duration + reveal duration", 4, UINT32_MAX
        ),
        ParameterSpec(
            "clockMode",
            "mode",
            "0: block timestamps (durations in seconds); 1: block numbers (durations in "
            "blocks; a halted chain delays a phase instead of skipping it)",
            ClockMode.TIMESTAMP,
            ClockMode.BLOCKNUMBER,
        ),
        # At least 1 wei: a free proposal would make spam cost only gas.
        ParameterSpec("proposalFee", "wei", "minimum fee per proposal, wei", 1, UINT96_MAX),
        ParameterSpec("maxPayloadSize", "bytes", "payload size limit, bytes", 1, 65_536),
        ParameterSpec("maxProposalsPerRound", "count", "proposals a round takes", 1, 1_024),
        ParameterSpec(
            "quorumBps", "bps", "revealed stake needed, bps of snapshot stake", 1, MAX_BPS
        ),
        # Above one half, so two classes can never both win and a tie never wins.
        ParameterSpec(
            "supermajorityBps",
            "bps",
            "winning share of revealed stake, bps",
            MAX_BPS // 2 + 1,
            MAX_BPS,
        ),
        ParameterSpec(
            "maxRounds", "count", "rounds a proposal may take before NoConsensus", 1, UINT8_MAX
        ),
        ParameterSpec("minStake", "wei", "minimum validator stake, wei", 1, UINT96_MAX),
        ParameterSpec(
            "nonRevealSlashBps",
            "bps",
            "slash for a committed ballot not revealed, bps of its stake, once per round",
            0,
            MAX_BPS,
        ),
        ParameterSpec(
            "incoherentSlashBps",
            "bps",
            "slash per round, bps of the ballot's stake x share of decided proposals voted "
            "against consensus",
            0,
            MAX_BPS,
        ),
        ParameterSpec(
            "equivocationSlashBps",
            "bps",
            "slash for equivocation, bps of bonded stake",
            0,
            MAX_BPS,
        ),
        ParameterSpec(
            "callbackGasLimit", "gas", "gas for requesters' onVerdict", 10_000, 2_000_000
        ),
        # At least 1 wei: the deposit must pay the finalizer even where the base fee is 0.
        ParameterSpec(
            "callbackGasPrice",
            "wei",
            "wei per gas of the callback deposit a requester with a callback prepays",
            1,
            MAX_CALLBACK_GAS_PRICE,
        ),
    )
}

# `ape run deploy` without flags: a local chain a person watches (6 s phases).
DEPLOY_DEFAULTS = OracleParams(
    roundDuration=6,
    revealDuration=6,
    unbondingPeriod=60,
    maxProposalsPerRound=64,
    minStake=10**18,
    nonRevealSlashBps=100,
    callbackGasLimit=100_000,
)


def model_hash_bytes(value: str) -> bytes:
    """32 bytes from `0x` + 64 hex digits; ValueError naming the expected form otherwise."""
    text = value.removeprefix("0x")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ValueError(
            f"{value!r} is not a 32-byte hex string; pass the model hash `oracle` prints "
            "(0x followed by 64 hex digits)"
        )
    return raw


def problems(params: OracleParams) -> list[str]:
    """One line per value the contract's constructor would reject (empty when all fit)."""
    found = []
    for name, spec in SPECS.items():
        value = getattr(params, name)
        if not spec.minimum <= value <= spec.maximum:
            found.append(f"{name}={value} is outside {spec.minimum}..{spec.maximum}")
    # 0 < R <= D keeps at most two rounds' phases overlapping (reveal r with commit r+1).
    if params.revealDuration > params.roundDuration:
        found.append(
            f"revealDuration={params.revealDuration} exceeds roundDuration={params.roundDuration}"
        )
    # A round is snapshotted up to 2D + R before its reveal phase ends (docs/protocol.md).
    lowest = 2 * params.roundDuration + params.revealDuration
    if params.unbondingPeriod <= lowest:
        found.append(
            f"unbondingPeriod={params.unbondingPeriod} must exceed 2 x roundDuration + "
            f"revealDuration = {lowest}"
        )
    try:
        model_hash_bytes(params.modelHash)
    except ValueError as err:
        found.append(f"modelHash: {err}")
    return found


def phase_problems(params: OracleParams, block_interval: float | None) -> list[str]:
    """One line per phase shorter than MIN_BLOCKS_PER_PHASE blocks of `block_interval` seconds.

    A phase that may hold no block cannot be voted in (a 6 s reveal phase on a 12 s-slot
    chain may see no block at all, and every committed validator would be slashed). The
    contract can only enforce >= 1 s, which suits every chain; the deployment knows its chain.
    `block_interval` None (not measurable, e.g. a chain with one block) checks nothing.
    """
    if ClockMode(params.clockMode) is ClockMode.BLOCKNUMBER:
        return [
            f"{name}={getattr(params, name)} blocks is shorter than {MIN_BLOCKS_PER_PHASE} "
            f"blocks; use --{SPECS[name].flag} {MIN_BLOCKS_PER_PHASE} or more"
            for name in ("roundDuration", "revealDuration")
            if getattr(params, name) < MIN_BLOCKS_PER_PHASE
        ]
    if block_interval is None:
        return []
    floor = MIN_BLOCKS_PER_PHASE * block_interval
    return [
        f"{name}={getattr(params, name)} s is shorter than {MIN_BLOCKS_PER_PHASE} block "
        f"intervals of this chain ({MIN_BLOCKS_PER_PHASE} x {block_interval:.1f} s measured); "
        f"use --{SPECS[name].flag} {math.ceil(floor)} or more"
        for name in ("roundDuration", "revealDuration")
        if getattr(params, name) < floor
    ]


PARAMETER_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(OracleParams))
