// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {IVerdictCallback} from "../interfaces/IVerdictCallback.sol";

/// @title CallbackDeposit: who is called back, and what the callback's gas costs its requester
/// @notice The one definition that {VerdictOracle-submit} charges and the `quoteSubmit` view
/// quotes (docs/protocol.md, "Callback deposit"). A requester that is called back prepays
/// `callbackGasLimit x callbackGasPrice` (both parameters in force at submit) on top of the
/// proposal fee; the account that finalizes the proposal, and so sends the gas of the callback,
/// is credited that deposit.
/// @dev A governance-set price rather than `block.basefee`: the callback runs rounds after the
/// submit, so the submit block's base fee says nothing about the finalize block's, a quote that
/// moved every block could not be sent exactly from off chain, and a chain with a base fee of 0
/// (Anvil, Ganache) would make the deposit 0.
library CallbackDeposit {
    /// @dev Decided once per proposal, at submit: a contract that reports {IVerdictCallback}
    /// through ERC-165. An account without code is never called (nor charged).
    function wanted(address requester) internal view returns (bool) {
        return requester.code.length != 0
            && ERC165Checker.supportsInterface(requester, type(IVerdictCallback).interfaceId);
    }

    /// @dev The deposit of a callback with `gasLimit` gas at `gasPrice` wei per gas. Below 2^80
    /// by the parameters' ranges (gas <= 2,000,000, price <= 10^15).
    function amount(uint256 gasLimit, uint256 gasPrice) internal pure returns (uint256) {
        return gasLimit * gasPrice;
    }
}
