// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {Guard} from "@safe-global/safe-contracts/contracts/base/GuardManager.sol";
import {IOracleSafeGuard} from "../interfaces/IOracleSafeGuard.sol";
import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";

/// @title GuardGasProbe: measures OracleSafeGuard.checkTransaction alone (test double, never deployed)
/// @notice Plays the Safe towards the guard (every caller counts as an owner) and calls
/// `checkTransaction` between two `gasleft()` readings, with the guard's account already warm,
/// so the figure is the hook's own cost and excludes the Safe's cold-call surcharge. The same call
/// to this contract, which lands in its empty `fallback`, is the baseline (a warm CALL and the
/// argument encoding, which any guard costs), reported separately.
contract GuardGasProbe {
    /// @notice One measurement: `gasUsed` by the guard's `checkTransaction`, and `baseline` by the
    /// same call to an empty hook.
    event CheckTransactionGas(uint256 gasUsed, uint256 baseline);

    IOracleSafeGuard public immutable guard;

    constructor(IOracleSafeGuard guard_) {
        guard = guard_;
    }

    receive() external payable {}

    /// @notice Everyone is an owner of this pretend Safe.
    function isOwner(address) external pure returns (bool) {
        return true;
    }

    /// @notice No modules.
    function isModuleEnabled(address) external pure returns (bool) {
        return false;
    }

    /// @notice Accept `modelHash` in the guard, as a Safe would through execTransaction.
    function acceptModel(bytes32 modelHash) external {
        guard.setModelAccepted(modelHash, true);
    }

    /// @notice Run `checkTransaction` for a `Call` of `value` to `to` with a 130-byte signature blob
    /// (two owners, as a 2-of-3 Safe passes it) and emit the gas it used.
    function measure(address to, uint256 value, bytes calldata data) external returns (uint256 gasUsed) {
        guard.policyOf(address(this)); // warm the guard's account: the Safe's cold-call cost is not the hook's
        bytes memory signatures = new bytes(130);
        uint256 baseline = _timed(Guard(address(this)), to, value, data, signatures);
        gasUsed = _timed(Guard(address(guard)), to, value, data, signatures);
        emit CheckTransactionGas(gasUsed, baseline);
    }

    /// @notice The empty hook of the baseline: `checkTransaction` calls to this contract end here.
    fallback() external {}

    function _timed(Guard hook, address to, uint256 value, bytes calldata data, bytes memory signatures)
        private
        returns (uint256)
    {
        uint256 before = gasleft();
        hook.checkTransaction(
            to, value, data, Enum.Operation.Call, 0, 0, 0, address(0), payable(address(0)), signatures, msg.sender
        );
        return before - gasleft();
    }
}
