// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleLedger} from "./base/OracleLedger.sol";
import {ParameterState} from "./base/ParameterState.sol";
import {ValidatorRegistry} from "./base/ValidatorRegistry.sol";
import {VotingState} from "./base/VotingState.sol";
import {CallbackDeposit} from "./libraries/CallbackDeposit.sol";
import {ConsensusMath, VERDICT_CLASSES} from "./libraries/ConsensusMath.sol";
import {IOracleViews} from "./interfaces/IOracleViews.sol";

/// @title VerdictOracleViews: the oracle's read-only views, outside its bytecode
/// @notice Deployed by {VerdictOracle}'s constructor and reached only through the oracle's
/// `fallback` (DELEGATECALL inside a STATICCALL), so every function here reads the oracle's
/// storage and can write nothing. Called directly at its own address it reads its own, empty,
/// storage: always call the oracle.
/// @dev Inherits the oracle's state contracts for their layouts (each at a fixed slot) and
/// internal read hooks; it has no external function that is not a view.
contract VerdictOracleViews is ParameterState, OracleLedger, ValidatorRegistry, VotingState, IOracleViews {
    constructor(Timing memory timing_) ParameterState(timing_) {}

    // ------------------------------------------------------------------ rounds and ballots

    /// @inheritdoc IOracleViews
    function currentRound() external view returns (uint64) {
        return _currentRound();
    }

    /// @inheritdoc IOracleViews
    function roundTiming(uint64 round)
        external
        view
        returns (uint64 commitStart, uint64 revealStart, uint64 revealEnd)
    {
        // Truncated to uint64 as the ABI says; only rounds ~5.8e11 years away would wrap.
        (uint256 start, uint256 end) = _commitPhase(round);
        return (uint64(start), uint64(end), uint64(_revealEnd(round)));
    }

    /// @inheritdoc IOracleViews
    function roundInfo(uint64 round)
        external
        view
        returns (uint32 size, uint32 pending, uint48 snapshot, bytes32 listHash)
    {
        Round storage r = _voting().rounds[round];
        return (r.size, r.pending, r.snapshot, r.listHash);
    }

    /// @inheritdoc IOracleViews
    function roundProposals(uint64 round) external view returns (uint256[] memory ids) {
        uint64[] storage stored = _voting().rounds[round].ids;
        ids = new uint256[](stored.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            ids[i] = stored[i];
        }
    }

    /// @inheritdoc IOracleViews
    function roundPayloadHashes(uint64 round)
        external
        view
        returns (uint256[] memory ids, bytes32[] memory payloadHashes)
    {
        VotingStorage storage $ = _voting();
        uint64[] storage stored = $.rounds[round].ids;
        ids = new uint256[](stored.length);
        payloadHashes = new bytes32[](stored.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            ids[i] = stored[i];
            payloadHashes[i] = $.proposals[stored[i]].payloadHash;
        }
    }

    /// @inheritdoc IOracleViews
    function ballotOf(uint64 round, address validator)
        external
        view
        returns (bytes32 commitment, bytes32 verdictsHash, uint128 stake, bool revealed, bool settled)
    {
        Ballot storage b = _voting().ballots[round][validator];
        return (b.commitment, b.verdictsHash, b.stake, b.revealed, b.settled);
    }

    /// @inheritdoc IOracleViews
    function tallyOf(uint256 id, uint64 round) external view returns (uint128[VERDICT_CLASSES] memory tally) {
        uint120[VERDICT_CLASSES] storage stored = _voting().tallies[id][round];
        for (uint256 c = 0; c < VERDICT_CLASSES; ++c) {
            tally[c] = stored[c];
        }
    }

    /// @inheritdoc IOracleViews
    function commitmentFor(uint64 round, address validator, bytes calldata verdicts, bytes32 salt)
        external
        view
        returns (bytes32)
    {
        return _commitment(round, validator, _voting().rounds[round].listHash, keccak256(verdicts), salt);
    }

    // ------------------------------------------------------------------ stake and books

    /// @inheritdoc IOracleViews
    function stakeAt(address validator, uint48 timepoint) external view returns (uint256) {
        return _stakeAt(validator, timepoint);
    }

    /// @inheritdoc IOracleViews
    function totalStakeAt(uint48 timepoint) external view returns (uint256) {
        return _totalStakeAt(timepoint);
    }

    /// @inheritdoc IOracleViews
    function validatorInfo(address validator)
        external
        view
        returns (uint256 active, uint256 unbonding, uint64 withdrawableAt, address signer)
    {
        return (_activeStake(validator), _unbondingOf(validator), _withdrawableAt(validator), _signerOf(validator));
    }

    /// @inheritdoc IOracleViews
    function operatorOf(address signer) external view returns (address) {
        return _operatorOf(signer);
    }

    /// @inheritdoc IOracleViews
    function openBallotsOf(address validator) external view returns (uint256) {
        return _openBallots(validator);
    }

    /// @inheritdoc IOracleViews
    function claimable(address account) external view returns (uint256) {
        return _claimableOf(account);
    }

    /// @inheritdoc IOracleViews
    function totalActive() external view returns (uint256 active) {
        (active,,,,) = _books();
    }

    /// @inheritdoc IOracleViews
    function totalUnbonding() external view returns (uint256 unbonding) {
        (, unbonding,,,) = _books();
    }

    /// @inheritdoc IOracleViews
    function totalClaimable() external view returns (uint256 owed) {
        (,, owed,,) = _books();
    }

    /// @inheritdoc IOracleViews
    function undistributedFees() external view returns (uint256 fees) {
        (,,, fees,) = _books();
    }

    /// @inheritdoc IOracleViews
    function slashedReserve() external view returns (uint256 reserve) {
        (,,,, reserve) = _books();
    }

    // ------------------------------------------------------------------ submit price

    /// @inheritdoc IOracleViews
    function quoteSubmit(address requester) external view returns (uint256 value) {
        Parameters memory params = _parameters();
        value = params.proposalFee;
        if (CallbackDeposit.wanted(requester)) {
            value += CallbackDeposit.amount(params.callbackGasLimit, params.callbackGasPrice);
        }
    }

    /// @inheritdoc IOracleViews
    function callbackDepositOf(uint256 id) external view returns (uint256 gas, uint256 deposit) {
        Proposal storage p = _voting().proposals[id];
        return (p.callbackGas, p.callbackDeposit);
    }

    // ------------------------------------------------------------------ parameters

    /// @inheritdoc IOracleViews
    function parameters() external view returns (Parameters memory) {
        return _parameters();
    }

    /// @inheritdoc IOracleViews
    function roundParameters(uint64 round) external view returns (Parameters memory) {
        Round storage r = _voting().rounds[round];
        Parameters memory current = _parameters();
        return r.size == 0 ? current : _parametersOf(r.paramsVersion, current);
    }

    /// @inheritdoc IOracleViews
    function clock() external view returns (uint48) {
        return uint48(_clock());
    }

    /// @inheritdoc IOracleViews
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external view returns (string memory) {
        return _clockIsBlockNumber ? "mode=blocknumber&from=default" : "mode=timestamp";
    }

    /// @inheritdoc IOracleViews
    function timing()
        external
        view
        returns (
            uint256 genesis,
            uint256 roundDuration,
            uint256 revealDuration,
            uint256 unbondingPeriod,
            uint256 clockMode
        )
    {
        clockMode = _clockIsBlockNumber ? CLOCK_BLOCKNUMBER : CLOCK_TIMESTAMP;
        return (_genesis, _roundDuration, _revealDuration, _unbondingPeriod, clockMode);
    }
}
