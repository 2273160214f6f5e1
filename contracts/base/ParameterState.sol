// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracleGovernance} from "../interfaces/IOracleGovernance.sol";
import {RoundClock} from "../libraries/RoundClock.sol";

/// @title ParameterState: the oracle's timing and tunable parameters, with their ranges
/// @notice Holds the immutable round timing and the owner-tuned parameters in one storage
/// struct at a fixed slot, and the one table that knows each parameter's name, range and
/// slot. Inherited by the oracle (which writes through {_setParameter}) and by its view
/// extension (which only reads), so both see the same layout whatever else they inherit.
/// @dev Storage is private; derived contracts read a memory copy with {_parameters}, which is
/// also the shape a per-round snapshot of the parameters takes.
abstract contract ParameterState {
    /// @notice The tunable parameters, in `OracleConfig` order (the enum is the table's key).
    enum Param {
        ProposalFee,
        MaxPayloadSize,
        MaxProposalsPerRound,
        QuorumBps,
        SupermajorityBps,
        MaxRounds,
        MinStake,
        NonRevealSlashBps,
        IncoherentSlashBps,
        EquivocationSlashBps,
        CallbackGasLimit
    }

    /// @dev Packed in two slots:
    /// slot A: | proposalFee 96 | minStake 96 | maxPayloadSize 32 | callbackGasLimit 32 |
    /// slot B: | maxProposalsPerRound 16 | quorumBps 16 | supermajorityBps 16 | maxRounds 8 |
    ///         | nonRevealSlashBps 16 | incoherentSlashBps 16 | equivocationSlashBps 16 | free 152 |
    struct Parameters {
        uint96 proposalFee;
        uint96 minStake;
        uint32 maxPayloadSize;
        uint32 callbackGasLimit;
        uint16 maxProposalsPerRound;
        uint16 quorumBps;
        uint16 supermajorityBps;
        uint8 maxRounds;
        uint16 nonRevealSlashBps;
        uint16 incoherentSlashBps;
        uint16 equivocationSlashBps;
    }

        struct ParameterStorage {
        Parameters params;
        bytes32 modelHash;
    }

    /// @dev The fixed first slot of this contract's storage (see {OracleLedger} on why a small number).
    uint256 private constant STORAGE_SLOT = 0x100;

    uint256 internal constant MAX_BPS = 10_000;
    /// @dev Bounds every per-round loop (reveal, settle, roundProposals).
    uint256 internal constant MAX_PROPOSALS_PER_ROUND = 1024;
    uint256 internal constant MAX_PAYLOAD_SIZE = 65_536;
    uint256 internal constant MIN_CALLBACK_GAS = 10_000;
    uint256 internal constant MAX_CALLBACK_GAS = 2_000_000;

    /// @dev Round timing and the unbonding period never change after deployment.
    uint256 internal immutable _genesis;
    uint256 internal immutable _roundDuration;
    uint256 internal immutable _revealDuration;
    uint256 internal immutable _unbondingPeriod;

    /// @dev Checks the timing once, here, for the oracle and its view extension alike.
    constructor(uint256 genesis_, uint256 roundDuration_, uint256 revealDuration_, uint256 unbondingPeriod_) {
        _checkRange("roundDuration", roundDuration_, 1, type(uint32).max);
        // 0 < R <= D keeps at most two rounds' phases overlapping (reveal r with commit r+1).
        _checkRange("revealDuration", revealDuration_, 1, roundDuration_);
        // Without load a round is snapshotted in the commit phase of the round before it, up to
        // 2D + R before its reveal phase ends: stake in a snapshot then stays bonded through the
        // round's reveal on the stated period alone. (Under load {ValidatorStaking-requestUnstake}
        // extends the deadline; the voting weight is bounded by bonded stake whatever happens.)
        _checkRange(
            "unbondingPeriod", unbondingPeriod_, 2 * roundDuration_ + revealDuration_ + 1, type(uint32).max
        );
        _genesis = genesis_;
        _roundDuration = roundDuration_;
        _revealDuration = revealDuration_;
        _unbondingPeriod = unbondingPeriod_;
    }

    /// @dev A memory copy of every parameter now in force.
    function _parameters() internal view returns (Parameters memory) {
        return _store().params;
    }

    function _modelHash() internal view returns (bytes32) {
        return _store().modelHash;
    }

    /// @dev The round whose commit phase is now.
    function _currentRound() internal view returns (uint64) {
        return RoundClock.roundAt(_genesis, _roundDuration, block.timestamp);
    }

    /// @dev `[start, end)` of `round`'s commit phase.
    function _commitPhase(uint64 round) internal view returns (uint256 start, uint256 end) {
        return RoundClock.commitPhase(_genesis, _roundDuration, round);
    }

    /// @dev `[start, end)` of `round`'s reveal phase.
    function _revealPhase(uint64 round) internal view returns (uint256 start, uint256 end) {
        return RoundClock.revealPhase(_genesis, _roundDuration, _revealDuration, round);
    }

    /// @dev The end of `round`'s reveal phase.
    function _revealEnd(uint64 round) internal view returns (uint256) {
        return RoundClock.revealEnd(_genesis, _roundDuration, _revealDuration, round);
    }

    /// @dev Name and allowed range of each parameter: the one table the setters, the constructor
    /// and the `GovernanceInvalidParameter` error read.
    function _bounds(Param param) internal pure returns (bytes32 name, uint256 low, uint256 high) {
        if (param == Param.ProposalFee) return ("proposalFee", 0, type(uint96).max);
        if (param == Param.MaxPayloadSize) return ("maxPayloadSize", 1, MAX_PAYLOAD_SIZE);
        if (param == Param.MaxProposalsPerRound) return ("maxProposalsPerRound", 1, MAX_PROPOSALS_PER_ROUND);
        if (param == Param.QuorumBps) return ("quorumBps", 1, MAX_BPS);
        // Above one half, so two classes can never both win and a tie never wins.
        if (param == Param.SupermajorityBps) return ("supermajorityBps", MAX_BPS / 2 + 1, MAX_BPS);
        if (param == Param.MaxRounds) return ("maxRounds", 1, type(uint8).max);
        if (param == Param.MinStake) return ("minStake", 1, type(uint96).max);
        if (param == Param.NonRevealSlashBps) return ("nonRevealSlashBps", 0, MAX_BPS);
        if (param == Param.IncoherentSlashBps) return ("incoherentSlashBps", 0, MAX_BPS);
        if (param == Param.EquivocationSlashBps) return ("equivocationSlashBps", 0, MAX_BPS);
        if (param == Param.CallbackGasLimit) return ("callbackGasLimit", MIN_CALLBACK_GAS, MAX_CALLBACK_GAS);
        // Unreachable while every enum member has a row; a new member without one reverts here.
        revert IOracleGovernance.GovernanceUnknownParameter(uint8(param));
    }

    /// @dev The one write path of every parameter: range check, store, `ParameterChanged`.
    function _setParameter(Param param, uint256 value) internal {
        (bytes32 name, uint256 low, uint256 high) = _bounds(param);
        _checkRange(name, value, low, high);
        Parameters storage p = _store().params;
        uint256 oldValue = 0;
        // The range check above makes every narrowing cast below lossless.
        if (param == Param.ProposalFee) (oldValue, p.proposalFee) = (p.proposalFee, uint96(value));
        else if (param == Param.MaxPayloadSize) (oldValue, p.maxPayloadSize) = (p.maxPayloadSize, uint32(value));
        else if (param == Param.MaxProposalsPerRound) {
            (oldValue, p.maxProposalsPerRound) = (p.maxProposalsPerRound, uint16(value));
        } else if (param == Param.QuorumBps) (oldValue, p.quorumBps) = (p.quorumBps, uint16(value));
        else if (param == Param.SupermajorityBps) (oldValue, p.supermajorityBps) = (p.supermajorityBps, uint16(value));
        else if (param == Param.MaxRounds) (oldValue, p.maxRounds) = (p.maxRounds, uint8(value));
        else if (param == Param.MinStake) (oldValue, p.minStake) = (p.minStake, uint96(value));
        else if (param == Param.NonRevealSlashBps) {
            (oldValue, p.nonRevealSlashBps) = (p.nonRevealSlashBps, uint16(value));
        } else if (param == Param.IncoherentSlashBps) {
            (oldValue, p.incoherentSlashBps) = (p.incoherentSlashBps, uint16(value));
        } else if (param == Param.EquivocationSlashBps) {
            (oldValue, p.equivocationSlashBps) = (p.equivocationSlashBps, uint16(value));
        } else if (param == Param.CallbackGasLimit) {
            (oldValue, p.callbackGasLimit) = (p.callbackGasLimit, uint32(value));
        } else {
            revert IOracleGovernance.GovernanceUnknownParameter(uint8(param));
        }
        emit IOracleGovernance.ParameterChanged(name, oldValue, value);
    }

    function _setModelHash(bytes32 newHash) internal {
        ParameterStorage storage $ = _store();
        bytes32 oldHash = $.modelHash;
        $.modelHash = newHash;
        emit IOracleGovernance.ModelHashChanged(oldHash, newHash);
    }

    function _checkRange(bytes32 name, uint256 value, uint256 low, uint256 high) private pure {
        if (value < low || value > high) revert IOracleGovernance.GovernanceInvalidParameter(name, value, low, high);
    }

    function _store() private pure returns (ParameterStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
