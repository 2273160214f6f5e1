"""The engine's knobs: declared once, here, with their defaults, bounds and meaning.

`ValidatorSettings` (settings.py) inherits them, so each is a `validator.toml` key and an
`ORACLE_*` variable with no second list; the engine takes any `EngineKnobs`, the settings
themselves included, and tests build one with only the knobs they change.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from oracle.chain.tx_pricing import MIN_REPLACEMENT_BUMP, FeePolicy

_FEES = FeePolicy()  # the fee defaults are the policy's own


class EngineKnobs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt knob is an error, not ignored

    # Chain
    confirmations: int = Field(
        default=0, ge=0, description="blocks to wait before reading an event"
    )
    poll_interval_s: float = Field(default=0.25, gt=0)
    startup_timeout_s: float = Field(
        default=600.0,
        ge=0,
        description="at start, wait this long for rpc_url to answer (retrying with backoff) "
        "before exiting; an RPC outage during a restart must not stop the validator",
    )

    # Observer (observer.py): judge and compare with the chain's outcomes, never vote.
    observer: bool = Field(
        default=False,
        description="judge every proposal and report agreement with the final verdicts; "
        "send no transaction (no key, stake or ETH needed)",
    )

    # Model
    judge_batch: int = Field(default=512, gt=0)

    # Store
    retention_rounds: int = Field(
        default=10_000,
        ge=16,
        description="prune final proposals and settled ballots older than this many rounds",
    )
    prune_every_s: float = Field(default=60.0, gt=0, description="seconds between store prunings")

    # Rewards
    auto_claim: bool = True
    claim_min_wei: int = Field(
        default=0, ge=0, description="claim rewards only from this amount on"
    )
    claim_every_s: float = Field(default=30.0, gt=0, description="seconds between reward claims")

    # Transaction fees (the transaction manager, oracle/chain/tx_manager.py)
    max_fee_per_gas_gwei: float = Field(
        default=_FEES.max_fee_per_gas_gwei,
        gt=0,
        description="never offer more than this per gas (gwei); a bump that would is not made",
    )
    fee_bump_factor: float = Field(
        default=_FEES.bump_factor,
        ge=MIN_REPLACEMENT_BUMP,
        description="fee multiplier per re-pricing of a transaction not mined (nodes need >= 1.1)",
    )
    fee_bump_after_blocks: int = Field(
        default=_FEES.bump_after_blocks,
        ge=1,
        description="re-price a transaction after this many blocks without it",
    )

    def fee_policy(self) -> FeePolicy:
        return FeePolicy(
            max_fee_per_gas_gwei=self.max_fee_per_gas_gwei,
            bump_factor=self.fee_bump_factor,
            bump_after_blocks=self.fee_bump_after_blocks,
        )
