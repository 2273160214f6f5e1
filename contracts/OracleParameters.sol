// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IOracleGovernance} from "./interfaces/IOracleGovernance.sol";
import {IValidatorStaking} from "./interfaces/IValidatorStaking.sol";
import {IVerdictOracle} from "./interfaces/IVerdictOracle.sol";

/// @title OracleParameters: immutable timing and owner-tuned parameters of the oracle
/// @notice Every mutable parameter goes through one range-checked internal setter, used by the
/// constructor and by the owner's setters alike, so the same limits hold from deployment on and
/// every value ever in force was announced by a `ParameterChanged` event.
/// @dev It inherits the dApp and staking interfaces only to implement their parameter getters.
abstract contract OracleParameters is Ownable2Step, IOracleGovernance, IVerdictOracle, IValidatorStaking {
    /// @notice Deployment configuration; amounts in wei, durations in seconds, rates in bps.
    struct OracleConfig {
        uint256 roundDuration;
        uint256 revealDuration;
        uint256 unbondingPeriod;
        uint256 proposalFee;
        uint256 maxPayloadSize;
        uint256 maxProposalsPerRound;
        uint256 quorumBps;
        uint256 supermajorityBps;
        uint256 maxRounds;
        uint256 minStake;
        uint256 nonRevealSlashBps;
        uint256 incoherentSlashBps;
        uint256 equivocationSlashBps;
        uint256 callbackGasLimit;
        bytes32 modelHash;
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

    uint256 internal constant MAX_BPS = 10_000;
    /// @dev Bounds every per-round loop (reveal, settle, roundProposals).
    uint256 internal constant MAX_PROPOSALS_PER_ROUND = 1024;
    uint256 internal constant MAX_PAYLOAD_SIZE = 65_536;
    uint256 internal constant MIN_CALLBACK_GAS = 10_000;
    uint256 internal constant MAX_CALLBACK_GAS = 2_000_000;

    /// @inheritdoc IOracleGovernance
    uint256 public immutable override roundDuration;
    /// @inheritdoc IOracleGovernance
    uint256 public immutable override revealDuration;
    /// @inheritdoc IOracleGovernance
    uint256 public immutable override genesis;
    /// @inheritdoc IValidatorStaking
    uint256 public immutable unbondingPeriod;

    Parameters internal _params;
    /// @inheritdoc IVerdictOracle
    bytes32 public modelHash;

    constructor(OracleConfig memory config, address initialOwner) Ownable(initialOwner) {
        if (config.roundDuration == 0 || config.roundDuration > type(uint32).max) {
            revert GovernanceInvalidParameter("roundDuration", config.roundDuration);
        }
        // 0 < R <= D keeps at most two rounds' phases overlapping (reveal r with commit r+1).
        if (config.revealDuration == 0 || config.revealDuration > config.roundDuration) {
            revert GovernanceInvalidParameter("revealDuration", config.revealDuration);
        }
        // Stake that voted must still be bonded when its round's reveal phase ends.
        if (
            config.unbondingPeriod <= config.roundDuration + config.revealDuration
                || config.unbondingPeriod > type(uint32).max
        ) revert GovernanceInvalidParameter("unbondingPeriod", config.unbondingPeriod);
        roundDuration = config.roundDuration;
        revealDuration = config.revealDuration;
        unbondingPeriod = config.unbondingPeriod;
        genesis = block.timestamp;

        _setParameter("proposalFee", config.proposalFee);
        _setParameter("maxPayloadSize", config.maxPayloadSize);
        _setParameter("maxProposalsPerRound", config.maxProposalsPerRound);
        _setParameter("quorumBps", config.quorumBps);
        _setParameter("supermajorityBps", config.supermajorityBps);
        _setParameter("maxRounds", config.maxRounds);
        _setParameter("minStake", config.minStake);
        _setParameter("nonRevealSlashBps", config.nonRevealSlashBps);
        _setParameter("incoherentSlashBps", config.incoherentSlashBps);
        _setParameter("equivocationSlashBps", config.equivocationSlashBps);
        _setParameter("callbackGasLimit", config.callbackGasLimit);
        _setModelHash(config.modelHash);
    }

    /// @inheritdoc IOracleGovernance
    function setProposalFee(uint256 value) external onlyOwner {
        _setParameter("proposalFee", value);
    }

    /// @inheritdoc IOracleGovernance
    function setMaxPayloadSize(uint256 value) external onlyOwner {
        _setParameter("maxPayloadSize", value);
    }

    /// @inheritdoc IOracleGovernance
    function setMaxProposalsPerRound(uint256 value) external onlyOwner {
        _setParameter("maxProposalsPerRound", value);
    }

    /// @inheritdoc IOracleGovernance
    function setQuorumBps(uint256 value) external onlyOwner {
        _setParameter("quorumBps", value);
    }

    /// @inheritdoc IOracleGovernance
    function setSupermajorityBps(uint256 value) external onlyOwner {
        _setParameter("supermajorityBps", value);
    }

    /// @inheritdoc IOracleGovernance
    function setMaxRounds(uint256 value) external onlyOwner {
        _setParameter("maxRounds", value);
    }

    /// @inheritdoc IOracleGovernance
    function setMinStake(uint256 value) external onlyOwner {
        _setParameter("minStake", value);
    }

    /// @inheritdoc IOracleGovernance
    function setNonRevealSlashBps(uint256 value) external onlyOwner {
        _setParameter("nonRevealSlashBps", value);
    }

    /// @inheritdoc IOracleGovernance
    function setIncoherentSlashBps(uint256 value) external onlyOwner {
        _setParameter("incoherentSlashBps", value);
    }

    /// @inheritdoc IOracleGovernance
    function setEquivocationSlashBps(uint256 value) external onlyOwner {
        _setParameter("equivocationSlashBps", value);
    }

    /// @inheritdoc IOracleGovernance
    function setCallbackGasLimit(uint256 value) external onlyOwner {
        _setParameter("callbackGasLimit", value);
    }

    /// @inheritdoc IOracleGovernance
    function setModelHash(bytes32 newHash) external onlyOwner {
        _setModelHash(newHash);
    }

    /// @inheritdoc IVerdictOracle
    function proposalFee() public view returns (uint256) {
        return _params.proposalFee;
    }

    /// @inheritdoc IVerdictOracle
    function maxPayloadSize() public view returns (uint256) {
        return _params.maxPayloadSize;
    }

    /// @inheritdoc IValidatorStaking
    function minStake() public view returns (uint256) {
        return _params.minStake;
    }

    /// @inheritdoc IOracleGovernance
    function maxProposalsPerRound() external view returns (uint256) {
        return _params.maxProposalsPerRound;
    }

    /// @inheritdoc IOracleGovernance
    function quorumBps() external view returns (uint256) {
        return _params.quorumBps;
    }

    /// @inheritdoc IOracleGovernance
    function supermajorityBps() external view returns (uint256) {
        return _params.supermajorityBps;
    }

    /// @inheritdoc IOracleGovernance
    function maxRounds() external view returns (uint256) {
        return _params.maxRounds;
    }

    /// @inheritdoc IOracleGovernance
    function nonRevealSlashBps() external view returns (uint256) {
        return _params.nonRevealSlashBps;
    }

    /// @inheritdoc IOracleGovernance
    function incoherentSlashBps() external view returns (uint256) {
        return _params.incoherentSlashBps;
    }

    /// @inheritdoc IOracleGovernance
    function equivocationSlashBps() external view returns (uint256) {
        return _params.equivocationSlashBps;
    }

    /// @inheritdoc IOracleGovernance
    function callbackGasLimit() external view returns (uint256) {
        return _params.callbackGasLimit;
    }

    /// @dev One place that knows each parameter's range and slot; unknown names revert.
    function _setParameter(bytes32 name, uint256 value) internal {
        uint256 oldValue;
        Parameters storage p = _params;
        if (name == "proposalFee") {
            _checkRange(name, value, 0, type(uint96).max);
            (oldValue, p.proposalFee) = (p.proposalFee, uint96(value));
        } else if (name == "minStake") {
            _checkRange(name, value, 1, type(uint96).max);
            (oldValue, p.minStake) = (p.minStake, uint96(value));
        } else if (name == "maxPayloadSize") {
            _checkRange(name, value, 1, MAX_PAYLOAD_SIZE);
            (oldValue, p.maxPayloadSize) = (p.maxPayloadSize, uint32(value));
        } else if (name == "callbackGasLimit") {
            _checkRange(name, value, MIN_CALLBACK_GAS, MAX_CALLBACK_GAS);
            (oldValue, p.callbackGasLimit) = (p.callbackGasLimit, uint32(value));
        } else if (name == "maxProposalsPerRound") {
            _checkRange(name, value, 1, MAX_PROPOSALS_PER_ROUND);
            (oldValue, p.maxProposalsPerRound) = (p.maxProposalsPerRound, uint16(value));
        } else if (name == "quorumBps") {
            _checkRange(name, value, 1, MAX_BPS);
            (oldValue, p.quorumBps) = (p.quorumBps, uint16(value));
        } else if (name == "supermajorityBps") {
            // Above one half, so two classes can never both win and a tie never wins.
            _checkRange(name, value, MAX_BPS / 2 + 1, MAX_BPS);
            (oldValue, p.supermajorityBps) = (p.supermajorityBps, uint16(value));
        } else if (name == "maxRounds") {
            _checkRange(name, value, 1, type(uint8).max);
            (oldValue, p.maxRounds) = (p.maxRounds, uint8(value));
        } else if (name == "nonRevealSlashBps") {
            _checkRange(name, value, 0, MAX_BPS);
            (oldValue, p.nonRevealSlashBps) = (p.nonRevealSlashBps, uint16(value));
        } else if (name == "incoherentSlashBps") {
            _checkRange(name, value, 0, MAX_BPS);
            (oldValue, p.incoherentSlashBps) = (p.incoherentSlashBps, uint16(value));
        } else {
            // The only name left: "equivocationSlashBps" (callers pass literals).
            _checkRange(name, value, 0, MAX_BPS);
            (oldValue, p.equivocationSlashBps) = (p.equivocationSlashBps, uint16(value));
        }
        emit ParameterChanged(name, oldValue, value);
    }

    function _setModelHash(bytes32 newHash) internal {
        bytes32 oldHash = modelHash;
        modelHash = newHash;
        emit ModelHashChanged(oldHash, newHash);
    }

    function _checkRange(bytes32 name, uint256 value, uint256 low, uint256 high) private pure {
        if (value < low || value > high) revert GovernanceInvalidParameter(name, value);
    }
}
