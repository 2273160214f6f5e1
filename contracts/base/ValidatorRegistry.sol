// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleClock} from "./OracleClock.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";

/// @title ValidatorRegistry: who validates, which key signs for it, and what it still owes
/// @notice Operators (cold keys), their signers (hot keys), the unbonding deadline and the count
/// of committed ballots not yet settled (the exit lock). The stake itself is in {OracleLedger}.
/// @dev State is private, at a fixed slot: the oracle reaches it only through the
/// hooks below, and the view extension reads the same layout.
abstract contract ValidatorRegistry is OracleClock {
    /// @dev One slot: | signer 160 | withdrawableAt 48 | openBallots 32 | free 16 |
    struct ValidatorRecord {
        address signer;
        uint48 withdrawableAt;
        uint32 openBallots;
    }

        struct RegistryStorage {
        mapping(address validator => ValidatorRecord) validators;
        mapping(address signer => address operator) operators;
        /// @dev When each signer stopped being its operator's current signer (0: never rotated
        /// out). Equivocation proofs by a retired signer count only for a grace period.
        mapping(address signer => uint48 retiredAt) signerRetiredAt;
    }

    /// @dev The fixed first slot of this contract's storage (see {OracleLedger} on why a small number).
    uint256 private constant STORAGE_SLOT = 0x300;

    // ------------------------------------------------------------------ reads

    /// @dev The validator's signer key; zero when `validator` never staked.
    function _signerOf(address validator) internal view returns (address) {
        return _registry().validators[validator].signer;
    }

    /// @dev The operator `signer` belongs to (an operator is its own first signer); zero if none.
    function _operatorOf(address signer) internal view returns (address) {
        return _registry().operators[signer];
    }

    /// @dev When `signer` was last rotated out of its operator's current signer; 0 if never.
    /// Meaningful only while `signer` is not its operator's current signer again.
    function _signerRetiredAt(address signer) internal view returns (uint48) {
        return _registry().signerRetiredAt[signer];
    }

    function _withdrawableAt(address validator) internal view returns (uint48) {
        return _registry().validators[validator].withdrawableAt;
    }

    function _openBallots(address validator) internal view returns (uint32) {
        return _registry().validators[validator].openBallots;
    }

    // ------------------------------------------------------------------ writes

    /// @dev Bind `signer` to `operator` for good and make it the operator's current signer.
    /// A signer serves one operator forever, so an old signature always names one validator.
    function _bindSigner(address operator, address signer) internal {
        RegistryStorage storage $ = _registry();
        address owner_ = $.operators[signer];
        if (owner_ != address(0) && owner_ != operator) revert IValidatorStaking.StakingSignerTaken(signer, owner_);
        $.operators[signer] = operator;
        address previous = $.validators[operator].signer;
        // Rotation end: the old key's signatures stop counting a grace period from now.
        if (previous != address(0) && previous != signer) $.signerRetiredAt[previous] = uint48(_clock());
        $.validators[operator].signer = signer;
        emit IValidatorStaking.SignerSet(operator, signer);
    }

    function _setWithdrawableAt(address validator, uint256 timestamp) internal {
        _registry().validators[validator].withdrawableAt = uint48(timestamp);
    }

    /// @dev A ballot was committed: the validator cannot withdraw until it is settled.
    function _openBallot(address validator) internal {
        _registry().validators[validator].openBallots += 1;
    }

    /// @dev A ballot was settled (rewarded or slashed): one exit lock less.
    function _closeBallot(address validator) internal {
        _registry().validators[validator].openBallots -= 1;
    }

    function _registry() private pure returns (RegistryStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
