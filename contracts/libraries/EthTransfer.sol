// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Sending `amount` wei to `to` failed: `to` is a contract that rejects ETH (or its
/// `receive` reverted). The whole transaction reverted, so the amount is still owed: receive
/// it at an address that accepts ETH.
error EthTransferFailed(address to, uint256 amount);

/// @title EthTransfer: the one way this project's contracts pay out ETH
/// @notice The oracle's ledger and the example treasury both pay with {pay}, so a failed
/// payout is the same error, {EthTransferFailed}, wherever it happens.
/// @dev Internal functions only: inlined into each caller, no deployment, no extra call.
library EthTransfer {
    /// @dev Send `amount` wei to `to`, forwarding all gas; revert {EthTransferFailed} if the call
    /// fails. Callers must be reentrancy-guarded or have finished their effects (CEI).
    function pay(address to, uint256 amount) internal {
        (bool ok,) = payable(to).call{value: amount}("");
        if (!ok) revert EthTransferFailed(to, amount);
    }
}
