// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title IVerdictCallback: implemented by requesters that want the verdict pushed to them
/// @notice The oracle checks ERC-165 support for this interface once, at {IVerdictOracle-submit},
/// and calls {onVerdict} when the proposal reaches a final status.
/// @dev The call carries at most `callbackGasLimit` gas and its failure is ignored by the
/// oracle, so keep it cheap: record the outcome and act on it in a later transaction.
interface IVerdictCallback is IERC165 {
    /// @notice Called by the oracle when proposal `id` is `Finalized` or `NoConsensus`.
    /// @param id The proposal id returned by `submit`.
    /// @param status `uint8(IVerdictOracle.Status)`: 2 Finalized, 3 NoConsensus.
    /// @param verdict The consensus class when finalized (0 legal), else 0.
    function onVerdict(uint256 id, uint8 status, uint8 verdict) external;
}
