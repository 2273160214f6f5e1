"""What an operator reads and does on chain: stake state, and refusals explained in words.

Used by the `oracle stake | unstake | withdraw | set-signer | claim | status` commands
(oracle/validator/operator_cli.py); each reads the deployment file, never the store.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from web3 import Web3

from oracle.chain.client import OracleClient
from oracle.chain.clock_mode import ClockMode
from oracle.chain.errors import TxReverted
from oracle.chain.units import format_eth

ZERO_ADDRESS = "0x" + "00" * 20


@dataclass(frozen=True)
class OperatorStatus:
    operator: str
    registered: bool
    active_wei: int
    unbonding_wei: int
    withdrawable_at: int
    withdrawable_now: bool
    signer: str
    open_ballots: int
    claimable_wei: int
    signer_balance_wei: int
    chain_time: int  # on the oracle's clock (`clock_mode`), like withdrawable_at
    clock_mode: ClockMode = ClockMode.TIMESTAMP

    def as_json(self) -> dict[str, Any]:
        # Wei as strings: JSON readers lose precision above 2**53.
        record = {k: str(v) if k.endswith("_wei") else v for k, v in asdict(self).items()}
        record["clock_mode"] = self.clock_mode.name.lower()
        return record

    def lines(self) -> list[str]:
        def when(at: int) -> str:
            return "-" if at == 0 else self.clock_mode.describe(at, self.chain_time)

        return [
            f"operator         {self.operator}"
            + ("" if self.registered else "  (not registered: `oracle stake` first)"),
            f"active stake     {format_eth(self.active_wei)}",
            f"unbonding        {format_eth(self.unbonding_wei)}",
            f"withdrawable at  {when(self.withdrawable_at)}",
            f"signer           {self.signer}",
            f"signer balance   {format_eth(self.signer_balance_wei)}",
            f"open ballots     {self.open_ballots}",
            f"claimable        {format_eth(self.claimable_wei)}",
        ]


def read_status(client: OracleClient, operator: str) -> OperatorStatus:
    operator = Web3.to_checksum_address(operator)
    info = client.validator_info(operator)
    registered = info.signer.lower() != ZERO_ADDRESS
    signer = info.signer if registered else operator
    mode = client.clock_mode()
    chain_time = client.clock_now()
    return OperatorStatus(
        operator=operator,
        registered=registered,
        active_wei=info.active,
        unbonding_wei=info.unbonding,
        withdrawable_at=info.withdrawable_at,
        withdrawable_now=info.unbonding > 0 and chain_time >= info.withdrawable_at,
        signer=Web3.to_checksum_address(signer),
        open_ballots=client.open_ballots_of(operator),
        claimable_wei=client.claimable(operator),
        signer_balance_wei=int(client.w3.eth.get_balance(Web3.to_checksum_address(signer))),
        chain_time=chain_time,
        clock_mode=mode,
    )


# What each refusal an operator command can meet means, and what to do. `{name}` fields are
# the custom error's arguments (wei shown as ETH by `explain_revert`).
OPERATOR_ERRORS: dict[str, str] = {
    "StakingZeroAmount": "the amount is zero; give a positive AMOUNT",
    "StakingBelowMinimum": "the stake would be {amount}, below the minimum stake {minStake} "
    "(a first stake must reach it, and what stays staked must too, or be zero)",
    "StakingAmountTooLarge": "{amount} does not fit the contract's 96-bit stake accounting",
    "StakingNotValidator": "{account} has never staked; run `oracle stake AMOUNT` first",
    "StakingSignerTaken": "signer {signer} already belongs to operator {operator}; "
    "a signer serves one operator for ever, create a new key (`oracle keys new`)",
    "StakingZeroSigner": "the zero address cannot sign; give the signer key's address",
    "StakingAcceptanceExpired": "the acceptance of {signer} expired at chain time {deadline}; "
    "sign a new one with `oracle accept-signer OPERATOR` and the signer's key",
    "StakingSignerNotAccepted": "the acceptance is not {signer}'s signature for this operator "
    "(it is {recovered}'s); sign it with `oracle accept-signer OPERATOR` and the signer's key",
    "StakingInsufficientActive": "only {active} is staked, cannot unstake {requested}",
    "StakingNothingToWithdraw": "nothing is unbonding for {validator}; "
    "run `oracle unstake AMOUNT` first",
    "StakingStillUnbonding": "still unbonding until {withdrawableAt} "
    "(chain clock now {clockNow}); run `oracle withdraw` again after it",
    "StakingOpenBallots": "{validator} has {openBallots} committed ballots not yet settled; "
    "keep the validator running until they settle (`oracle status` shows them)",
    "EthTransferFailed": "sending {amount} to {to} failed (a contract that rejects ETH?)",
    "OracleNothingToClaim": "{account} has no rewards to claim",
}
_TIME_ARGS = {"withdrawableAt", "clockNow"}
_WEI_ARGS = {"amount", "minStake", "active", "requested"}


def explain_revert(client: OracleClient, exc: TxReverted, what: str) -> str:
    """`<what> refused by the contract: <ErrorName>: <meaning>` on one line."""
    name = exc.error
    if name is None or name not in OPERATOR_ERRORS:
        return f"{what} refused by the contract: {exc}"
    args = client.decoder.arguments(exc.data)
    mode = client.clock_mode() if _TIME_ARGS & set(args) else ClockMode.TIMESTAMP
    shown: dict[str, str] = {}
    for key, value in args.items():
        if key in _TIME_ARGS:
            shown[key] = mode.describe(int(value))
        elif key in _WEI_ARGS:
            shown[key] = format_eth(int(value))
        elif isinstance(value, str) and Web3.is_address(value):
            shown[key] = Web3.to_checksum_address(value)
        else:
            shown[key] = str(value)
    try:
        meaning = OPERATOR_ERRORS[name].format(**shown)
    except (KeyError, IndexError):
        meaning = OPERATOR_ERRORS[name]  # arguments not decodable: the meaning alone
    return f"{what} refused by the contract: {name}: {meaning}"
