// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IOracleEquivocationEvents: the equivocation module's events and errors
/// @notice Declared once, here, for both sides of the oracle's `fallback`: the module
/// ({IOracleEquivocation}) emits and reverts with them, and the oracle ({IOracleVoting}), at
/// whose address they appear, inherits them so its ABI decodes them.
interface IOracleEquivocationEvents {
    /// @notice `reporter` proved that `validator` signed two verdicts for one proposal and round,
    /// or a signed verdict that differs from its revealed vote; `bounty` wei of the slash are
    /// owed to the reporter, releasable from `releasableAt` or once the validator's open
    /// ballots are settled, whichever comes first.
    event EquivocationReported(
        address indexed validator,
        address indexed reporter,
        uint256 indexed proposalId,
        uint64 round,
        uint256 bounty,
        uint256 releasableAt
    );
    /// @notice The bounty for `validator`'s equivocation in `round` was credited to `reporter`.
    event EquivocationBountyReleased(
        address indexed validator, uint64 indexed round, address indexed reporter, uint256 amount
    );

    /// @notice The verdicts are not for the same proposal and round, or their verdicts do not
    /// differ (for a reveal mismatch: the signed verdict equals the revealed one).
    error OracleEquivocationNotConflicting();
    /// @notice The two verdicts were signed by different keys (`signerA`, `signerB`).
    error OracleEquivocationSignersDiffer(address signerA, address signerB);
    /// @notice `signer` is not the signer key of any validator.
    error OracleUnknownSigner(address signer);
    /// @notice `signer` was rotated out: it answers only for rounds that began before it was
    /// and only until `countsUntil`.
    error OracleSignerRetired(address signer, uint256 countsUntil);
    /// @notice Proposal `proposalId` is not (and never was) in `round`.
    error OracleEquivocationNotInRound(uint256 proposalId, uint64 round);
    /// @notice The signed `payloadHash` is not proposal `proposalId`'s payload hash.
    error OracleEquivocationWrongPayload(uint256 proposalId, bytes32 payloadHash);
    /// @notice `validator` was already slashed for equivocation in `round` (once per round).
    error OracleEquivocationAlreadyReported(address validator, uint64 round);
    /// @notice No bounty is owed for `validator`'s equivocation in `round` (none, or released).
    error OracleNoPendingBounty(address validator, uint64 round);
    /// @notice The bounty waits until `validator` has no open ballots (`openBallots` now) or
    /// until `releasableAt`.
    error OracleBountyLocked(address validator, uint256 openBallots, uint256 releasableAt);
}
