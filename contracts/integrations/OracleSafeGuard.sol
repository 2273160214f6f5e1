// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Enum} from "@safe-global/safe-contracts/contracts/common/Enum.sol";
import {BaseGuard, Guard} from "@safe-global/safe-contracts/contracts/base/GuardManager.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IOracleSafeGuard} from "../interfaces/IOracleSafeGuard.sol";
import {IVerdictCallback} from "../interfaces/IVerdictCallback.sol";
import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";
import {TxRequestPayload} from "../libraries/TxRequestPayload.sol";

/// @dev The two views of Safe 1.4.1's `OwnerManager` and `ModuleManager` the guard reads. Declared
/// here because importing `Safe.sol` would compile the whole Safe with the project's via-IR
/// settings, which its assembly does not support ("stack too deep").
interface ISafeMembers {
    function isOwner(address owner) external view returns (bool);
    function isModuleEnabled(address module) external view returns (bool);
}

/// @title OracleSafeGuard: a Safe 1.4.1 transaction guard backed by the verdict oracle
/// @notice Install with `Safe.setGuard(address(guard))` after the Safe accepted a model hash
/// ({setModelAccepted}) and, optionally, set a control delay; see {IOracleSafeGuard} for the rules.
/// @dev Depends only on {IVerdictOracle} (plus {IVerdictCallback} to receive verdicts).
/// `checkTransaction` runs in every `execTransaction` of every Safe that installed the guard, so
/// its common path is one policy slot, one judgement slot, one write and one event: the verdict
/// arrives by the oracle's callback (or {syncVerdict}) beforehand, and the oracle is read only
/// when that never happened. Module transactions (`execTransactionFromModule`) are not guarded by
/// Safe 1.4.1 at all (module guards arrived with Safe 1.5): enable only modules you trust.
contract OracleSafeGuard is BaseGuard, IOracleSafeGuard, IVerdictCallback {
    /// @notice The oracle this guard trusts.
    IVerdictOracle public immutable oracle;

    mapping(address safe => Policy) internal _policies;
    mapping(bytes32 txKey => Judgement) internal _judgements;
    /// @dev Which Safe transaction each of this guard's proposals judges (for callbacks and views).
    struct ProposalLink {
        bytes32 txKey;
        address safe;
    }

    mapping(uint256 proposalId => ProposalLink) internal _links;
    mapping(address safe => mapping(bytes32 modelHash => bool)) internal _acceptedModels;
    mapping(address safe => mapping(address target => bool)) internal _delegateTargets;
    mapping(address safe => mapping(address recipient => bool)) internal _allowedRecipients;
    mapping(bytes32 txKey => uint256 readyAt) internal _controlReadyAt;

    constructor(IVerdictOracle oracle_) {
        oracle = oracle_;
    }

    // ------------------------------------------------------------------ judging

    /// @inheritdoc IOracleSafeGuard
    function judge(address safe, address to, uint256 value, bytes calldata data, Enum.Operation operation, string calldata memo)
        external
        payable
        returns (uint256 proposalId)
    {
        _onlyOwnerOrModule(safe);
        if (operation == Enum.Operation.DelegateCall && !_delegateTargets[safe][to]) {
            revert GuardDelegateCallRefused(safe, to);
        }
        bytes32 key = _txKey(safe, to, value, data, operation);
        Judgement memory previous = _judgements[key];
        if (previous.state == JudgementState.Pending) previous.state = _sync(safe, key, previous);
        // An approval voided by a model revocation (older epoch) may be judged again.
        bool voided = previous.modelEpoch != _policies[safe].modelEpoch;
        if (
            previous.state == JudgementState.Pending || previous.state == JudgementState.Refused
                || (previous.state == JudgementState.Approved && !voided)
        ) {
            revert GuardAlreadyJudged(key, previous.proposalId, previous.state);
        }
        // The proposal will pin the oracle's current model; refusing here saves a useless fee.
        bytes32 pinned = oracle.modelHash();
        if (!_acceptedModels[safe][pinned]) revert GuardModelNotAccepted(safe, pinned);
        // Checks-effects-interactions: the judgement is recorded under the id the oracle gives
        // next (ids are sequential), and the one call out comes last and must return that id.
        uint256 expected = oracle.proposalCount() + 1;
        if (expected > type(uint64).max) revert GuardProposalIdTooLarge(expected);
        _judgements[key] = Judgement({
            proposalId: uint64(expected),
            modelEpoch: _policies[safe].modelEpoch,
            state: JudgementState.Pending
        });
        _links[expected] = ProposalLink({txKey: key, safe: safe});
        emit JudgementRequested(safe, key, expected, msg.sender, to, value, operation, memo);
        proposalId = oracle.submit{value: msg.value}(TxRequestPayload.encode(safe, to, value, data, memo));
        if (proposalId != expected) revert GuardUnexpectedProposalId(expected, proposalId);
    }

    /// @inheritdoc IVerdictCallback
    /// @dev Records the outcome only (it runs under the oracle's callback gas cap).
    function onVerdict(uint256 id, uint8 status, uint8 verdict) external {
        if (msg.sender != address(oracle)) revert GuardNotOracle(msg.sender);
        ProposalLink memory link = _links[id];
        Judgement memory judgement = _judgements[link.txKey];
        // Unknown, superseded by a newer proposal, or already recorded.
        if (link.safe == address(0) || judgement.proposalId != id || judgement.state != JudgementState.Pending) {
            return;
        }
        _record(link.safe, link.txKey, judgement, status, verdict);
    }

    /// @inheritdoc IOracleSafeGuard
    function syncVerdict(bytes32 key) external returns (JudgementState state) {
        Judgement memory judgement = _judgements[key];
        state = judgement.state;
        if (state == JudgementState.Pending) state = _sync(_links[judgement.proposalId].safe, key, judgement);
    }

    /// @inheritdoc IOracleSafeGuard
    function scheduleControlCall(address safe, address to, bytes calldata data) external returns (uint256 readyAt) {
        _onlyOwnerOrModule(safe);
        if (to != safe && to != address(this)) revert GuardControlCallMalformed(safe, to);
        bytes32 key = _txKey(safe, to, 0, data, Enum.Operation.Call);
        // Never move an announcement later: one owner re-scheduling must not stall the others.
        readyAt = _controlReadyAt[key];
        if (readyAt != 0) return readyAt;
        readyAt = block.timestamp + _policies[safe].controlDelay;
        _controlReadyAt[key] = readyAt;
        emit ControlCallScheduled(safe, key, readyAt, msg.sender, data);
    }

    // ------------------------------------------------------------------ the Safe's hooks

    /// @notice Called by the Safe before it executes a transaction; reverts to refuse it.
    /// @dev `msg.sender` is the Safe: everything is looked up in its own namespace, so anyone else
    /// calling this only touches their own (empty) settings.
    function checkTransaction(
        address to,
        uint256 value,
        bytes calldata data,
        Enum.Operation operation,
        uint256,
        uint256,
        uint256,
        address,
        address payable,
        bytes calldata,
        address
    ) external override {
        address safe = msg.sender;
        if (to == safe || to == address(this)) return _checkControlCall(safe, to, value, data, operation);
        if (operation == Enum.Operation.DelegateCall && !_delegateTargets[safe][to]) {
            revert GuardDelegateCallRefused(safe, to);
        }
        Policy memory policy = _policies[safe];
        if (operation == Enum.Operation.Call && data.length == 0 && value <= policy.valueThreshold) return;
        bytes32 key = _txKey(safe, to, value, data, operation);
        Judgement memory judgement = _judgements[key];
        if (judgement.state == JudgementState.Approved && judgement.modelEpoch == policy.modelEpoch) {
            return _spend(safe, key, judgement.proposalId);
        }
        if (operation == Enum.Operation.Call && _allowedRecipients[safe][to]) return;
        // The callback never arrived (gas cap, or nobody synced): ask the oracle itself.
        if (judgement.state == JudgementState.Pending) judgement.state = _sync(safe, key, judgement);
        if (judgement.state == JudgementState.Approved && judgement.modelEpoch == policy.modelEpoch) {
            return _spend(safe, key, judgement.proposalId);
        }
        _refuse(key, judgement);
    }

    /// @notice Called by the Safe after execution; the guard keeps no state about it.
    function checkAfterExecution(bytes32, bool) external override {}

    // ------------------------------------------------------------------ the Safe's settings

    /// @inheritdoc IOracleSafeGuard
    function setModelAccepted(bytes32 modelHash, bool accepted) external {
        Policy storage policy = _policies[msg.sender];
        _acceptedModels[msg.sender][modelHash] = accepted;
        // Approvals made under a model the Safe no longer trusts must not execute.
        if (!accepted) policy.modelEpoch += 1;
        emit ModelAcceptanceSet(msg.sender, modelHash, accepted, policy.modelEpoch);
    }

    /// @inheritdoc IOracleSafeGuard
    function setDelegateCallTarget(address target, bool allowed) external {
        _delegateTargets[msg.sender][target] = allowed;
        emit DelegateCallTargetSet(msg.sender, target, allowed);
    }

    /// @inheritdoc IOracleSafeGuard
    function setRecipientAllowed(address recipient, bool allowed) external {
        _allowedRecipients[msg.sender][recipient] = allowed;
        emit RecipientAllowlistSet(msg.sender, recipient, allowed);
    }

    /// @inheritdoc IOracleSafeGuard
    function setValueThreshold(uint128 valueThreshold) external {
        _policies[msg.sender].valueThreshold = valueThreshold;
        emit ValueThresholdSet(msg.sender, valueThreshold);
    }

    /// @inheritdoc IOracleSafeGuard
    function setControlDelay(uint64 controlDelay) external {
        _policies[msg.sender].controlDelay = controlDelay;
        emit ControlDelaySet(msg.sender, controlDelay);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IOracleSafeGuard
    function txKey(address safe, address to, uint256 value, bytes calldata data, Enum.Operation operation)
        external
        pure
        returns (bytes32)
    {
        return _txKey(safe, to, value, data, operation);
    }

    /// @inheritdoc IOracleSafeGuard
    function judgementOf(bytes32 key) external view returns (Judgement memory) {
        return _judgements[key];
    }

    /// @inheritdoc IOracleSafeGuard
    function policyOf(address safe) external view returns (Policy memory) {
        return _policies[safe];
    }

    /// @inheritdoc IOracleSafeGuard
    function isModelAccepted(address safe, bytes32 modelHash) external view returns (bool) {
        return _acceptedModels[safe][modelHash];
    }

    /// @inheritdoc IOracleSafeGuard
    function isDelegateCallTarget(address safe, address target) external view returns (bool) {
        return _delegateTargets[safe][target];
    }

    /// @inheritdoc IOracleSafeGuard
    function isRecipientAllowed(address safe, address recipient) external view returns (bool) {
        return _allowedRecipients[safe][recipient];
    }

    /// @inheritdoc IOracleSafeGuard
    function controlCallReadyAt(bytes32 key) external view returns (uint256) {
        return _controlReadyAt[key];
    }

    /// @inheritdoc IOracleSafeGuard
    function txKeyOfProposal(uint256 proposalId) external view returns (bytes32) {
        return _links[proposalId].txKey;
    }

    /// @inheritdoc IOracleSafeGuard
    function safeOfProposal(uint256 proposalId) external view returns (address) {
        return _links[proposalId].safe;
    }

    /// @notice ERC-165: the Safe's `Guard` (checked by `setGuard`), {IVerdictCallback} (checked by
    /// the oracle at submit) and ERC-165 itself.
    function supportsInterface(bytes4 interfaceId) external view virtual override(BaseGuard, IERC165) returns (bool) {
        return interfaceId == type(Guard).interfaceId || interfaceId == type(IVerdictCallback).interfaceId
            || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------ internal

    /// @dev The never-brick path: calls to the Safe itself (owners, threshold, modules, setGuard)
    /// and to this guard (settings) never depend on the oracle, only on the Safe's delay.
    function _checkControlCall(address safe, address to, uint256 value, bytes calldata data, Enum.Operation operation)
        internal
    {
        if (value != 0 || operation != Enum.Operation.Call) revert GuardControlCallMalformed(safe, to);
        if (_policies[safe].controlDelay == 0) return;
        bytes32 key = _txKey(safe, to, 0, data, Enum.Operation.Call);
        uint256 readyAt = _controlReadyAt[key];
        if (readyAt == 0) revert GuardControlCallNotScheduled(safe, key);
        if (block.timestamp < readyAt) revert GuardControlCallTooEarly(safe, key, readyAt);
        delete _controlReadyAt[key];
        emit ControlCallExecuted(safe, key);
    }

    /// @dev The legal verdict is used up by this execution: a replay needs a new one.
    function _spend(address safe, bytes32 key, uint64 proposalId) internal {
        _judgements[key].state = JudgementState.Executed;
        emit JudgedTransactionExecuted(safe, proposalId);
    }

    /// @dev Reads the oracle for a pending judgement and records a final outcome.
    function _sync(address safe, bytes32 key, Judgement memory judgement) internal returns (JudgementState) {
        (IVerdictOracle.Status status, uint8 verdict) = oracle.verdictOf(judgement.proposalId);
        if (status == IVerdictOracle.Status.Pending) return JudgementState.Pending;
        return _record(safe, key, judgement, uint8(status), verdict);
    }

    function _record(address safe, bytes32 key, Judgement memory judgement, uint8 status, uint8 verdict)
        internal
        returns (JudgementState state)
    {
        if (status == uint8(IVerdictOracle.Status.Finalized)) {
            state = verdict == 0 ? JudgementState.Approved : JudgementState.Refused;
        } else {
            state = JudgementState.NoConsensus;
        }
        _judgements[key].state = state;
        emit JudgementRecorded(safe, key, judgement.proposalId, state, status, verdict);
    }

    /// @dev Reverts with the proposal and the oracle's view of it.
    function _refuse(bytes32 key, Judgement memory judgement) internal view {
        uint8 status = 0; // no proposal: nothing to read from the oracle
        uint8 verdict = 0;
        if (judgement.proposalId != 0) {
            IVerdictOracle.Status s;
            (s, verdict) = oracle.verdictOf(judgement.proposalId);
            status = uint8(s);
        }
        revert GuardTransactionNotApproved(key, judgement.proposalId, judgement.state, status, verdict);
    }

    function _onlyOwnerOrModule(address safe) private view {
        ISafeMembers target = ISafeMembers(safe);
        if (!target.isOwner(msg.sender) && !target.isModuleEnabled(msg.sender)) {
            revert GuardNotOwnerOrModule(safe, msg.sender);
        }
    }

    function _txKey(address safe, address to, uint256 value, bytes calldata data, Enum.Operation operation)
        private
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(safe, to, value, keccak256(data), operation));
    }
}
