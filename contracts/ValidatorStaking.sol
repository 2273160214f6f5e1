// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {OracleReentrancyGuard} from "reentrancy-guard/OracleReentrancyGuard.sol";
import {OracleParameters} from "./OracleParameters.sol";
import {OracleLedger} from "./base/OracleLedger.sol";
import {ValidatorRegistry} from "./base/ValidatorRegistry.sol";
import {IValidatorStaking} from "./interfaces/IValidatorStaking.sol";

/// @title ValidatorStaking: the validator entry points (stake, signer, unstake, withdraw)
/// @notice Abstract: the deployable oracle inherits it, so one contract holds all ETH and a
/// slash is a bookkeeping move into the slashed reserve, not a transfer between contracts.
/// The stake is kept by {OracleLedger} (checkpointed by timestamp, so past stake is readable
/// at any round snapshot) and the keys and exit locks by {ValidatorRegistry}; this contract
/// holds no state of its own and applies the staking rules (minimum, 96-bit cap, unbonding).
abstract contract ValidatorStaking is
    OracleParameters,
    OracleLedger,
    ValidatorRegistry,
    OracleReentrancyGuard,
    IValidatorStaking
{
    /// @dev EIP-712 type of the signer key's consent to serve `operator` (docs/protocol.md).
    bytes32 private constant SIGNER_ACCEPTANCE_TYPEHASH =
        keccak256("SignerAcceptance(address operator,address signer,uint256 deadline)");

    /// @inheritdoc IValidatorStaking
    function stake() external payable {
        if (msg.value == 0) revert StakingZeroAmount();
        // The first stake registers the operator as its own signer.
        if (_signerOf(msg.sender) == address(0)) _bindSigner(msg.sender, msg.sender);
        uint256 active = _depositStake(msg.sender, msg.value);
        uint256 minimum = _parameters().minStake;
        if (active < minimum) revert StakingBelowMinimum(active, minimum);
        if (active > type(uint96).max) revert StakingAmountTooLarge(active);
        emit Staked(msg.sender, msg.value, active);
    }

    /// @inheritdoc IValidatorStaking
    function setSigner(address signer, uint256 deadline, bytes calldata acceptance) external {
        if (_signerOf(msg.sender) == address(0)) revert StakingNotValidator(msg.sender);
        if (signer == address(0)) revert StakingZeroSigner();
        // A binding is permanent, so the key must consent: otherwise anyone could bind any
        // address to itself and bar it from ever staking. The operator's own key consents by
        // sending this transaction.
        if (signer != msg.sender) {
            if (block.timestamp > deadline) revert StakingAcceptanceExpired(signer, deadline);
            bytes32 digest =
                _typedDataHash(keccak256(abi.encode(SIGNER_ACCEPTANCE_TYPEHASH, msg.sender, signer, deadline)));
            // A failed recovery yields address(0), which is never `signer` (checked non-zero above).
            // slither-disable-next-line unused-return
            (address recovered,,) = ECDSA.tryRecover(digest, acceptance);
            if (recovered != signer) revert StakingSignerNotAccepted(signer, recovered);
        }
        _bindSigner(msg.sender, signer);
    }

    /// @inheritdoc IValidatorStaking
    function requestUnstake(uint256 amount) external {
        if (_signerOf(msg.sender) == address(0)) revert StakingNotValidator(msg.sender);
        if (amount == 0) revert StakingZeroAmount();
        uint256 active = _activeStake(msg.sender);
        if (amount > active) revert StakingInsufficientActive(amount, active);
        uint256 remaining = active - amount;
        uint256 minimum = _parameters().minStake;
        if (remaining != 0 && remaining < minimum) revert StakingBelowMinimum(remaining, minimum);
        _startUnbonding(msg.sender, amount);
        // Every round joined so far may have snapshotted this stake: it stays until the last of
        // them has revealed (the join cursor may run rounds ahead when rounds are full).
        uint256 withdrawableAt = _clock() + _unbondingPeriod;
        uint256 lastReveal = _lastJoinedRevealEnd();
        if (lastReveal > withdrawableAt) withdrawableAt = lastReveal;
        _setWithdrawableAt(msg.sender, withdrawableAt);
        emit UnstakeRequested(msg.sender, amount, withdrawableAt);
    }

    /// @inheritdoc IValidatorStaking
    function withdraw() external nonReentrant {
        if (_unbondingOf(msg.sender) == 0) revert StakingNothingToWithdraw(msg.sender);
        uint256 withdrawableAt = _withdrawableAt(msg.sender);
        uint256 now_ = _clock();
        if (now_ < withdrawableAt) revert StakingStillUnbonding(withdrawableAt, now_);
        // Unsettled ballots may still be slashed; leaving first would dodge the penalty.
        uint256 open = _openBallots(msg.sender);
        if (open != 0) revert StakingOpenBallots(msg.sender, open);
        uint256 amount = _withdrawUnbonding(msg.sender);
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @dev The EIP-712 digest of `structHash` under the oracle's domain (the oracle is EIP712).
    function _typedDataHash(bytes32 structHash) internal view virtual returns (bytes32);

    /// @dev The end of the reveal phase of the furthest round any proposal has joined (the
    /// voting contract knows its rounds; this contract only applies the deadline).
    function _lastJoinedRevealEnd() internal view virtual returns (uint256);
}
