// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @dev Number of verdict classes (LABELS.md: 0 legal .. 4 malformed), the size of every tally.
/// File-level because Solidity takes a fixed array length only from a literal or a constant it
/// can see unqualified (`uint128[VERDICT_CLASSES]` does not compile); `ConsensusMath.CLASSES`
/// is the same value for code.
uint8 constant VERDICT_CLASSES = 5;

/// @title ConsensusMath: the pure arithmetic of stake-weighted voting
/// @notice Kept apart from storage so the rules can be read, and tested, on their own.
/// All thresholds are in basis points (10000 = 100%).
library ConsensusMath {
    uint256 internal constant BPS = 10_000;
    /// @notice Number of verdict classes; see {VERDICT_CLASSES}.
    uint8 internal constant CLASSES = VERDICT_CLASSES;
    /// @notice The verdict byte of an abstention: the validator does not hold the model pinned
    /// for that proposal (docs/protocol.md, "Abstaining"). A revealed vote that weighs nothing:
    /// no tally, so neither for quorum nor against the leader, no reward, no incoherence slash.
    uint8 internal constant ABSTAIN = type(uint8).max;

    /// @notice The class with the most stake (the lowest class id wins a tie), its stake, and
    /// the total revealed stake.
    function leader(uint120[VERDICT_CLASSES] memory tally)
        internal
        pure
        returns (uint8 verdict, uint256 winningStake, uint256 revealedStake)
    {
        for (uint8 c = 0; c < CLASSES; ++c) {
            uint256 s = tally[c];
            revealedStake += s;
            // Strictly greater: on a tie the lower class id stays the leader; it still needs the
            // supermajority alone, which a tie cannot reach when supermajorityBps > 5000.
            if (s > winningStake) {
                winningStake = s;
                verdict = c;
            }
        }
    }

    /// @notice Enough stake revealed: `revealed >= quorumBps` of `total`, and something was.
    function meetsQuorum(uint256 revealed, uint256 total, uint256 quorumBps) internal pure returns (bool) {
        return revealed > 0 && revealed * BPS >= total * quorumBps;
    }

    /// @notice The leader holds at least `supermajorityBps` of `revealed` (and is not empty).
    function hasSupermajority(uint256 winning, uint256 revealed, uint256 supermajorityBps)
        internal
        pure
        returns (bool)
    {
        return winning > 0 && winning * BPS >= revealed * supermajorityBps;
    }

    /// @notice The outcome can no longer change before the reveal deadline: quorum is met and the
    /// leader alone holds `supermajorityBps` of the whole snapshot stake, so even if every
    /// outstanding validator revealed against it, it would keep its supermajority and lead.
    function isDecided(uint256 winning, uint256 revealed, uint256 total, uint256 quorumBps, uint256 supermajorityBps)
        internal
        pure
        returns (bool)
    {
        return meetsQuorum(revealed, total, quorumBps) && hasSupermajority(winning, total, supermajorityBps);
    }

    /// @notice A coherent validator's share of `fee`: pro rata to its stake in the winning class.
    /// Rounds down, so the shares never exceed the fee; the dust stays undistributed.
    /// @dev Plain (checked) arithmetic, not 512-bit mulDiv: settlement runs this once per
    /// validator per proposal, and fee < 2^96, stake < 2^128 cannot overflow 256 bits.
    function share(uint256 fee, uint256 stake, uint256 winningStake) internal pure returns (uint256) {
        return (fee * stake) / winningStake;
    }

    /// @notice `amount * bps / 10000`, rounded down (amounts here are stakes, far below 2^200).
    function bpsOf(uint256 amount, uint256 bps) internal pure returns (uint256) {
        return (amount * bps) / BPS;
    }
}
