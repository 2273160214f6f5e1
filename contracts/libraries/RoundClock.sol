// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RoundClock: the one definition of round timing (docs/protocol.md, "Rounds")
/// @notice Round `r` commits in `[genesis + r*D, genesis + (r+1)*D)` and reveals in
/// `[genesis + (r+1)*D, genesis + (r+1)*D + R)`, with D = `roundDuration`, R = `revealDuration`.
/// Every phase check of the oracle and every timing view takes its boundaries from here (through
/// `ParameterState`'s wrappers, which pass the immutables), so the arithmetic exists once.
/// @dev Plain value arguments, not a memory struct: `finalizeMany` checks a phase per proposal,
/// and a struct would allocate memory on every check.
library RoundClock {
    /// @notice The round whose commit phase contains `timestamp` (`timestamp >= genesis`).
    function roundAt(uint256 genesis, uint256 roundDuration, uint256 timestamp) internal pure returns (uint64) {
        return uint64((timestamp - genesis) / roundDuration);
    }

    /// @notice Commit phase of `round`: `[start, end)`.
    function commitPhase(uint256 genesis, uint256 roundDuration, uint64 round)
        internal
        pure
        returns (uint256 start, uint256 end)
    {
        start = genesis + uint256(round) * roundDuration;
        end = start + roundDuration;
    }

    /// @notice Reveal phase of `round`: `[start, end)`; it begins where the commit phase ends.
    function revealPhase(uint256 genesis, uint256 roundDuration, uint256 revealDuration, uint64 round)
        internal
        pure
        returns (uint256 start, uint256 end)
    {
        start = genesis + (uint256(round) + 1) * roundDuration;
        end = start + revealDuration;
    }

    /// @notice The end of `round`'s reveal phase (finalization without early decision, settlement).
    function revealEnd(uint256 genesis, uint256 roundDuration, uint256 revealDuration, uint64 round)
        internal
        pure
        returns (uint256)
    {
        return genesis + (uint256(round) + 1) * roundDuration + revealDuration;
    }

    /// @notice Whether `timestamp` lies in the phase `[start, end)`.
    function within(uint256 start, uint256 end, uint256 timestamp) internal pure returns (bool) {
        return timestamp >= start && timestamp < end;
    }
}
