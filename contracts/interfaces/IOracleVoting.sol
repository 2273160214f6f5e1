// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracleEquivocationEvents} from "./IOracleEquivocationEvents.sol";

/// @title IOracleVoting: rounds, commit-reveal, finalization, settlement
/// @notice Proposals are grouped into voting rounds (docs/protocol.md). A validator commits once
/// per round to all its verdicts for the round (one byte per proposal, in list order), reveals
/// them once, and is settled once: rewards for coherent votes, slashing for non-reveals and
/// incoherent votes. Relayers may aggregate many validators' signed commits and their reveals
/// into single transactions. The round, ballot and tally views are in {IOracleViews}, answered
/// at the oracle's address. It inherits the equivocation module's events and errors, which
/// the oracle's address emits and reverts with, so the oracle's ABI decodes them.
interface IOracleVoting is IOracleEquivocationEvents {
    /// @notice A validator's commitment for a round, signed (EIP-712 `Commit`) by its signer key.
    struct RelayedCommit {
        address validator;
        bytes32 commitment;
        bytes signature;
    }

    /// @notice The preimage of a commitment; anyone holding it may reveal.
    struct Reveal {
        address validator;
        bytes verdicts;
        bytes32 salt;
    }

    /// @notice An off-chain verdict, signed (EIP-712 `Verdict`) by a validator's signer key and
    /// served by its node as soon as it has judged: bound to the proposal, the round, the
    /// payload it judged and the model it judged with. The equivocation reports
    /// ({IOracleEquivocation}) take it.
    struct Verdict {
        uint256 proposalId;
        uint64 round;
        bytes32 payloadHash;
        bytes32 modelHash;
        uint8 verdict;
    }

    /// @notice What a batch element is, in {BatchElementSkipped}.
    enum BatchKind {
        Commit,
        Reveal,
        Finalize,
        Settle
    }

    /// @notice Proposal `id` found no consensus in `fromRound` and joined `toRound`.
    event ProposalRolled(uint256 indexed id, uint64 indexed fromRound, uint64 indexed toRound);
    /// @notice A batch (`commitRelayed`, `revealMany`, `finalizeMany`, `settleMany`) skipped an
    /// element already done with the same content, e.g. sent on its own first by anyone.
    /// @param round The ballot's round; for `Finalize`, the proposal's round now.
    /// @param subject The validator's address (commit, reveal, settle) or the proposal id (finalize).
    event BatchElementSkipped(BatchKind indexed kind, uint64 indexed round, uint256 subject);
    /// @notice `validator` committed to its verdicts for `round`.
    event VotesCommitted(uint64 indexed round, address indexed validator, bytes32 commitment);
    /// @notice `validator` revealed `verdicts` for `round`, each weighted by `stake`.
    event VotesRevealed(uint64 indexed round, address indexed validator, bytes verdicts, uint256 stake);
    /// @notice `validator`'s ballot for `round` was settled.
    event BallotSettled(uint64 indexed round, address indexed validator, uint256 reward, uint256 slashed);
    /// @notice The requester's `onVerdict` callback reverted or ran out of gas; finalization stands.
    event CallbackFailed(uint256 indexed id, address indexed requester);
    /// @notice Proposal `id`'s requester is called back with `gas` gas when it is final, and
    /// prepaid `deposit` wei for that gas (part of the submit's `msg.value`, not of its fee).
    event CallbackDepositHeld(uint256 indexed id, uint256 gas, uint256 deposit);
    /// @notice `payee` (the finalizer, or the operator of the signer key that finalized) was
    /// credited proposal `id`'s callback deposit of `deposit` wei; it claims it with `claim`.
    event CallbackDepositPaid(uint256 indexed id, address indexed payee, uint256 deposit);
    /// @notice `account` was paid `amount` wei of rewards, refunds or bounties.
    event Claimed(address indexed account, uint256 amount);
    /// @notice The `amount` wei of `round`'s fees that no ballot can claim any more (rounding
    /// dust, rewards of ballots not settled within the settlement window) moved to the reserve.
    event RoundFeesSwept(uint64 indexed round, uint256 amount);

    /// @notice `round` has no proposals, so there is nothing to vote on.
    error OracleRoundEmpty(uint64 round);
    /// @notice Commits for `round` are accepted only in `[commitStart, commitEnd)`.
    error OracleNotCommitPhase(uint64 round, uint256 commitStart, uint256 commitEnd);
    /// @notice Reveals for `round` are accepted only in `[revealStart, revealEnd)`.
    error OracleNotRevealPhase(uint64 round, uint256 revealStart, uint256 revealEnd);
    /// @notice `caller` is neither a validator's operator nor its current signer; stake first
    /// or commit from the signer named with `setSigner`.
    error OracleNotOperatorOrSigner(address caller);
    /// @notice `validator` already committed for `round`; a commitment cannot be replaced.
    error OracleAlreadyCommitted(uint64 round, address validator);
    /// @notice The relayed commit for `validator` was signed by `recovered`, not by its signer.
    error OracleInvalidSignature(address validator, address recovered, address expectedSigner);
    /// @notice The commitment is zero; commit `keccak256(...)` of the preimage (see `commitmentFor`).
    error OracleZeroCommitment(address validator);
    /// @notice `validator` has no commitment for `round`.
    error OracleNoCommitment(uint64 round, address validator);
    /// @notice `validator` already revealed for `round`.
    error OracleAlreadyRevealed(uint64 round, address validator);
    /// @notice The revealed verdicts and salt do not hash to `validator`'s commitment for `round`.
    error OracleCommitmentMismatch(uint64 round, address validator);
    /// @notice One verdict byte per proposal of the round is required: `expected`, got `given`.
    error OracleVerdictsLengthMismatch(uint256 given, uint256 expected);
    /// @notice Byte `index` of the verdicts is `verdict`; classes are 0..4, abstain is 255.
    error OracleInvalidVerdict(uint256 index, uint8 verdict);
    /// @notice `validator` had no stake at the round's snapshot `snapshot`, so its vote has no weight.
    error OracleNoStakeAtSnapshot(address validator, uint48 snapshot);
    /// @notice Proposal `id` is not pending (its status is `status`).
    error OracleProposalNotPending(uint256 id, uint8 status);
    /// @notice Proposal `id` can be finalized at `revealEnd`, or earlier only once its outcome
    /// can no longer change.
    error OracleTooEarlyToFinalize(uint256 id, uint256 revealEnd);
    /// @notice The requester's callback needs `needed` gas but only `available` is left:
    /// send the finalize transaction with a higher gas limit.
    error OracleInsufficientCallbackGas(uint256 needed, uint256 available);
    /// @notice `round` settles once its reveal phase is over (`revealEnd`) and no proposal
    /// of it is pending (`pending` still are).
    error OracleRoundNotSettleable(uint64 round, uint256 pending, uint256 revealEnd);
    /// @notice `validator`'s ballot for `round` was already settled.
    error OracleAlreadySettled(uint64 round, address validator);
    /// @notice The verdicts passed to settle do not match what `validator` revealed for `round`
    /// (pass the revealed bytes, or empty bytes for a ballot that was never revealed).
    error OracleVerdictsMismatch(uint64 round, address validator);
    /// @notice Parallel arrays differ in length.
    error OracleArrayLengthMismatch(uint256 first, uint256 second);
    /// @notice `account` has nothing to claim.
    error OracleNothingToClaim(address account);
    /// @notice `round`'s fees can be swept once, from `opensAt` on (its ballots may claim
    /// rewards until then): it is too early, or they were swept already.
    error OracleRoundNotSweepable(uint64 round, uint256 opensAt);

    /// @notice Commit the caller's validator's verdicts for `round`. The caller is an operator
    /// or the current signer of one; the ballot belongs to the operator.
    /// @param commitment `commitmentFor(round, operator, verdicts, salt)`.
    function commit(uint64 round, bytes32 commitment) external;

    /// @notice Submit many validators' EIP-712-signed commitments for `round` in one transaction.
    /// A validator already committed to the same commitment is skipped ({BatchElementSkipped});
    /// one committed to another commitment reverts the batch.
    function commitRelayed(uint64 round, RelayedCommit[] calldata commits) external;

    /// @notice Reveal `validator`'s verdicts for `round` (anyone holding the preimage may call).
    /// @param verdicts One byte per proposal of the round, in `roundProposals(round)` order: a
    /// class 0..4, or 255 (ConsensusMath.ABSTAIN) where the validator lacks the pinned model.
    function reveal(uint64 round, address validator, bytes calldata verdicts, bytes32 salt) external;

    /// @notice Reveal many validators' verdicts for `round`, tallying every proposal once.
    /// A ballot already revealed with the same verdicts is skipped ({BatchElementSkipped});
    /// other verdicts for a revealed ballot revert the batch.
    function revealMany(uint64 round, Reveal[] calldata reveals) external;

    /// @notice Decide proposal `id`: finalize, roll it to a new round, or end it with no consensus.
    function finalize(uint256 id) external;

    /// @notice {finalize} for each id. A proposal already decided, or already rolled into a round
    /// whose reveal phase has not begun, is skipped ({BatchElementSkipped}).
    function finalizeMany(uint256[] calldata ids) external;

    /// @notice Settle `validator`'s ballot for `round`: credit rewards, apply slashing.
    /// @param verdicts The revealed bytes, or empty for a ballot that was never revealed.
    function settle(uint64 round, address validator, bytes calldata verdicts) external;

    /// @notice {settle} for many validators of one round. A ballot already settled with the same
    /// verdicts is skipped ({BatchElementSkipped}); with other verdicts it reverts the batch.
    function settleMany(uint64 round, address[] calldata validators, bytes[] calldata verdicts) external;

    /// @notice Pay the caller's claimable balance (rewards, refunds, bounties).
    function claim() external;

    /// @notice Move what is left of `round`'s fees (rounding dust, rewards of ballots never
    /// settled) to the slashed reserve; anyone may call it once the settlement window (7 days) has
    /// passed since the round's reveal phase ended and every proposal of the round is final. Ballots
    /// of the round settled afterwards are still slashed or released, but paid no reward.
    function sweepRoundFees(uint64 round) external;

    /// @notice The EIP-712 domain separator (name "VerdictOracle", version "1").
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
