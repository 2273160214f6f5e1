// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracleGovernance} from "../interfaces/IOracleGovernance.sol";
import {RoundClock} from "../libraries/RoundClock.sol";
import {OracleClock} from "./OracleClock.sol";

/// @title ParameterState: the oracle's timing and tunable parameters, with their ranges
/// @notice Holds the immutable round timing and the owner-tuned parameters in one storage
/// struct at a fixed slot, and the one table that knows each parameter's name, range and
/// slot. Inherited by the oracle (which writes through {_setParameter}) and by its view
/// extension (which only reads), so both see the same layout whatever else they inherit.
/// @dev Storage is private; derived contracts read a memory copy with {_parameters}.
/// Versions: every owner change ({_newVersion} then {_setParameter}) archives the set in force
/// under its version number and bumps `version`; a round records the version in force when its
/// first proposal joined and is decided and settled under {_parametersOf} that version, so a
/// change applies only to rounds opened after it (docs/protocol.md, "Governance").
abstract contract ParameterState is OracleClock {
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
        CallbackGasLimit,
        CallbackGasPrice
    }

    /// @dev Packed in two slots:
    /// slot A: | proposalFee 96 | minStake 96 | maxPayloadSize 32 | callbackGasLimit 32 |
    /// slot B: | maxProposalsPerRound 16 | quorumBps 16 | supermajorityBps 16 | maxRounds 8 |
    ///         | nonRevealSlashBps 16 | incoherentSlashBps 16 | equivocationSlashBps 16 |
    ///         | version 32 | callbackGasPrice 64 | free 56 |
    /// `version` counts owner changes (0: the constructor's set); it is not a parameter.
    /// `callbackGasPrice` (wei per gas) prices the callback deposit ({CallbackDeposit}).
    /// A field added here must get its place in {_row} and, past slot B, PARAMETER_SLOTS.
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
        uint32 version;
        uint64 callbackGasPrice;
    }

    struct ParameterStorage {
        Parameters params;
        bytes32 modelHash;
        /// @dev Every superseded set, by its version; rounds opened under it still read it.
        mapping(uint256 version => Parameters) archived;
    }

    /// @dev The fixed first slot of this contract's storage (see {OracleLedger} on why a small number).
    uint256 private constant STORAGE_SLOT = 0x100;
    /// @dev Storage words of {Parameters} (its layout comment); {_newVersion} copies this many.
    uint256 private constant PARAMETER_SLOTS = 2;

    uint256 internal constant MAX_BPS = 10_000;
    /// @dev `OracleConfig.clockMode` values: block timestamps (seconds) or block numbers (blocks).
    uint256 internal constant CLOCK_TIMESTAMP = 0;
    uint256 internal constant CLOCK_BLOCKNUMBER = 1;
    /// @dev Bounds every per-round loop (reveal, settle, roundProposals).
    uint256 internal constant MAX_PROPOSALS_PER_ROUND = 1024;
    uint256 internal constant MAX_PAYLOAD_SIZE = 65_536;
    uint256 internal constant MIN_CALLBACK_GAS = 10_000;
    uint256 internal constant MAX_CALLBACK_GAS = 2_000_000;
    /// @dev 10^15 wei (10^6 gwei) per gas: far above any fee market seen, and low enough that
    /// a deposit (at most MAX_CALLBACK_GAS of it, 2,000 ETH) fits its uint80 proposal field.
    uint256 internal constant MAX_CALLBACK_GAS_PRICE = 1e15;

    /// @dev Round timing and the unbonding period never change after deployment.
    uint256 internal immutable _genesis;
    uint256 internal immutable _roundDuration;
    uint256 internal immutable _revealDuration;
    uint256 internal immutable _unbondingPeriod;

    /// @dev What the oracle's constructor fixes and hands to its view extension and its
    /// equivocation module, so all three read the same immutables.
    struct Timing {
        uint256 genesis;
        uint256 roundDuration;
        uint256 revealDuration;
        uint256 unbondingPeriod;
        bool clockIsBlockNumber;
    }

    /// @dev Checks the timing once, here, for the oracle and its view extension alike.
    constructor(Timing memory timing_) OracleClock(timing_.clockIsBlockNumber) {
        (uint256 genesis_, uint256 roundDuration_, uint256 revealDuration_, uint256 unbondingPeriod_) =
            (timing_.genesis, timing_.roundDuration, timing_.revealDuration, timing_.unbondingPeriod);
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

    /// @dev The timing fixed at deployment, for the contracts the oracle's constructor creates.
    function _timing() internal view returns (Timing memory) {
        return Timing(_genesis, _roundDuration, _revealDuration, _unbondingPeriod, _clockIsBlockNumber);
    }

    /// @dev Now on the clock `mode` names, after checking that it names one (the genesis the
    /// deploying constructor passes).
    function _clockReadingOf(uint256 mode) internal view returns (uint256) {
        _checkRange("clockMode", mode, CLOCK_TIMESTAMP, CLOCK_BLOCKNUMBER);
        return mode == CLOCK_BLOCKNUMBER ? block.number : block.timestamp;
    }


    /// @dev A memory copy of every parameter now in force.
    function _parameters() internal view returns (Parameters memory) {
        return _store().params;
    }

    /// @dev The set that was in force as `version`: the current one, or an archived one.
    /// Returns `current` itself (no copy) when `version` is the current version.
    function _parametersOf(uint32 version, Parameters memory current) internal view returns (Parameters memory) {
        if (version == current.version) return current;
        return _store().archived[version];
    }

    /// @dev What a join needs of the set in force (room per round, version), without a copy.
    function _roomAndVersion() internal view returns (uint256 room, uint32 version) {
        Parameters storage p = _store().params;
        return (p.maxProposalsPerRound, p.version);
    }

    /// @dev Start a new version before an owner change: archive the set in force, bump `version`.
    function _newVersion() internal {
        ParameterStorage storage $ = _store();
        Parameters storage current = $.params;
        uint32 version = current.version;
        Parameters storage archive = $.archived[version];
        // A raw copy of the struct's PARAMETER_SLOTS words: far less bytecode than Solidity's
        // field-by-field struct copy.
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, PARAMETER_SLOTS) { i := add(i, 1) } {
                sstore(add(archive.slot, i), sload(add(current.slot, i)))
            }
        }
        current.version = version + 1;
    }

    function _modelHash() internal view returns (bytes32) {
        return _store().modelHash;
    }

    /// @dev The round whose commit phase is now.
    function _currentRound() internal view returns (uint64) {
        return RoundClock.roundAt(_genesis, _roundDuration, _clock());
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

    /// @dev Name, allowed range and storage place of each parameter: the one table the
    /// constructor, {_setParameter} and the `GovernanceInvalidParameter` error read. The place is
    /// where Solidity packs the field in {Parameters} (fields fill each slot from the low-order
    /// bits up): `word` 0 or 1 (slot A or B), then `offset` and `bits` within it. Every row is
    /// checked by tests/contracts/test_governance.py, which sets each parameter and reads the
    /// whole struct back.
    function _row(Param param)
        internal
        pure
        returns (bytes32 name, uint256 low, uint256 high, uint256 word, uint256 offset, uint256 bits)
    {
        // Above zero: a free proposal would make spam cost only gas.
        if (param == Param.ProposalFee) return ("proposalFee", 1, type(uint96).max, 0, 0, 96);
        if (param == Param.MinStake) return ("minStake", 1, type(uint96).max, 0, 96, 96);
        if (param == Param.MaxPayloadSize) return ("maxPayloadSize", 1, MAX_PAYLOAD_SIZE, 0, 192, 32);
        if (param == Param.CallbackGasLimit) {
            return ("callbackGasLimit", MIN_CALLBACK_GAS, MAX_CALLBACK_GAS, 0, 224, 32);
        }
        if (param == Param.MaxProposalsPerRound) {
            return ("maxProposalsPerRound", 1, MAX_PROPOSALS_PER_ROUND, 1, 0, 16);
        }
        if (param == Param.QuorumBps) return ("quorumBps", 1, MAX_BPS, 1, 16, 16);
        // Above one half, so two classes can never both win and a tie never wins.
        if (param == Param.SupermajorityBps) return ("supermajorityBps", MAX_BPS / 2 + 1, MAX_BPS, 1, 32, 16);
        if (param == Param.MaxRounds) return ("maxRounds", 1, type(uint8).max, 1, 48, 8);
        if (param == Param.NonRevealSlashBps) return ("nonRevealSlashBps", 0, MAX_BPS, 1, 56, 16);
        if (param == Param.IncoherentSlashBps) return ("incoherentSlashBps", 0, MAX_BPS, 1, 72, 16);
        if (param == Param.EquivocationSlashBps) return ("equivocationSlashBps", 0, MAX_BPS, 1, 88, 16);
        // Above zero: the deposit must pay the finalizer even where the base fee is 0 (Anvil).
        if (param == Param.CallbackGasPrice) {
            return ("callbackGasPrice", 1, MAX_CALLBACK_GAS_PRICE, 1, 136, 64);
        }
        // Unreachable while every enum member has a row; a new member without one reverts here.
        revert IOracleGovernance.GovernanceUnknownParameter(uint8(param));
    }

    /// @dev The one write path of every parameter: range check, store, `ParameterChanged`.
    /// One masked write at the row's place instead of a branch per field (bytecode room).
    function _setParameter(Param param, uint256 value) internal {
        (bytes32 name, uint256 low, uint256 high, uint256 word, uint256 offset, uint256 bits) = _row(param);
        _checkRange(name, value, low, high);
        uint256 slot = STORAGE_SLOT + word;
        uint256 mask = (1 << bits) - 1;
        uint256 oldValue;
        // The range check above keeps `value` within the field's `bits` (every `high` fits).
        assembly ("memory-safe") {
            let packed := sload(slot)
            oldValue := and(shr(offset, packed), mask)
            sstore(slot, or(and(packed, not(shl(offset, mask))), shl(offset, value)))
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
