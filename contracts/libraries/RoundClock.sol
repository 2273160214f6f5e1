// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RoundClock: the one definition of round timing (docs/protocol.md, "Rounds")
/// @notice Round `r` commits in `[genesis + r*D, genesis + (r+1)*D)` and reveals in
/// `[genesis + (r+1)*D, genesis + (r+1)*D + R)`, with D = `roundDuration`, R = `revealDuration`.
/// Every phase check of the oracle and every timing view goes through these functions, so the
/// arithmetic exists once.
library RoundClock {
    /// @dev The oracle's immutable timing, passed around as one value.
    struct Clock {
        uint256 genesis;
        uint256 roundDuration;
        uint256 revealDuration;
    }

    /// @notice The round whose commit phase contains `timestamp` (`timestamp >= genesis`).
    function roundAt(Clock memory clock, uint256 timestamp) internal pure returns (uint64) {
        return uint64((timestamp - clock.genesis) / clock.roundDuration);
    }

    /// @notice Phase boundaries of `round`: commit `[commitStart, revealStart)`, reveal
    /// `[revealStart, revealEnd)`.
    function timing(Clock memory clock, uint64 round)
        internal
        pure
        returns (uint64 commitStart, uint64 revealStart, uint64 revealEnd)
    {
        commitStart = uint64(clock.genesis + uint256(round) * clock.roundDuration);
        revealStart = uint64(commitStart + clock.roundDuration);
        revealEnd = uint64(revealStart + clock.revealDuration);
    }

    /// @notice True while `round` accepts commits.
    function inCommitPhase(Clock memory clock, uint64 round, uint256 timestamp) internal pure returns (bool) {
        (uint64 commitStart, uint64 revealStart,) = timing(clock, round);
        return timestamp >= commitStart && timestamp < revealStart;
    }

    /// @notice True while `round` accepts reveals.
    function inRevealPhase(Clock memory clock, uint64 round, uint256 timestamp) internal pure returns (bool) {
        (, uint64 revealStart, uint64 revealEnd) = timing(clock, round);
        return timestamp >= revealStart && timestamp < revealEnd;
    }

    /// @notice True once `round`'s reveal phase has ended (finalize without early decision, settle).
    function revealOver(Clock memory clock, uint64 round, uint256 timestamp) internal pure returns (bool) {
        (,, uint64 revealEnd) = timing(clock, round);
        return timestamp >= revealEnd;
    }
}
