// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleReentrancyGuard} from "reentrancy-guard/OracleReentrancyGuard.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {OracleParameters} from "./OracleParameters.sol";
import {IValidatorStaking} from "./interfaces/IValidatorStaking.sol";

/// @title ValidatorStaking: the validator registry and the ETH it bonds
/// @notice Abstract: the deployable oracle inherits it, so one contract holds all ETH and a
/// slash is a bookkeeping move into `slashedReserve`, not a transfer between contracts.
/// @dev Active stake lives only in checkpoints (key = timestamp), so past stake is readable at
/// any round snapshot and no second copy can drift from it.
abstract contract ValidatorStaking is OracleParameters, OracleReentrancyGuard {
    using Checkpoints for Checkpoints.Trace208;

    uint8 internal constant SLASH_NON_REVEAL = 0;
    uint8 internal constant SLASH_INCOHERENT = 1;
    uint8 internal constant SLASH_EQUIVOCATION = 2;

    /// @dev slot 0: | signer 160 | withdrawableAt 48 | openBallots 32 | free 16 |
    ///      slot 1: | unbonding 256 |
    struct ValidatorRecord {
        address signer;
        uint48 withdrawableAt;
        uint32 openBallots;
        uint256 unbonding;
    }

    mapping(address validator => ValidatorRecord) internal _validators;
    mapping(address validator => Checkpoints.Trace208) internal _stakes;
    Checkpoints.Trace208 internal _totalStake;
    mapping(address signer => address operator) internal _operators;
    /// @inheritdoc IValidatorStaking
    uint256 public totalUnbonding;
    /// @inheritdoc IValidatorStaking
    uint256 public slashedReserve;

    /// @inheritdoc IValidatorStaking
    function stake() external payable {
        if (msg.value == 0) revert StakingZeroAmount();
        ValidatorRecord storage record = _validators[msg.sender];
        if (record.signer == address(0)) _register(msg.sender, record);
        uint256 active = _stakes[msg.sender].latest() + msg.value;
        if (active < _params.minStake) revert StakingBelowMinimum(active, _params.minStake);
        if (active > type(uint96).max) revert StakingAmountTooLarge(active);
        _writeStake(msg.sender, active, _totalStake.latest() + msg.value);
        emit Staked(msg.sender, msg.value, active);
    }

    /// @inheritdoc IValidatorStaking
    function setSigner(address signer) external {
        ValidatorRecord storage record = _validators[msg.sender];
        if (record.signer == address(0)) revert StakingNotValidator(msg.sender);
        if (signer == address(0)) revert StakingZeroSigner();
        address owner_ = _operators[signer];
        // A signer serves one operator forever, so an old signature always names one validator.
        if (owner_ != address(0) && owner_ != msg.sender) revert StakingSignerTaken(signer, owner_);
        _operators[signer] = msg.sender;
        record.signer = signer;
        emit SignerSet(msg.sender, signer);
    }

    /// @inheritdoc IValidatorStaking
    function requestUnstake(uint256 amount) external {
        ValidatorRecord storage record = _validators[msg.sender];
        if (record.signer == address(0)) revert StakingNotValidator(msg.sender);
        if (amount == 0) revert StakingZeroAmount();
        uint256 active = _stakes[msg.sender].latest();
        if (amount > active) revert StakingInsufficientActive(amount, active);
        uint256 remaining = active - amount;
        if (remaining != 0 && remaining < _params.minStake) revert StakingBelowMinimum(remaining, _params.minStake);
        _writeStake(msg.sender, remaining, _totalStake.latest() - amount);
        record.unbonding += amount;
        totalUnbonding += amount;
        uint256 withdrawableAt = block.timestamp + unbondingPeriod;
        record.withdrawableAt = uint48(withdrawableAt);
        emit UnstakeRequested(msg.sender, amount, withdrawableAt);
    }

    /// @inheritdoc IValidatorStaking
    function withdraw() external nonReentrant {
        ValidatorRecord storage record = _validators[msg.sender];
        uint256 amount = record.unbonding;
        if (amount == 0) revert StakingNothingToWithdraw(msg.sender);
        if (block.timestamp < record.withdrawableAt) {
            revert StakingStillUnbonding(record.withdrawableAt, block.timestamp);
        }
        // Unsettled ballots may still be slashed; leaving first would dodge the penalty.
        if (record.openBallots != 0) revert StakingOpenBallots(msg.sender, record.openBallots);
        record.unbonding = 0;
        totalUnbonding -= amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert StakingTransferFailed(msg.sender, amount);
    }

    /// @inheritdoc IValidatorStaking
    function stakeAt(address validator, uint48 timepoint) external view returns (uint256) {
        return _stakes[validator].upperLookupRecent(timepoint);
    }

    /// @inheritdoc IValidatorStaking
    function totalStakeAt(uint48 timepoint) external view returns (uint256) {
        return _totalStake.upperLookupRecent(timepoint);
    }

    /// @inheritdoc IValidatorStaking
    function validatorInfo(address validator)
        external
        view
        returns (uint256 active, uint256 unbonding, uint64 withdrawableAt, address signer)
    {
        ValidatorRecord storage record = _validators[validator];
        return (_stakes[validator].latest(), record.unbonding, record.withdrawableAt, record.signer);
    }

    /// @inheritdoc IValidatorStaking
    function operatorOf(address signer) external view returns (address) {
        return _operators[signer];
    }

    /// @inheritdoc IValidatorStaking
    function openBallotsOf(address validator) external view returns (uint256) {
        return _validators[validator].openBallots;
    }

    /// @inheritdoc IValidatorStaking
    function totalActive() public view returns (uint256) {
        return _totalStake.latest();
    }

    /// @dev Take up to `amount` from active stake, then from unbonding, into the slashed reserve.
    /// Returns what was actually taken (less than `amount` when the validator has less).
    function _slash(address validator, uint256 amount, uint8 reason) internal returns (uint256 taken) {
        uint256 active = _stakes[validator].latest();
        uint256 fromActive = amount < active ? amount : active;
        if (fromActive != 0) _writeStake(validator, active - fromActive, _totalStake.latest() - fromActive);
        uint256 fromUnbonding = amount - fromActive;
        if (fromUnbonding != 0) {
            ValidatorRecord storage record = _validators[validator];
            if (fromUnbonding > record.unbonding) fromUnbonding = record.unbonding;
            record.unbonding -= fromUnbonding;
            totalUnbonding -= fromUnbonding;
        }
        taken = fromActive + fromUnbonding;
        slashedReserve += taken;
        emit Slashed(validator, taken, reason);
    }

    /// @dev Active plus unbonding: everything still slashable.
    function _bondedStake(address validator) internal view returns (uint256) {
        return _stakes[validator].latest() + _validators[validator].unbonding;
    }

    function _stakeAt(address validator, uint48 timepoint) internal view returns (uint256) {
        return _stakes[validator].upperLookupRecent(timepoint);
    }

    function _totalStakeAt(uint48 timepoint) internal view returns (uint256) {
        return _totalStake.upperLookupRecent(timepoint);
    }

    function _register(address operator, ValidatorRecord storage record) private {
        address owner_ = _operators[operator];
        if (owner_ != address(0) && owner_ != operator) revert StakingSignerTaken(operator, owner_);
        _operators[operator] = operator;
        record.signer = operator;
        emit SignerSet(operator, operator);
    }

    function _writeStake(address validator, uint256 active, uint256 total) private {
        uint48 nowKey = uint48(block.timestamp);
        // The (previous, new) pair push returns is not needed: both values are known here.
        // slither-disable-next-line unused-return
        _stakes[validator].push(nowKey, uint208(active));
        // slither-disable-next-line unused-return
        _totalStake.push(nowKey, uint208(total));
    }
}
