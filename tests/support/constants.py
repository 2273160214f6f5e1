"""Codes, amounts and the deployment config the contract tests share.

Codes come from their one definition in `oracle/` (verdict classes, proposal
statuses, slash reasons) and the config from `oracle.chain.params`; the contract
tests import these names (`from tests.support.constants import STAKE`), so keep
them stable.
"""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from oracle.chain.client import Status
from oracle.chain.params import DEPLOY_DEFAULTS
from oracle.chain.slashing import SlashReason
from oracle.model.labels import Verdict

# Verdict classes (docs/labels.md) and proposal statuses (IVerdictOracle.Status), as plain ints.
LEGAL, FRAUD, ILLICIT, SANCTIONED, MALFORMED = (int(v) for v in Verdict)
NONE, PENDING, FINALIZED, NO_CONSENSUS = (int(s) for s in Status)
# Slashed.reason
NON_REVEAL, INCOHERENT, EQUIVOCATION = (int(r) for r in SlashReason)
# GuardedTreasury.RequestState (contracts/examples/GuardedTreasury.sol; 0 is "none").
REQUEST_PENDING, REQUEST_APPROVED, REQUEST_REJECTED, REQUEST_EXECUTED = 1, 2, 3, 4
REQUEST_CANCELLED = 5

ROUND_DURATION = 300
REVEAL_DURATION = 150
UNBONDING_PERIOD = 1_000
PROPOSAL_FEE = DEPLOY_DEFAULTS.proposalFee
MIN_STAKE = DEPLOY_DEFAULTS.minStake
STAKE = 10 * 10**18
MODEL_HASH = keccak(b"test-model")

# The deploy script's defaults with phases long enough to travel through and two rounds.
ORACLE_PARAMS = DEPLOY_DEFAULTS.with_(
    roundDuration=ROUND_DURATION,
    revealDuration=REVEAL_DURATION,
    unbondingPeriod=UNBONDING_PERIOD,
    maxRounds=2,
    modelHash=MODEL_HASH,
)
ORACLE_CONFIG: dict[str, Any] = ORACLE_PARAMS.as_config()

TX_REQUEST_TYPE = "(uint256,address,address,uint256,bytes,string)"


def eth_balance_of(oracle: Any) -> int:
    """The ETH accounting invariant's right-hand side (docs/protocol.md)."""
    return (
        int(oracle.totalActive())
        + int(oracle.totalUnbonding())
        + int(oracle.totalClaimable())
        + int(oracle.undistributedFees())
        + int(oracle.slashedReserve())
    )


def verdicts_of(*classes: int) -> bytes:
    """One verdict byte per proposal, in round order."""
    return bytes(classes)
