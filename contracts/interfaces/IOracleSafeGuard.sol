// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";

/// @title IOracleSafeGuard: a Safe transaction guard that executes only what the oracle judged legal
/// @notice One guard contract serves any number of Safes; every setting is per Safe and is changed
/// only by that Safe (`msg.sender == safe`). An owner or an enabled module of a Safe asks the guard to
/// {judge} a Safe transaction; the guard builds the `TxRequest` payload itself (`from` = the Safe),
/// submits it to the oracle and records the proposal under the transaction's identity
/// {txKey}`(safe, to, value, data, operation)`. At `execTransaction` the Safe calls
/// `checkTransaction`, which lets through only:
/// - a **control call** (`to` is the Safe itself or this guard, operation `Call`): owners, threshold,
///   modules, removing the guard, the guard's own settings. Never judged by the oracle, so the guard
///   can never brick the Safe; when the Safe set a {controlDelay}, the call must have been announced
///   with {scheduleControlCall} at least that long before;
/// - a plain ETH transfer (`Call`, empty data) of at most {policyOf}'s `valueThreshold`;
/// - a `Call` to a recipient the Safe allowlisted;
/// - a transaction with a `Finalized` `legal` verdict on exactly its identity, under a model hash the
///   Safe accepts, used once (the verdict is consumed by the execution; a repeat needs a new verdict).
/// `DelegateCall` is refused unless the Safe allowlisted the target (and then still needs a verdict).
/// @dev Error prefix `Guard`. States of a judged transaction: see {JudgementState}.
interface IOracleSafeGuard {
    /// @notice Where a judged Safe transaction stands.
    /// @dev `NoConsensus`, `Executed` and an `Approved` voided by a model revocation may be judged
    /// again (a fresh proposal, a fresh fee);
    /// `Refused` (a final non-legal verdict) may not: that exact transaction stays refused.
    enum JudgementState {
        None,
        Pending,
        Approved,
        Refused,
        NoConsensus,
        Executed
    }

    /// @notice One Safe transaction's judgement; one storage slot.
    /// @param proposalId The oracle proposal that judges it.
    /// @param modelEpoch The Safe's model epoch at judging; revoking a model bumps the epoch and
    /// voids approvals made before.
    struct Judgement {
        uint64 proposalId;
        uint32 modelEpoch;
        JudgementState state;
    }

    /// @notice A Safe's settings; one storage slot.
    /// @param valueThreshold Plain ETH transfers of at most this many wei pass without a verdict
    /// (0: none pass).
    /// @param controlDelay Seconds a control call must be announced before it can execute (0: none).
    /// @param modelEpoch Bumped whenever the Safe stops accepting a model hash.
    struct Policy {
        uint128 valueThreshold;
        uint64 controlDelay;
        uint32 modelEpoch;
    }

    /// @notice `requester` asked the oracle (proposal `proposalId`) to judge transaction `txKey` of `safe`.
    event JudgementRequested(
        address indexed safe,
        bytes32 indexed txKey,
        uint256 indexed proposalId,
        address requester,
        address to,
        uint256 value,
        Enum.Operation operation,
        string memo
    );
    /// @notice The oracle's final outcome for transaction `txKey` was recorded (`state` is
    /// `Approved`, `Refused` or `NoConsensus`; `status`/`verdict` as the oracle reports them).
    event JudgementRecorded(
        address indexed safe,
        bytes32 indexed txKey,
        uint256 indexed proposalId,
        JudgementState state,
        uint8 status,
        uint8 verdict
    );
    /// @notice `safe` executed the transaction judged by `proposalId` (a legal verdict); the verdict
    /// is spent. The transaction's key is {txKeyOfProposal}`(proposalId)` (left out to save gas).
    event JudgedTransactionExecuted(address indexed safe, uint256 indexed proposalId);
    /// @notice A control call `txKey` of `safe` was announced; it may execute from `readyAt`.
    event ControlCallScheduled(address indexed safe, bytes32 indexed txKey, uint256 readyAt, address scheduler, bytes data);
    /// @notice `safe` executed the scheduled control call `txKey` (its announcement is spent).
    event ControlCallExecuted(address indexed safe, bytes32 indexed txKey);
    /// @notice `safe` accepts (or no longer accepts) verdicts made with classifier `modelHash`.
    event ModelAcceptanceSet(address indexed safe, bytes32 indexed modelHash, bool accepted, uint32 modelEpoch);
    /// @notice `safe` allows (or no longer allows) `DelegateCall` to `target`.
    event DelegateCallTargetSet(address indexed safe, address indexed target, bool allowed);
    /// @notice `safe` lets (or no longer lets) calls to `recipient` pass without a verdict.
    event RecipientAllowlistSet(address indexed safe, address indexed recipient, bool allowed);
    /// @notice `safe` changed its value threshold for plain transfers without a verdict.
    event ValueThresholdSet(address indexed safe, uint256 valueThreshold);
    /// @notice `safe` changed the delay of its control calls.
    event ControlDelaySet(address indexed safe, uint256 controlDelay);

    /// @notice `caller` is neither an owner nor an enabled module of `safe`.
    error GuardNotOwnerOrModule(address safe, address caller);
    /// @notice Transaction `txKey` has no verdict that lets it execute: proposal `proposalId`
    /// (0: never judged) is in guard state `state` with oracle status `status` and verdict `verdict`.
    /// `Pending`: wait for the verdict. `NoConsensus` or `Executed`: call {judge} again.
    error GuardTransactionNotApproved(
        bytes32 txKey, uint256 proposalId, JudgementState state, uint8 status, uint8 verdict
    );
    /// @notice Transaction `txKey` already has proposal `proposalId` in state `state`, which cannot be
    /// judged again (`Pending`: wait; `Approved`: execute it; `Refused`: the verdict is final).
    error GuardAlreadyJudged(bytes32 txKey, uint256 proposalId, JudgementState state);
    /// @notice `safe` does not accept verdicts made with classifier `modelHash` ({setModelAccepted}).
    error GuardModelNotAccepted(address safe, bytes32 modelHash);
    /// @notice `safe` has not allowlisted `target` for `DelegateCall` ({setDelegateCallTarget}).
    error GuardDelegateCallRefused(address safe, address target);
    /// @notice Control call `txKey` needs an announcement ({scheduleControlCall}) because `safe` set a delay.
    error GuardControlCallNotScheduled(address safe, bytes32 txKey);
    /// @notice Control call `txKey` was announced but may execute only from `readyAt`.
    error GuardControlCallTooEarly(address safe, bytes32 txKey, uint256 readyAt);
    /// @notice Only the oracle delivers verdicts; `caller` is not it.
    error GuardNotOracle(address caller);
    /// @notice The oracle returned proposal id `proposalId`, which does not fit the guard's 64-bit field.
    /// @notice The oracle returned proposal `actual` where its sequential ids promised `expected`.
    error GuardUnexpectedProposalId(uint256 expected, uint256 actual);
    /// @notice The next proposal id does not fit the judgement record (uint64).
    error GuardProposalIdTooLarge(uint256 proposalId);
    /// @notice A control call carries ETH or is a `DelegateCall`; it must be a plain `Call` with value 0.
    error GuardControlCallMalformed(address safe, address to);

    /// @notice Ask the oracle to judge a transaction of `safe`; `msg.value` goes to the oracle and
    /// must be its `quoteSubmit(guard)`: the fee plus the callback deposit, since the guard is
    /// called back (the oracle's `OracleFeeTooLow` names the amount when it is short).
    /// @dev Caller: an owner or an enabled module of `safe`. The payload is
    /// `abi.encode(TxRequest(block.chainid, safe, to, value, data, memo))`.
    /// @return proposalId The oracle's proposal id.
    function judge(
        address safe,
        address to,
        uint256 value,
        bytes calldata data,
        Enum.Operation operation,
        string calldata memo
    ) external payable returns (uint256 proposalId);

    /// @notice Record the oracle's final verdict on transaction `key` when the oracle's
    /// callback did not (anyone may call it; it only mirrors the oracle).
    function syncVerdict(bytes32 key) external returns (JudgementState state);

    /// @notice Announce a control call of `safe` (to the Safe itself or to this guard, value 0,
    /// `Call`) so it can execute after the Safe's {controlDelay}. Caller: an owner or module.
    /// Announcing a call that is already announced keeps the earlier time (nobody can push it back).
    /// @return readyAt The first timestamp at which it may execute.
    function scheduleControlCall(address safe, address to, bytes calldata data) external returns (uint256 readyAt);

    /// @notice Accept or stop accepting verdicts made with classifier `modelHash`. Caller: the Safe.
    function setModelAccepted(bytes32 modelHash, bool accepted) external;
    /// @notice Allow or disallow `DelegateCall` to `target`. Caller: the Safe.
    function setDelegateCallTarget(address target, bool allowed) external;
    /// @notice Let `Call`s to `recipient` pass without a verdict, or stop. Caller: the Safe.
    function setRecipientAllowed(address recipient, bool allowed) external;
    /// @notice Plain ETH transfers of at most `valueThreshold` wei pass without a verdict. Caller: the Safe.
    function setValueThreshold(uint128 valueThreshold) external;
    /// @notice Control calls must be announced `controlDelay` seconds before executing. Caller: the Safe.
    function setControlDelay(uint64 controlDelay) external;

    /// @notice The identity of a Safe transaction: `keccak256(abi.encode(safe, to, value, keccak256(data), operation))`.
    function txKey(address safe, address to, uint256 value, bytes calldata data, Enum.Operation operation)
        external
        pure
        returns (bytes32);
    /// @notice The judgement recorded for transaction `key`.
    function judgementOf(bytes32 key) external view returns (Judgement memory);
    /// @notice `safe`'s settings.
    function policyOf(address safe) external view returns (Policy memory);
    /// @notice Whether `safe` accepts verdicts made with `modelHash`.
    function isModelAccepted(address safe, bytes32 modelHash) external view returns (bool);
    /// @notice Whether `safe` allows `DelegateCall` to `target`.
    function isDelegateCallTarget(address safe, address target) external view returns (bool);
    /// @notice Whether `Call`s of `safe` to `recipient` pass without a verdict.
    function isRecipientAllowed(address safe, address recipient) external view returns (bool);
    /// @notice When control call `key` may execute (0: not announced).
    function controlCallReadyAt(bytes32 key) external view returns (uint256);
    /// @notice The Safe transaction the oracle's proposal `proposalId` judges (0 if none of this guard's).
    function txKeyOfProposal(uint256 proposalId) external view returns (bytes32);
    /// @notice The Safe whose transaction proposal `proposalId` judges (0 if none of this guard's).
    function safeOfProposal(uint256 proposalId) external view returns (address);
}
