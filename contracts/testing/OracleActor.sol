// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracleVoting} from "../interfaces/IOracleVoting.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";
import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";

/// @title OracleActor: a contract account that stakes, submits and claims at the oracle
/// @notice The forwarding calls the hostile test doubles ({AttackerReentrant}, {EtherRejecter})
/// share; each double adds only how it receives ETH and callbacks.
/// @dev Test double base only; never deployed by `ape run deploy`.
abstract contract OracleActor {
    /// @notice The oracle this account acts on.
    address public immutable oracle;

    constructor(address oracle_) {
        oracle = oracle_;
    }

    /// @notice Submit `payload` with `msg.value` as the fee.
    function submit(bytes calldata payload) external payable returns (uint256) {
        return IVerdictOracle(oracle).submit{value: msg.value}(payload);
    }

    /// @notice Stake `msg.value` as a validator.
    function stake() external payable {
        IValidatorStaking(oracle).stake{value: msg.value}();
    }

    /// @notice Start unbonding `amount` wei of stake.
    function requestUnstake(uint256 amount) external {
        IValidatorStaking(oracle).requestUnstake(amount);
    }

    /// @notice Withdraw unbonded stake (the oracle pays this contract).
    function withdraw() external {
        IValidatorStaking(oracle).withdraw();
    }

    /// @notice Claim rewards and refunds (the oracle pays this contract).
    function claim() external {
        IOracleVoting(oracle).claim();
    }
}
