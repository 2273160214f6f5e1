// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title OracleClock: the one clock every time the oracle keeps is read from (ERC-6372)
/// @notice Block numbers or block timestamps, chosen at deployment. Round phases, stake
/// checkpoints and round snapshots, unbonding deadlines, signer retirement, bounty locks and
/// proposal creation are all readings of this clock, and every duration is in its unit (blocks
/// or seconds). A block clock cannot be cut short by a halt: a chain that makes no block for a
/// while delays a phase instead of skipping it, so a validator that sees blocks late still
/// has the phase's blocks to act in (docs/protocol.md, "The clock").
/// @dev Inherited by every state contract that keeps time; {ParameterState}'s constructor sets it.
abstract contract OracleClock {
    /// @dev True: block numbers; false: block timestamps. Immutable, so free to read.
    bool internal immutable _clockIsBlockNumber;

    constructor(bool clockIsBlockNumber_) {
        _clockIsBlockNumber = clockIsBlockNumber_;
    }

    /// @dev Now, on the oracle's clock.
    function _clock() internal view returns (uint256) {
        return _clockIsBlockNumber ? block.number : block.timestamp;
    }
}
