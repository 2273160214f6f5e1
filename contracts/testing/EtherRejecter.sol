// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracleVoting} from "../interfaces/IOracleVoting.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";
import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";

/// @title EtherRejecter: a test account that acts on the oracle but refuses incoming ETH
/// @dev Test double only: proves every payout reverts with a named error instead of losing funds.
contract EtherRejecter {
    address public immutable oracle;

    error EtherRejected();

    constructor(address oracle_) {
        oracle = oracle_;
    }

    receive() external payable {
        revert EtherRejected();
    }

    function stake() external payable {
        IValidatorStaking(oracle).stake{value: msg.value}();
    }

    function requestUnstake(uint256 amount) external {
        IValidatorStaking(oracle).requestUnstake(amount);
    }

    function withdraw() external {
        IValidatorStaking(oracle).withdraw();
    }

    function submit(bytes calldata payload) external payable returns (uint256) {
        return IVerdictOracle(oracle).submit{value: msg.value}(payload);
    }

    function claim() external {
        IOracleVoting(oracle).claim();
    }
}
