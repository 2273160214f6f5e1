// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracleEquivocationEvents} from "./IOracleEquivocationEvents.sol";
import {IOracleVoting} from "./IOracleVoting.sol";

/// @title IOracleEquivocation: proofs that a validator signed two votes, answered at the oracle
/// @notice A validator's node signs an EIP-712 `Verdict` for each proposal it has judged and
/// serves it (docs/protocol.md, "Signed verdicts"). Two different signed verdicts for one
/// proposal and round, or a signed verdict that differs from the validator's revealed vote in
/// that round, prove equivocation. Rules: the proposal is (or was) in that round and the signed
/// payload hash is its own; a validator is slashed for equivocation at most once per round; a
/// signer rotated out answers only for rounds that began before its rotation and only for
/// `unbondingPeriod` after it; the reporter's bounty is 1/`EQUIVOCATION_BOUNTY_DIVISOR` of
/// what was slashed and is released once the validator has no open ballots, or
/// `unbondingPeriod` after the report. Its events and errors are in {IOracleEquivocationEvents}.
/// @dev Implemented by the module the oracle's `fallback` DELEGATECALLs for these selectors
/// only; call them at the oracle's address.
interface IOracleEquivocation is IOracleEquivocationEvents {
    /// @notice The reporter's share of an equivocation slash: 1 / this.
    function EQUIVOCATION_BOUNTY_DIVISOR() external view returns (uint256); // solhint-disable-line func-name-mixedcase

    /// @notice Prove that one validator's signer signed two verdicts that differ for one
    /// proposal and round; slashes `equivocationSlashBps` of its bonded stake and owes the
    /// caller the bounty.
    function reportEquivocation(
        IOracleVoting.Verdict calldata a,
        bytes calldata sigA,
        IOracleVoting.Verdict calldata b,
        bytes calldata sigB
    ) external;

    /// @notice Prove that a validator's signed verdict differs from what it revealed for the
    /// same proposal in the same round; slashes and owes the bounty as {reportEquivocation}.
    /// @param revealed The verdict bytes the validator revealed for `v.round` (its
    /// `VotesRevealed` event), checked against the ballot's stored hash.
    function reportRevealMismatch(IOracleVoting.Verdict calldata v, bytes calldata sig, bytes calldata revealed)
        external;

    /// @notice Credit the bounty for `validator`'s equivocation in `round` to its reporter's
    /// claimable balance (anyone may call; the reporter then calls `claim`).
    function releaseEquivocationBounty(address validator, uint64 round) external;

    /// @notice The equivocation report against `validator` in `round`: zero reporter when none.
    /// @return reporter Who proved it.
    /// @return bounty Wei still owed to the reporter (0 once released).
    /// @return releasableAt When the bounty is released even if ballots are still open.
    function equivocationReport(address validator, uint64 round)
        external
        view
        returns (address reporter, uint256 bounty, uint256 releasableAt);
}
