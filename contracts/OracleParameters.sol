// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ParameterState} from "./base/ParameterState.sol";
import {IOracleGovernance} from "./interfaces/IOracleGovernance.sol";
import {IVerdictOracle} from "./interfaces/IVerdictOracle.sol";

/// @title OracleParameters: the owner's setters over {ParameterState}
/// @notice Every mutable parameter goes through one range-checked internal setter
/// ({ParameterState-_setParameter}), used by the constructor and by the owner's {setParameter} alike,
/// so the same limits hold from deployment on and every value ever in force was announced by a
/// `ParameterChanged` event. The getters other than the dApp's are in {IOracleViews}.
/// @dev It inherits the dApp interface only to implement its parameter getters.
abstract contract OracleParameters is ParameterState, Ownable2Step, IOracleGovernance, IVerdictOracle {
    /// @notice Deployment configuration; amounts in wei, durations in the clock's unit (seconds,
    /// or blocks under the block clock), rates in bps. `clockMode`: CLOCK_TIMESTAMP (0) or
    /// CLOCK_BLOCKNUMBER (1), see {ParameterState-_clockIsBlockNumber}.
    struct OracleConfig {
        uint256 roundDuration;
        uint256 revealDuration;
        uint256 unbondingPeriod;
        uint256 clockMode;
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
        uint256 callbackGasPrice;
        bytes32 modelHash;
    }

    constructor(OracleConfig memory config, address initialOwner)
        ParameterState(
            Timing({
                genesis: _clockReadingOf(config.clockMode),
                roundDuration: config.roundDuration,
                revealDuration: config.revealDuration,
                unbondingPeriod: config.unbondingPeriod,
                clockIsBlockNumber: config.clockMode == CLOCK_BLOCKNUMBER
            })
        )
        Ownable(initialOwner)
    {
        // In `Param`'s order (a new parameter is added to both); each value goes through the one
        // range-checked setter, as the owner's changes do.
        uint256[12] memory values = [
            config.proposalFee, config.maxPayloadSize, config.maxProposalsPerRound, config.quorumBps,
            config.supermajorityBps, config.maxRounds, config.minStake, config.nonRevealSlashBps,
            config.incoherentSlashBps, config.equivocationSlashBps, config.callbackGasLimit, config.callbackGasPrice
        ];
        for (uint256 i; i < values.length; ++i) {
            _setParameter(Param(i), values[i]);
        }
        _setModelHash(config.modelHash);
    }

    /// @inheritdoc IOracleGovernance
    /// @dev The set in force is archived first, so rounds already opened keep deciding and
    /// settling under it (see {ParameterState}).
    function setParameter(uint8 param, uint256 value) external onlyOwner {
        if (param > uint8(type(Param).max)) revert GovernanceUnknownParameter(param);
        _newVersion();
        _setParameter(Param(param), value);
    }

    /// @inheritdoc IOracleGovernance
    function setModelHash(bytes32 newHash) external onlyOwner {
        _setModelHash(newHash);
    }

    /// @inheritdoc IVerdictOracle
    function proposalFee() external view returns (uint256) {
        return _parameters().proposalFee;
    }

    /// @inheritdoc IVerdictOracle
    function maxPayloadSize() external view returns (uint256) {
        return _parameters().maxPayloadSize;
    }

    /// @inheritdoc IVerdictOracle
    function modelHash() external view returns (bytes32) {
        return _modelHash();
    }
}
