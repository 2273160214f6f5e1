// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IOracleVoting} from "../interfaces/IOracleVoting.sol";
import {IVerdictCallback} from "../interfaces/IVerdictCallback.sol";
import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";
import {EthTransfer} from "../libraries/EthTransfer.sol";
import {TxRequestPayload} from "../libraries/TxRequestPayload.sol";

/// @title GuardedTreasury: an ETH treasury that pays out only what the oracle judged legal
/// @notice The pattern a dApp follows: build the `TxRequest` payload on-chain (so nobody can
/// get a different transaction approved), submit it, and act only on a `legal` verdict.
/// The oracle's callback only records the outcome (it runs under a gas cap); the owner then
/// calls {execute}, which also reads the oracle directly if the callback never arrived.
/// No reserve is held forever: the owner may {cancel} a request that is not executed (say its
/// recipient refuses ETH), and an approval not executed within {EXECUTION_WINDOW} expires
/// ({expire}, callable by anyone); both free the reserved funds.
contract GuardedTreasury is Ownable2Step, IVerdictCallback {
    enum RequestState {
        None,
        Pending,
        Approved,
        Rejected,
        Executed,
        Cancelled
    }

    /// @dev slot 0: | to 160 | state 8 | approvedAt 48 | free 40 |   slot 1: | amount 256 |
    struct TransferRequest {
        address to;
        RequestState state;
        uint48 approvedAt;
        uint256 amount;
    }

    /// @notice A transfer of `amount` wei to `to` awaits the oracle's verdict on proposal `requestId`.
    event TransferRequested(uint256 indexed requestId, address indexed to, uint256 amount, string memo);
    /// @notice The oracle judged request `requestId` legal; the owner may now execute it.
    event TransferApproved(uint256 indexed requestId);
    /// @notice The oracle did not approve request `requestId`; its reserved funds are free again.
    event TransferRejected(uint256 indexed requestId, uint8 status, uint8 verdict);
    /// @notice Request `requestId` was paid out.
    event TransferExecuted(uint256 indexed requestId, address indexed to, uint256 amount);
    /// @notice The owner cancelled request `requestId` before it was executed; its reserved funds
    /// are free again.
    event TransferCancelled(uint256 indexed requestId);
    /// @notice Approved request `requestId` was not executed by `expiredAt`; its reserved funds are
    /// free again.
    event TransferExpired(uint256 indexed requestId, uint256 expiredAt);
    /// @notice ETH arrived.
    event Deposited(address indexed from, uint256 amount);

    /// @notice Only the oracle may deliver verdicts; `caller` is not it.
    error TreasuryNotOracle(address caller);
    /// @notice There is no request `requestId` (request ids are the oracle's proposal ids).
    error TreasuryUnknownRequest(uint256 requestId);
    /// @notice Only `available` wei is not yet reserved by pending or approved requests.
    error TreasuryInsufficientFunds(uint256 amount, uint256 available);
    /// @notice Request `requestId` was not judged legal (oracle status `status`, verdict `verdict`);
    /// it can never be executed. Status 1 means the oracle has not decided yet: wait and retry.
    error TreasuryTransferNotApproved(uint256 requestId, uint8 status, uint8 verdict);
    /// @notice Request `requestId` was already executed.
    error TreasuryAlreadyExecuted(uint256 requestId);
    /// @notice The zero address cannot receive a transfer.
    error TreasuryZeroRecipient();
    /// @notice Request `requestId` is in state `state`; only a pending or approved one can be
    /// cancelled or expire.
    error TreasuryNotCancellable(uint256 requestId, uint8 state);
    /// @notice The approval of request `requestId` expired at `expiredAt`; it can never be executed.
    error TreasuryApprovalExpired(uint256 requestId, uint256 expiredAt);
    /// @notice The approval of request `requestId` is executable until `expiresAt`; it expires then.
    error TreasuryApprovalNotExpired(uint256 requestId, uint256 expiresAt);

    /// @notice How long an approved request stays executable. A verdict is about the transfer
    /// as it was judged; past this window it is stale, and its reserve must not stay locked.
    uint256 public constant EXECUTION_WINDOW = 7 days;

    /// @notice The oracle this treasury trusts.
    IVerdictOracle public immutable oracle;
    /// @notice Wei set aside for pending and approved requests.
    uint256 public reserved;
    mapping(uint256 requestId => TransferRequest) internal _requests;

    constructor(IVerdictOracle oracle_, address initialOwner) Ownable(initialOwner) {
        oracle = oracle_;
    }

    /// @notice Accept deposits (and the oracle's refunds through {claimOracleRefund}).
    receive() external payable {
        emit Deposited(msg.sender, msg.value);
    }

    /// @notice Ask the oracle to judge a transfer of `amount` wei to `to`. `msg.value` goes to the
    /// oracle and must be its `quoteSubmit(treasury)`: the fee plus the callback deposit, since
    /// this treasury is called back (the oracle's `OracleFeeTooLow` names the amount when short).
    /// @dev Reserves `amount` now so two pending requests cannot both count on the same ETH.
    /// @return requestId The oracle's proposal id, used for everything afterwards.
    function requestTransfer(address to, uint256 amount, string calldata memo)
        external
        payable
        onlyOwner
        returns (uint256 requestId)
    {
        if (to == address(0)) revert TreasuryZeroRecipient();
        // msg.value is already in the balance but belongs to the oracle (fee and deposit).
        uint256 available = address(this).balance - msg.value - reserved;
        if (amount > available) revert TreasuryInsufficientFunds(amount, available);
        reserved += amount;
        requestId = oracle.submit{value: msg.value}(TxRequestPayload.encode(address(this), to, amount, "", memo));
        _requests[requestId] =
            TransferRequest({to: to, state: RequestState.Pending, approvedAt: 0, amount: amount});
        emit TransferRequested(requestId, to, amount, memo);
    }

    /// @inheritdoc IVerdictCallback
    /// @dev Records the outcome only; paying out here would run under the oracle's gas cap.
    function onVerdict(uint256 id, uint8 status, uint8 verdict) external {
        if (msg.sender != address(oracle)) revert TreasuryNotOracle(msg.sender);
        TransferRequest storage request = _requests[id];
        if (request.state != RequestState.Pending) return; // unknown or already decided
        _record(id, request, status, verdict);
    }

    /// @notice Pay out request `requestId` if the oracle judged it legal; never twice.
    function execute(uint256 requestId) external onlyOwner {
        TransferRequest storage request = _requests[requestId];
        RequestState state = request.state;
        if (state == RequestState.None) revert TreasuryUnknownRequest(requestId);
        if (state == RequestState.Executed) revert TreasuryAlreadyExecuted(requestId);
        // The callback may have failed (gas cap) or not run yet: ask the oracle directly.
        if (state == RequestState.Pending) state = _syncFromOracle(requestId, request);
        if (state != RequestState.Approved) {
            (IVerdictOracle.Status status, uint8 verdict) = oracle.verdictOf(requestId);
            revert TreasuryTransferNotApproved(requestId, uint8(status), verdict);
        }
        uint256 deadline = _expiresAt(request);
        if (block.timestamp >= deadline) revert TreasuryApprovalExpired(requestId, deadline);
        request.state = RequestState.Executed;
        uint256 amount = request.amount;
        reserved -= amount;
        emit TransferExecuted(requestId, request.to, amount);
        EthTransfer.pay(request.to, amount);
    }

    /// @notice Record the oracle's final verdict on `requestId` when its callback never arrived
    /// (a callback that fails is ignored by the oracle): approves it, or rejects it and frees its
    /// reserved funds. Anyone may call it; it only mirrors the oracle.
    /// @return state The request's state afterwards.
    function syncVerdict(uint256 requestId) external returns (RequestState state) {
        TransferRequest storage request = _requests[requestId];
        state = request.state;
        if (state == RequestState.None) revert TreasuryUnknownRequest(requestId);
        if (state == RequestState.Pending) state = _syncFromOracle(requestId, request);
    }

    /// @notice Give up request `requestId` (pending or approved, not executed) and free its reserve:
    /// the way out when the recipient refuses ETH, or the transfer is no longer wanted. A verdict
    /// that arrives later is ignored.
    function cancel(uint256 requestId) external onlyOwner {
        TransferRequest storage request = _requests[requestId];
        _release(requestId, request);
        emit TransferCancelled(requestId);
    }

    /// @notice Free the reserve of an approved request not executed within {EXECUTION_WINDOW}.
    /// Anyone may call it, so funds come back even if the owner never acts.
    function expire(uint256 requestId) external {
        TransferRequest storage request = _requests[requestId];
        if (request.state != RequestState.Approved) {
            revert TreasuryNotCancellable(requestId, uint8(request.state));
        }
        uint256 deadline = _expiresAt(request);
        if (block.timestamp < deadline) revert TreasuryApprovalNotExpired(requestId, deadline);
        _release(requestId, request);
        emit TransferExpired(requestId, deadline);
    }

    /// @notice Pull the fees the oracle refunded for requests that found no consensus.
    function claimOracleRefund() external onlyOwner {
        IOracleVoting(address(oracle)).claim();
    }

    /// @notice When the approval of request `requestId` stops being executable (0 if not approved).
    function expiresAt(uint256 requestId) external view returns (uint256) {
        TransferRequest storage request = _requests[requestId];
        return request.state == RequestState.Approved ? _expiresAt(request) : 0;
    }

    /// @notice State, recipient and amount of request `requestId`.
    function requestOf(uint256 requestId) external view returns (RequestState state, address to, uint256 amount) {
        TransferRequest storage request = _requests[requestId];
        return (request.state, request.to, request.amount);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IVerdictCallback).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @dev Reverts while the oracle has not decided; otherwise records its outcome.
    function _syncFromOracle(uint256 requestId, TransferRequest storage request) private returns (RequestState) {
        (IVerdictOracle.Status status, uint8 verdict) = oracle.verdictOf(requestId);
        if (status == IVerdictOracle.Status.Pending) {
            revert TreasuryTransferNotApproved(requestId, uint8(status), verdict);
        }
        return _record(requestId, request, uint8(status), verdict);
    }

    function _record(uint256 requestId, TransferRequest storage request, uint8 status, uint8 verdict)
        private
        returns (RequestState)
    {
        if (status == uint8(IVerdictOracle.Status.Finalized) && verdict == 0) {
            request.state = RequestState.Approved;
            request.approvedAt = uint48(block.timestamp);
            emit TransferApproved(requestId);
            return RequestState.Approved;
        }
        request.state = RequestState.Rejected;
        reserved -= request.amount;
        emit TransferRejected(requestId, status, verdict);
        return RequestState.Rejected;
    }

    /// @dev Pending or approved -> cancelled, reserve freed; any other state reverts.
    function _release(uint256 requestId, TransferRequest storage request) private {
        RequestState state = request.state;
        if (state != RequestState.Pending && state != RequestState.Approved) {
            revert TreasuryNotCancellable(requestId, uint8(state));
        }
        request.state = RequestState.Cancelled;
        reserved -= request.amount;
    }

    function _expiresAt(TransferRequest storage request) private view returns (uint256) {
        return uint256(request.approvedAt) + EXECUTION_WINDOW;
    }
}
