// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IValidatorStaking: ETH stake, signer keys and slashing of oracle validators
/// @notice An operator (cold key) stakes ETH and may name a separate signer (hot key) that
/// signs relayed commits and off-chain verdicts. Stake is checkpointed by timestamp so each
/// voting round uses the stake at its snapshot (no flash staking). Leaving is two-step:
/// {requestUnstake} then {withdraw} after `unbondingPeriod`. The views (stake at a timepoint,
/// validator records, totals) are in {IOracleViews}, answered at the oracle's address.
interface IValidatorStaking {
    /// @notice Why stake was slashed: the one list of reasons (Python: `oracle.explorer.labels`).
    enum SlashReason {
        NonReveal,
        Incoherent,
        Equivocation
    }

    /// @notice `amount` wei was added; `active` is the validator's new active stake.
    event Staked(address indexed validator, uint256 amount, uint256 active);
    /// @notice The validator's signer key is now `signer`.
    event SignerSet(address indexed validator, address indexed signer);
    /// @notice `amount` moved from active stake to unbonding, withdrawable at `withdrawableAt`.
    event UnstakeRequested(address indexed validator, uint256 amount, uint256 withdrawableAt);
    /// @notice `amount` unbonded wei was paid out.
    event Withdrawn(address indexed validator, uint256 amount);
    /// @notice `amount` wei of stake was moved to the slashed reserve.
    /// @param reason A {SlashReason} (ABI type uint8): 0 non-reveal, 1 incoherent vote, 2 equivocation.
    event Slashed(address indexed validator, uint256 amount, SlashReason reason);

    /// @notice Nothing was sent: call with a non-zero `msg.value`.
    error StakingZeroAmount();
    /// @notice A validator's first stake (or remaining stake) must reach `minStake`.
    error StakingBelowMinimum(uint256 amount, uint256 minStake);
    /// @notice The amount does not fit the 96-bit stake accounting.
    error StakingAmountTooLarge(uint256 amount);
    /// @notice `account` has never staked; call `stake()` first.
    error StakingNotValidator(address account);
    /// @notice `signer` already belongs to `operator`; a signer serves one operator, ever.
    error StakingSignerTaken(address signer, address operator);
    /// @notice The zero address cannot sign.
    error StakingZeroSigner();
    /// @notice `signer`'s acceptance expired at `deadline`; have the key sign a new one.
    error StakingAcceptanceExpired(address signer, uint256 deadline);
    /// @notice The acceptance is not `signer`'s signature over SignerAcceptance(operator=caller,
    /// signer, deadline) (it recovers to `recovered`); sign it with the signer key.
    error StakingSignerNotAccepted(address signer, address recovered);
    /// @notice Only `active` wei is staked; request at most that.
    error StakingInsufficientActive(uint256 requested, uint256 active);
    /// @notice Nothing is unbonding for `validator`; call `requestUnstake` first.
    error StakingNothingToWithdraw(address validator);
    /// @notice Unbonding ends at `withdrawableAt`; try again after it.
    error StakingStillUnbonding(uint256 withdrawableAt, uint256 clockNow);
    /// @notice `validator` has `openBallots` committed ballots not yet settled; settle them first.
    error StakingOpenBallots(address validator, uint256 openBallots);

    /// @notice Add `msg.value` to the caller's active stake; the first call registers the
    /// caller as a validator whose signer is itself.
    function stake() external payable;

    /// @notice Name the hot key that signs for the caller; a signer serves one operator, ever,
    /// so the key must consent: `acceptance` is its EIP-712 signature over
    /// `SignerAcceptance(address operator, address signer, uint256 deadline)` (operator = the
    /// caller), valid until `deadline` (a timestamp). Naming the caller's own address needs no
    /// acceptance (pass any deadline and empty bytes). An address that never signed an
    /// acceptance can never be bound to someone else, so it can always stake as an operator.
    function setSigner(address signer, uint256 deadline, bytes calldata acceptance) external;

    /// @notice Move `amount` of active stake to unbonding; voting power drops at once and the
    /// unbonding clock (re)starts for the whole unbonding balance.
    function requestUnstake(uint256 amount) external;

    /// @notice Pay out the unbonding balance once `withdrawableAt` has passed and every
    /// committed ballot of the caller has been settled.
    function withdraw() external;
}
