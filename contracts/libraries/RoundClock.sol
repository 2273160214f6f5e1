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

    /// @notice Commit phase of `round`: `[start, end)`.
    function commitPhase(Clock memory clock, uint64 round) internal pure returns (uint256 start, uint256 end) {
        start = clock.genesis + uint256(round) * clock.roundDuration;
        end = start + clock.roundDuration;
    }

    /// @notice Reveal phase of `round`: `[start, end)`; it begins where the commit phase ends.
    function revealPhase(Clock memory clock, uint64 round) internal pure returns (uint256 start, uint256 end) {
        start = clock.genesis + (uint256(round) + 1) * clock.roundDuration;
        end = start + clock.revealDuration;
    }

    /// @notice The end of `round`'s reveal phase (finalization without early decision, settlement).
    function revealEnd(Clock memory clock, uint64 round) internal pure returns (uint256) {
        return clock.genesis + (uint256(round) + 1) * clock.roundDuration + clock.revealDuration;
    }

    /// @notice Phase boundaries of `round` as the `roundTiming` view reports them.
    /// @dev Truncated to uint64 like the view's ABI; a round whose timestamps pass 2^64 is
    /// ~5.8e11 years away.
    function timing(Clock memory clock, uint64 round)
        internal
        pure
        returns (uint64 commitStart, uint64 revealStart, uint64 revealEnd_)
    {
        (uint256 start, uint256 end) = revealPhase(clock, round);
        return (uint64(start - clock.roundDuration), uint64(start), uint64(end));
    }

    /// @notice True while `round` accepts commits.
    function inCommitPhase(Clock memory clock, uint64 round, uint256 timestamp) internal pure returns (bool) {
        (uint256 start, uint256 end) = commitPhase(clock, round);
        return timestamp >= start && timestamp < end;
    }

    /// @notice True while `round` accepts reveals.
    function inRevealPhase(Clock memory clock, uint64 round, uint256 timestamp) internal pure returns (bool) {
        (uint256 start, uint256 end) = revealPhase(clock, round);
        return timestamp >= start && timestamp < end;
    }

    /// @notice True once `round`'s reveal phase has ended.
    function revealOver(Clock memory clock, uint64 round, uint256 timestamp) internal pure returns (bool) {
        return timestamp >= revealEnd(clock, round);
    }
}
