// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ParameterState} from "../base/ParameterState.sol";
import {ConsensusMath, VERDICT_CLASSES} from "../libraries/ConsensusMath.sol";

/// @title IOracleViews: the read-only views of the oracle that are not part of {IVerdictOracle}
/// @notice Rounds, ballots, tallies, stake and the books, and the current parameters. Call them
/// at the oracle's address: the oracle forwards any selector it does not implement to its view
/// extension ({VerdictOracleViews}), which runs them on the oracle's storage in a static context.
/// The ABI files the deploy scripts write for `VerdictOracle` include these functions.
/// @dev Kept out of the core contract for bytecode room (EIP-170): an internal library frees
/// nothing, a separate runtime does. dApps need only {IVerdictOracle}, which stays on the core.
interface IOracleViews {
    // ------------------------------------------------------------------ rounds and ballots

    /// @notice `(block.timestamp - genesis) / roundDuration`.
    function currentRound() external view returns (uint64);

    /// @notice Phase boundaries of `round`: commit in `[commitStart, revealStart)`,
    /// reveal in `[revealStart, revealEnd)`.
    function roundTiming(uint64 round) external view returns (uint64 commitStart, uint64 revealStart, uint64 revealEnd);

    /// @notice Size, proposals still pending, stake snapshot timestamp and list hash of `round`.
    function roundInfo(uint64 round)
        external
        view
        returns (uint32 size, uint32 pending, uint48 snapshot, bytes32 listHash);

    /// @notice The ordered proposal ids of `round` (bounded by `maxProposalsPerRound`).
    function roundProposals(uint64 round) external view returns (uint256[] memory);

    /// @notice The ordered proposal ids of `round` with each one's `keccak256(payload)`: what a
    /// validator checks its stored payloads against before sealing a ballot, in one call
    /// instead of one `proposal(id)` each (bounded by `maxProposalsPerRound`).
    function roundPayloadHashes(uint64 round)
        external
        view
        returns (uint256[] memory ids, bytes32[] memory payloadHashes);

    /// @notice `validator`'s ballot for `round`.
    function ballotOf(uint64 round, address validator)
        external
        view
        returns (bytes32 commitment, bytes32 verdictsHash, uint128 stake, bool revealed, bool settled);

    /// @notice Revealed stake per class for proposal `id` in `round`.
    function tallyOf(uint256 id, uint64 round) external view returns (uint128[VERDICT_CLASSES] memory);

    /// @notice The commitment `reveal` will check, for building commits off-chain or in tests.
    function commitmentFor(uint64 round, address validator, bytes calldata verdicts, bytes32 salt)
        external
        view
        returns (bytes32);

    // ------------------------------------------------------------------ stake and books

    /// @notice Active stake of `validator` at timestamp `timepoint` (checkpointed).
    function stakeAt(address validator, uint48 timepoint) external view returns (uint256);

    /// @notice Total active stake of all validators at timestamp `timepoint`.
    function totalStakeAt(uint48 timepoint) external view returns (uint256);

    /// @notice Current stake state of `validator`.
    function validatorInfo(address validator)
        external
        view
        returns (uint256 active, uint256 unbonding, uint64 withdrawableAt, address signer);

    /// @notice The operator a signer key belongs to (zero if none).
    function operatorOf(address signer) external view returns (address);

    /// @notice Number of committed, unsettled ballots of `validator` (withdraw needs 0).
    function openBallotsOf(address validator) external view returns (uint256);

    /// @notice Wei `account` can `claim()`.
    function claimable(address account) external view returns (uint256);

    /// @notice Sum of all active stake now.
    function totalActive() external view returns (uint256);
    /// @notice Sum of all unbonding balances now.
    function totalUnbonding() external view returns (uint256);
    /// @notice Wei owed to accounts and not yet claimed (sum of `claimable`).
    function totalClaimable() external view returns (uint256);
    /// @notice Fees received and not yet paid out as rewards or refunds (includes rounding dust).
    function undistributedFees() external view returns (uint256);
    /// @notice ETH taken by slashing and not yet swept by the owner.
    function slashedReserve() external view returns (uint256);

    // ------------------------------------------------------------------ submit price

    /// @notice The `msg.value` a `submit` from `requester` needs now: the proposal fee, plus the
    /// callback deposit `callbackGasLimit x callbackGasPrice` when `requester` is a contract
    /// that reports {IVerdictCallback} through ERC-165 (and so will be called back).
    /// A contract that submits calls it with `address(this)` in the same transaction.
    function quoteSubmit(address requester) external view returns (uint256 value);

    /// @notice The gas proposal `id`'s callback gets and the deposit its requester prepaid for it,
    /// still held for the finalizer (0 once paid, and for a proposal without a callback).
    function callbackDepositOf(uint256 id) external view returns (uint256 gas, uint256 deposit);

    // ------------------------------------------------------------------ parameters (ranges: IOracleGovernance)

    /// @notice Every tunable parameter now in force, and its `version` (0: the constructor's;
    /// each owner change adds one). Rounds opened from now on are decided under these.
    /// `proposalFee`, `maxPayloadSize` and `modelHash` are also on {IVerdictOracle}.
    function parameters() external view returns (ParameterState.Parameters memory);

    /// @notice The parameters `round` is decided and settled under: those in force when its
    /// first proposal joined (for a round nobody joined yet: those in force now).
    function roundParameters(uint64 round) external view returns (ParameterState.Parameters memory);

    /// @notice Now on the oracle's clock (ERC-6372): the block number under the block clock,
    /// the block timestamp otherwise. Every time the oracle reports or keeps is on this clock.
    function clock() external view returns (uint48);

    /// @notice ERC-6372: `mode=blocknumber&from=default` or `mode=timestamp`, fixed at deployment.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external view returns (string memory);

    /// @notice The timing fixed at deployment, on the oracle's clock ({clock}): `genesis` (the
    /// clock reading round 0 started at), `roundDuration` (the commit phase, also the round
    /// period), `revealDuration` (the reveal phase that follows) and `unbondingPeriod` (between
    /// the last `requestUnstake` and `withdraw`); seconds under the timestamp clock, blocks under
    /// the block clock. `clockMode`: 0 timestamps, 1 block numbers (`OracleConfig.clockMode`).
    function timing()
        external
        view
        returns (
            uint256 genesis,
            uint256 roundDuration,
            uint256 revealDuration,
            uint256 unbondingPeriod,
            uint256 clockMode
        );
}
