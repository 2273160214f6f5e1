// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleActor} from "./OracleActor.sol";

/// @title EtherRejecter: a test account that acts on the oracle but refuses incoming ETH
/// @dev Test double only: proves every payout reverts with a named error instead of losing funds.
contract EtherRejecter is OracleActor {
    error EtherRejected();

    constructor(address oracle_) OracleActor(oracle_) {}

    receive() external payable {
        revert EtherRejected();
    }
}
