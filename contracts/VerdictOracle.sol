// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {OracleParameters} from "./OracleParameters.sol";
import {ValidatorStaking} from "./ValidatorStaking.sol";
import {VerdictOracleEquivocation} from "./VerdictOracleEquivocation.sol";
import {VerdictOracleViews} from "./VerdictOracleViews.sol";
import {VotingState} from "./base/VotingState.sol";
import {CallbackDeposit} from "./libraries/CallbackDeposit.sol";
import {ConsensusMath, VERDICT_CLASSES} from "./libraries/ConsensusMath.sol";
import {RoundClock} from "./libraries/RoundClock.sol";
import {IOracleEquivocation} from "./interfaces/IOracleEquivocation.sol";
import {IOracleGovernance} from "./interfaces/IOracleGovernance.sol";
import {IOracleVoting} from "./interfaces/IOracleVoting.sol";
import {IValidatorStaking} from "./interfaces/IValidatorStaking.sol";
import {IVerdictCallback} from "./interfaces/IVerdictCallback.sol";
import {IVerdictOracle} from "./interfaces/IVerdictOracle.sol";

/// @title VerdictOracle: stake-weighted commit-reveal verdicts on transaction requests
/// @notice Implements docs/protocol.md. Proposals join voting rounds; each validator commits
/// once per round to all its verdicts of the round, reveals them once and is settled once, so
/// storage written per validator is per round, and per proposal is per round (its tally).
/// @dev Gas shape of the batched path (relayer): `commitRelayed` writes one ballot slot per
/// validator; `revealMany` tallies in memory and writes each proposal's tally once per call;
/// `settleMany` reads each proposal's outcome once per call. No loop runs over all validators.
/// Seams: ETH moves only through {OracleLedger}, stake and keys are reached only through the
/// ledger's and {ValidatorRegistry}'s hooks, every phase check uses {RoundClock}, and the
/// read-only views live in {VerdictOracleViews} and the equivocation reports in
/// {VerdictOracleEquivocation} (both reached through {fallback}).
contract VerdictOracle is ValidatorStaking, VotingState, EIP712, IOracleVoting {
    /// @dev What a reveal batch needs about its round, read from storage once.
    struct RoundContext {
        uint64 round;
        uint48 snapshot;
        bytes32 listHash;
        uint64[] ids;
    }

    /// @dev What settlement needs about each proposal of a round, read from storage once.
    /// `packed[i]` = | winner 8 | fee 96 | winningStake 128 | (see `_packOutcome`); winner is
    /// NO_WINNER when the proposal pays and slashes nothing in this round. One word per proposal
    /// keeps the per-validator loop to one memory read per proposal.
    struct Outcomes {
        uint256 finalized;
        uint256 owed;
        uint48 snapshot;
        uint256 incoherentSlashBps;
        uint256 nonRevealSlashBps;
        uint256[] packed;
    }

    bytes32 private constant COMMIT_TYPEHASH = keccak256("Commit(uint64 round,bytes32 commitment,address validator)");
    uint8 private constant NO_WINNER = type(uint8).max;
    /// @dev Gas the finalizer keeps for itself after a callback returns (event, loop).
    uint256 private constant CALLBACK_RESERVE = 10_000;

    /// @notice The view extension this oracle forwards unknown selectors to (see {fallback}).
    /// @dev Created by the constructor with the same timing, so no one can point it elsewhere.
    address public immutable viewExtension;

    /// @notice The module that runs the {IOracleEquivocation} functions on this oracle's
    /// storage (see {fallback}). Created by the constructor, so no one can point it elsewhere.
    address public immutable equivocationModule;

    constructor(OracleConfig memory config, address initialOwner)
        OracleParameters(config, initialOwner)
        EIP712("VerdictOracle", "1")
    {
        viewExtension = address(new VerdictOracleViews(_timing()));
        equivocationModule = address(new VerdictOracleEquivocation(_timing()));
    }

    /// @notice Answers every {IOracleViews} function at this address: forwards the call to the
    /// view extension, which runs on this contract's storage.
    /// @dev Two hops keep the extension read-only whatever its code: an outside call is turned
    /// into a STATICCALL to this contract, and only that self-call (caller == this) is
    /// DELEGATECALLed to the extension, so any state write in it reverts. The oracle never calls
    /// itself otherwise (every outgoing call goes to `msg.sender`, a requester or an owner-named
    /// address with empty calldata). Not payable: ETH sent with an unknown selector reverts, so
    /// the ledger's invariant holds. A forwarded view costs ~5,000 gas more (measured); on-chain
    /// consumers use {IVerdictOracle}, which is on the core.
    /// The {IOracleEquivocation} selectors, and only they, are DELEGATECALLed to the
    /// equivocation module directly: it writes this oracle's storage (slashes, bounties).
    fallback() external {
        bytes4 selector = msg.sig;
        bool toModule = selector == IOracleEquivocation.reportEquivocation.selector
            || selector == IOracleEquivocation.reportRevealMismatch.selector
            || selector == IOracleEquivocation.releaseEquivocationBounty.selector
            || selector == IOracleEquivocation.equivocationReport.selector
            || selector == IOracleEquivocation.EQUIVOCATION_BOUNTY_DIVISOR.selector;
        address target = toModule ? equivocationModule : viewExtension;
        bool delegate = toModule || msg.sender == address(this);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, 0, calldatasize())
            let ok := 0
            switch delegate
            case 0 { ok := staticcall(gas(), address(), ptr, calldatasize(), 0, 0) }
            default { ok := delegatecall(gas(), target, ptr, calldatasize(), 0, 0) }
            returndatacopy(ptr, 0, returndatasize())
            if iszero(ok) { revert(ptr, returndatasize()) }
            return(ptr, returndatasize())
        }
    }

    // ------------------------------------------------------------------ proposals

    /// @inheritdoc IVerdictOracle
    /// @dev A requester that is called back also prepays the callback's gas ({CallbackDeposit}):
    /// `msg.value` must cover the proposal fee plus the deposit (`quoteSubmit` tells the sum),
    /// and the fee validators share is what is left after the deposit.
    function submit(bytes calldata payload) external payable returns (uint256 id) {
        Parameters memory params = _parameters();
        // Opt-in is decided once, here: a contract that cannot take the callback is never called.
        bool wantsCallback = CallbackDeposit.wanted(msg.sender);
        uint256 deposit =
            wantsCallback ? CallbackDeposit.amount(params.callbackGasLimit, params.callbackGasPrice) : 0;
        if (msg.value < params.proposalFee + deposit) revert OracleFeeTooLow(msg.value, params.proposalFee + deposit);
        if (payload.length > params.maxPayloadSize) {
            revert OraclePayloadTooLarge(payload.length, params.maxPayloadSize);
        }
        VotingStorage storage $ = _voting();
        id = ++$.proposalCount;
        uint64 round = _join(id, params.maxProposalsPerRound, params.version);
        bytes32 payloadHash = keccak256(payload);
        bytes32 pinnedModel = _modelHash();
        uint256 fee = msg.value - deposit;
        Proposal storage p = $.proposals[id];
        p.requester = msg.sender;
        p.round = round;
        p.attempts = 1;
        p.status = Status.Pending;
        p.wantsCallback = wantsCallback;
        p.payloadHash = payloadHash;
        p.modelHash = pinnedModel;
        p.fee = SafeCast.toUint96(fee);
        p.createdAt = uint48(_clock());
        // Fee and deposit both join the undistributed fees; the deposit leaves them only to the
        // finalizer that makes the callback ({_callBack}).
        _receiveFee(msg.value);
        if (wantsCallback) {
            p.callbackGas = params.callbackGasLimit;
            p.callbackDeposit = uint80(deposit); // < 2^80 by the parameters' ranges
            emit CallbackDepositHeld(id, params.callbackGasLimit, deposit);
        }
        emit ProposalSubmitted(id, msg.sender, round, payloadHash, pinnedModel, fee, payload);
    }

    // ------------------------------------------------------------------ commit

    /// @inheritdoc IOracleVoting
    function commit(uint64 round, bytes32 commitment) external {
        address validator = _operatorOf(msg.sender);
        if (validator == address(0) || (msg.sender != validator && _signerOf(validator) != msg.sender)) {
            revert OracleNotOperatorOrSigner(msg.sender);
        }
        _requireCommitPhase(round);
        _commit(round, validator, commitment);
    }

    /// @inheritdoc IOracleVoting
    function commitRelayed(uint64 round, RelayedCommit[] calldata commits) external {
        _requireCommitPhase(round);
        for (uint256 i = 0; i < commits.length; ++i) {
            RelayedCommit calldata c = commits[i];
            // Already on chain (the public signed element was sent first): done, nothing to check.
            bytes32 onChain = _voting().ballots[round][c.validator].commitment;
            if (onChain != bytes32(0) && onChain == c.commitment) {
                _skip(BatchKind.Commit, round, uint160(c.validator));
                continue;
            }
            address signer = _signerOf(c.validator);
            if (signer == address(0)) revert StakingNotValidator(c.validator);
            bytes32 digest =
                _hashTypedDataV4(keccak256(abi.encode(COMMIT_TYPEHASH, round, c.commitment, c.validator)));
            // A failed recovery yields address(0), which never equals a registered signer.
            // slither-disable-next-line unused-return
            (address recovered,,) = ECDSA.tryRecover(digest, c.signature);
            if (recovered != signer) revert OracleInvalidSignature(c.validator, recovered, signer);
            _commit(round, c.validator, c.commitment);
        }
    }

    // ------------------------------------------------------------------ reveal

    /// @inheritdoc IOracleVoting
    function reveal(uint64 round, address validator, bytes calldata verdicts, bytes32 salt) external {
        RoundContext memory ctx = _revealContext(round);
        uint256[] memory sums = new uint256[](ctx.ids.length * ConsensusMath.CLASSES);
        _revealBallot(ctx, validator, verdicts, salt, sums);
        _addTallies(ctx, sums);
    }

    /// @inheritdoc IOracleVoting
    function revealMany(uint64 round, Reveal[] calldata reveals) external {
        RoundContext memory ctx = _revealContext(round);
        // Stake per (proposal, class) summed over the whole batch, so each tally slot is
        // written once per call instead of once per validator.
        uint256[] memory sums = new uint256[](ctx.ids.length * ConsensusMath.CLASSES);
        for (uint256 i = 0; i < reveals.length; ++i) {
            Reveal calldata r = reveals[i];
            Ballot storage b = _voting().ballots[round][r.validator];
            // These verdicts already revealed (by anyone: the preimage is public once sent): done.
            // Other verdicts for a revealed ballot still revert in {_revealBallot}.
            if (b.revealed && keccak256(r.verdicts) == b.verdictsHash) {
                _skip(BatchKind.Reveal, round, uint160(r.validator));
                continue;
            }
            _revealBallot(ctx, r.validator, r.verdicts, r.salt, sums);
        }
        _addTallies(ctx, sums);
    }

    // ------------------------------------------------------------------ finalize

    /// @inheritdoc IOracleVoting
    function finalize(uint256 id) external nonReentrant {
        _finalize(id, _parameters());
    }

    /// @inheritdoc IOracleVoting
    function finalizeMany(uint256[] calldata ids) external nonReentrant {
        Parameters memory params = _parameters();
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 id = ids[i];
            Proposal storage p = _voting().proposals[id];
            // Decided, or rolled into a round whose reveal phase has not begun (round r's begins
            // with round r + 1's commit phase): a finalize of it was already done. Unknown ids
            // (attempts 0) and proposals not yet due still revert in {_finalize}.
            if (p.status > Status.Pending || (p.attempts > 1 && _currentRound() <= p.round)) {
                _skip(BatchKind.Finalize, p.round, id);
                continue;
            }
            _finalize(id, params);
        }
    }

    // ------------------------------------------------------------------ settle and claim

    /// @inheritdoc IOracleVoting
    function settle(uint64 round, address validator, bytes calldata verdicts) external {
        Outcomes memory outcomes = _outcomes(round);
        _settleBallot(round, outcomes, validator, verdicts);
    }

    /// @inheritdoc IOracleVoting
    function settleMany(uint64 round, address[] calldata validators, bytes[] calldata verdicts) external {
        if (validators.length != verdicts.length) revert OracleArrayLengthMismatch(validators.length, verdicts.length);
        Outcomes memory outcomes = _outcomes(round);
        for (uint256 i = 0; i < validators.length; ++i) {
            // Settled with these very verdicts (by anyone: settle is open): done. Other verdicts
            // still revert in {_settleBallot}.
            Ballot storage b = _voting().ballots[round][validators[i]];
            bytes calldata given = verdicts[i];
            if (b.settled && (b.revealed ? keccak256(given) == b.verdictsHash : given.length == 0)) {
                _skip(BatchKind.Settle, round, uint160(validators[i]));
                continue;
            }
            _settleBallot(round, outcomes, validators[i], given);
        }
    }

    /// @inheritdoc IOracleVoting
    function claim() external nonReentrant {
        uint256 amount = _payClaim(msg.sender);
        if (amount == 0) revert OracleNothingToClaim(msg.sender);
        emit Claimed(msg.sender, amount);
        _send(msg.sender, amount);
    }

    /// @inheritdoc IOracleVoting
    function sweepRoundFees(uint64 round) external {
        Round storage r = _voting().rounds[round];
        uint256 opensAt;
        uint256 remainder;
        // No overflow: a reveal end is below 2^104. No underflow: rewards of a round never
        // exceed the fees it decided (shares round down). {_outcomes} reverts until every
        // proposal of the round is final; `owed` is the fees it decided.
        unchecked {
            opensAt = _revealEnd(round) + SETTLEMENT_WINDOW;
            if (_clock() < opensAt || r.feesSwept) revert OracleRoundNotSweepable(round, opensAt);
            remainder = _outcomes(round).owed - r.feesPaid;
        }
        r.feesSwept = true;
        _sweepFees(remainder);
        emit RoundFeesSwept(round, remainder);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IOracleGovernance
    function sweepSlashed(address payable to, uint256 amount) external onlyOwner nonReentrant {
        uint256 reserve = _slashedReserve();
        if (amount > reserve) revert GovernanceInsufficientReserve(amount, reserve);
        _sweepReserve(amount);
        emit SlashedReserveSwept(to, amount);
        _send(to, amount);
    }

    // ------------------------------------------------------------------ views (the dApp's; the rest: IOracleViews)

    /// @inheritdoc IVerdictOracle
    function proposalCount() external view returns (uint256) {
        return _voting().proposalCount;
    }

    /// @inheritdoc IVerdictOracle
    function verdictOf(uint256 id) external view returns (Status status, uint8 verdict) {
        Proposal storage p = _voting().proposals[id];
        return (p.status, p.verdict);
    }

    /// @inheritdoc IVerdictOracle
    function isLegal(uint256 id) external view returns (bool) {
        Proposal storage p = _voting().proposals[id];
        return p.status == Status.Finalized && p.verdict == 0;
    }

    /// @inheritdoc IVerdictOracle
    function proposal(uint256 id) external view returns (ProposalView memory) {
        VotingStorage storage $ = _voting();
        Proposal storage p = $.proposals[id];
        if (p.status == Status.None) revert OracleUnknownProposal(id);
        return ProposalView({
            requester: p.requester,
            payloadHash: p.payloadHash,
            modelHash: p.modelHash,
            round: p.round,
            attempts: p.attempts,
            fee: p.fee,
            status: p.status,
            verdict: p.verdict,
            createdAt: p.createdAt,
            winningStake: p.status == Status.Finalized ? $.tallies[id][p.round][p.verdict] : 0
        });
    }

    /// @inheritdoc IOracleVoting
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------ internal: rounds

    /// @dev Append `id` to the next round that has room: the current round + 1, or further when
    /// full. `joinCursor` is the furthest round ever joined, and every round after it is empty,
    /// so one step past a full round always finds room (O(1), no loop). `paramsVersion` is the
    /// version of the parameters in force now, recorded by a round this join opens.
    function _join(uint256 id, uint256 maxProposalsPerRound, uint32 paramsVersion) internal returns (uint64 target) {
        VotingStorage storage $ = _voting();
        target = _currentRound() + 1;
        if (target < $.joinCursor) target = $.joinCursor;
        Round storage r = $.rounds[target];
        if (r.size >= maxProposalsPerRound) {
            target += 1;
            r = $.rounds[target];
        }
        $.joinCursor = target;
        if (r.size == 0) {
            // Stake checkpointed after this instant never votes on this round (no flash staking).
            r.snapshot = uint48(_clock() - 1);
            // The round is decided and settled under this set, whatever the owner changes later.
            r.paramsVersion = paramsVersion;
        }
        r.size += 1;
        r.pending += 1;
        r.listHash = keccak256(abi.encode(r.listHash, id));
        r.ids.push(uint64(id));
        _markTally($.tallies[id][target]);
    }

    function _requireCommitPhase(uint64 round) private view {
        (uint256 start, uint256 end) = _commitPhase(round);
        if (!RoundClock.within(start, end, _clock())) revert OracleNotCommitPhase(round, start, end);
        if (_voting().rounds[round].size == 0) revert OracleRoundEmpty(round);
    }

    function _commit(uint64 round, address validator, bytes32 commitment) private {
        if (commitment == bytes32(0)) revert OracleZeroCommitment(validator);
        Ballot storage b = _voting().ballots[round][validator];
        if (b.commitment != bytes32(0)) revert OracleAlreadyCommitted(round, validator);
        b.commitment = commitment;
        // Counted so the validator cannot withdraw before this ballot is settled (or slashed).
        _openBallot(validator);
        emit VotesCommitted(round, validator, commitment);
    }

    // ------------------------------------------------------------------ internal: reveal

    function _revealContext(uint64 round) private view returns (RoundContext memory ctx) {
        (uint256 start, uint256 end) = _revealPhase(round);
        if (!RoundClock.within(start, end, _clock())) revert OracleNotRevealPhase(round, start, end);
        Round storage r = _voting().rounds[round];
        ctx.round = round;
        ctx.snapshot = r.snapshot;
        ctx.listHash = r.listHash;
        ctx.ids = r.ids;
    }

    function _revealBallot(
        RoundContext memory ctx,
        address validator,
        bytes calldata verdicts,
        bytes32 salt,
        uint256[] memory sums
    ) private {
        Ballot storage b = _voting().ballots[ctx.round][validator];
        bytes32 committed = b.commitment;
        if (committed == bytes32(0)) revert OracleNoCommitment(ctx.round, validator);
        if (b.revealed) revert OracleAlreadyRevealed(ctx.round, validator);
        uint256 n = ctx.ids.length;
        if (verdicts.length != n) revert OracleVerdictsLengthMismatch(verdicts.length, n);
        bytes32 verdictsHash = keccak256(verdicts);
        if (_commitment(ctx.round, validator, ctx.listHash, verdictsHash, salt) != committed) {
            revert OracleCommitmentMismatch(ctx.round, validator);
        }
        uint256 weight = _votingWeight(validator, ctx.snapshot);
        if (weight == 0) revert OracleNoStakeAtSnapshot(validator, ctx.snapshot);

        b.verdictsHash = verdictsHash;
        b.stake = uint128(weight); // stake is bounded by uint96 at staking
        b.revealed = true;
        uint256 invalidAt = _addVotes(verdicts, weight, sums);
        if (invalidAt != type(uint256).max) revert OracleInvalidVerdict(invalidAt, uint8(verdicts[invalidAt]));
        emit VotesRevealed(ctx.round, validator, verdicts, weight);
    }

    /// @dev `sums[i * CLASSES + verdicts[i]] += weight` for every i but abstentions (ABSTAIN adds
    /// nothing). Returns the first index whose byte is neither a class nor ABSTAIN, or
    /// type(uint256).max. Assembly because this is the innermost
    /// loop of the batched reveal (validators x proposals iterations) and Solidity would
    /// bounds-check every byte and word; the bounds hold by construction: the caller checked
    /// `verdicts.length == n` and `sums` has CLASSES * n words. Sums cannot overflow: stakes are < 2^96.
    function _addVotes(bytes calldata verdicts, uint256 weight, uint256[] memory sums)
        private
        pure
        returns (uint256 invalidAt)
    {
        invalidAt = type(uint256).max;
        uint256 classes = ConsensusMath.CLASSES;
        uint256 abstain = ConsensusMath.ABSTAIN;
        assembly ("memory-safe") {
            let words := add(sums, 0x20)
            for { let i := 0 } lt(i, verdicts.length) { i := add(i, 1) } {
                let v := byte(0, calldataload(add(verdicts.offset, i)))
                if iszero(lt(v, classes)) {
                    if eq(v, abstain) { continue }
                    invalidAt := i
                    break
                }
                let word := add(words, shl(5, add(mul(i, classes), v)))
                mstore(word, add(mload(word), weight))
            }
        }
    }

    function _addTallies(RoundContext memory ctx, uint256[] memory sums) private {
        mapping(uint256 id => mapping(uint64 round => uint120[VERDICT_CLASSES])) storage tallies =
            _voting().tallies;
        for (uint256 i = 0; i < ctx.ids.length; ++i) {
            for (uint256 c = 0; c < ConsensusMath.CLASSES; ++c) {
                uint256 add = sums[i * ConsensusMath.CLASSES + c];
                // No cast check needed: a tally sums distinct validators' stakes, never more than
                // the ETH the oracle holds, far below 2^120 wei (all ETH is below 2^87).
                if (add != 0) tallies[ctx.ids[i]][ctx.round][c] += uint120(add);
            }
        }
    }

    // ------------------------------------------------------------------ internal: finalize

    /// @dev `params` comes in as the set in force now and is replaced by the set the proposal's
    /// round opened under, which decides it (the same object when no change came since).
    function _finalize(uint256 id, Parameters memory params) private {
        VotingStorage storage $ = _voting();
        Proposal storage p = $.proposals[id];
        if (p.status != Status.Pending) {
            if (p.status == Status.None) revert OracleUnknownProposal(id);
            revert OracleProposalNotPending(id, uint8(p.status));
        }
        uint64 round = p.round;
        Round storage r = $.rounds[round];
        params = _parametersOf(r.paramsVersion, params);
        (uint8 leader, uint256 winning, uint256 revealed) = ConsensusMath.leader($.tallies[id][round]);
        uint256 total = _totalStakeAt(r.snapshot);
        if (!_finalizable(round, winning, revealed, total, params)) {
            revert OracleTooEarlyToFinalize(id, _revealEnd(round));
        }
        r.pending -= 1;

        if (
            ConsensusMath.meetsQuorum(revealed, total, params.quorumBps)
                && ConsensusMath.hasSupermajority(winning, revealed, params.supermajorityBps)
        ) {
            p.status = Status.Finalized;
            p.verdict = leader;
            emit ProposalFinalized(id, uint8(Status.Finalized), leader, round);
            if (p.wantsCallback) _callBack(p, id, Status.Finalized, leader);
        } else if (p.attempts < params.maxRounds) {
            uint64 next = _rejoin(id);
            p.round = next;
            p.attempts += 1;
            emit ProposalRolled(id, round, next);
        } else {
            p.status = Status.NoConsensus;
            _payFromFees(p.requester, p.fee);
            emit ProposalFinalized(id, uint8(Status.NoConsensus), 0, round);
            if (p.wantsCallback) _callBack(p, id, Status.NoConsensus, 0);
        }
    }

    /// @dev A rolled proposal joins a later round under the parameters in force now. (Its own
    /// function, reading only what `_join` needs: `_finalize` is short of stack slots.)
    function _rejoin(uint256 id) private returns (uint64) {
        (uint256 room, uint32 version) = _roomAndVersion();
        return _join(id, room, version);
    }

    /// @dev After the reveal deadline always; before it only once the outcome can no longer
    /// change, and only from the reveal phase on. (Its own function: the legacy pipeline, which
    /// Slither compiles with, runs out of stack slots inside `_finalize`.)
    function _finalizable(uint64 round, uint256 winning, uint256 revealed, uint256 total, Parameters memory params)
        private
        view
        returns (bool)
    {
        (uint256 revealStart, uint256 revealEnd) = _revealPhase(round);
        if (_clock() >= revealEnd) return true;
        return _clock() >= revealStart
            && ConsensusMath.isDecided(winning, revealed, total, params.quorumBps, params.supermajorityBps);
    }

    /// @dev The final callback of proposal `p`: its deposit is credited first (an effect before
    /// the interaction) to whoever sends this transaction, and stays credited whatever the callback
    /// does, since the sender paid its gas. A validator's signer key is credited to its operator,
    /// which claims as usual, so no value builds up on a hot key. Runs once per proposal: only on
    /// the transition to a final status, and the deposit is zeroed as it is paid.
    function _callBack(Proposal storage p, uint256 id, Status status, uint8 verdict) private {
        uint256 deposit = p.callbackDeposit;
        p.callbackDeposit = 0;
        address payee = _operatorOf(msg.sender);
        if (payee == address(0)) payee = msg.sender;
        _payFromFees(payee, deposit);
        emit CallbackDepositPaid(id, payee, deposit);
        _notify(p.requester, id, status, verdict, p.callbackGas);
    }

    /// @dev Call the requester with a gas cap and ignore its failure. The caller must leave enough
    /// gas that the callee really gets `gasLimit`, the gas its requester prepaid (EIP-150 forwards
    /// only 63/64), or a finalizer could starve the callback on purpose. Return data is not copied (no return bomb).
    function _notify(address requester, uint256 id, Status status, uint8 verdict, uint256 gasLimit) private {
        uint256 needed = (gasLimit * 64) / 63 + CALLBACK_RESERVE;
        if (gasleft() < needed) revert OracleInsufficientCallbackGas(needed, gasleft());
        bytes memory data = abi.encodeCall(IVerdictCallback.onVerdict, (id, uint8(status), verdict));
        bool ok;
        assembly ("memory-safe") {
            ok := call(gasLimit, requester, 0, add(data, 0x20), mload(data), 0, 0)
        }
        if (!ok) emit CallbackFailed(id, requester);
    }

    // ------------------------------------------------------------------ internal: settle

    /// @dev Reads each proposal's outcome in `round` once; checks that the round can settle.
    function _outcomes(uint64 round) private view returns (Outcomes memory o) {
        VotingStorage storage $ = _voting();
        Round storage r = $.rounds[round];
        uint256 revealEnd = _revealEnd(round);
        if (_clock() < revealEnd || r.pending != 0) revert OracleRoundNotSettleable(round, r.pending, revealEnd);
        // The rates in force when the round opened, not now: no change reaches an open ballot.
        Parameters memory params = _parametersOf(r.paramsVersion, _parameters());
        o.incoherentSlashBps = params.incoherentSlashBps;
        o.nonRevealSlashBps = params.nonRevealSlashBps;
        uint64[] memory ids = r.ids;
        uint256 n = ids.length;
        o.snapshot = r.snapshot;
        o.packed = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            Proposal storage p = $.proposals[ids[i]];
            // Only proposals decided by this round's tally pay or slash; rolled ones and
            // no-consensus ones do neither.
            if (p.status == Status.Finalized && p.round == round) {
                // The final tally, not the stake at finalization: a validator may still
                // reveal after an early finalization, and shares must sum to the fee.
                o.packed[i] = _packOutcome(p.verdict, p.fee, $.tallies[ids[i]][round][p.verdict]);
                // At most 1024 proposals of a fee below 2^96 each: no overflow.
                unchecked {
                    ++o.finalized;
                    o.owed += p.fee;
                }
            } else {
                o.packed[i] = _packOutcome(NO_WINNER, 0, 0);
            }
        }
    }

    function _packOutcome(uint8 winner, uint96 fee, uint128 winningStake) private pure returns (uint256) {
        return (uint256(winner) << 248) | (uint256(fee) << 128) | winningStake;
    }

    function _settleBallot(uint64 round, Outcomes memory o, address validator, bytes calldata verdicts) private {
        Ballot storage b = _voting().ballots[round][validator];
        if (b.commitment == bytes32(0)) revert OracleNoCommitment(round, validator);
        if (b.settled) revert OracleAlreadySettled(round, validator);
        b.settled = true;
        _closeBallot(validator);

        uint256 reward = 0;
        uint256 weight;
        uint256 penalty = 0; // a revealed ballot with no incoherent vote is not slashed
        IValidatorStaking.SlashReason reason;
        if (b.revealed) {
            if (keccak256(verdicts) != b.verdictsHash) revert OracleVerdictsMismatch(round, validator);
            weight = b.stake;
            uint256 incoherent = 0;
            uint256[] memory packed = o.packed;
            for (uint256 i = 0; i < packed.length; ++i) {
                uint256 outcome = packed[i];
                uint8 winner = uint8(outcome >> 248);
                if (winner == NO_WINNER) continue;
                if (uint8(verdicts[i]) == winner) {
                    uint256 fee = uint96(outcome >> 128);
                    reward += ConsensusMath.share(fee, weight, uint128(outcome));
                } else if (uint8(verdicts[i]) != ConsensusMath.ABSTAIN) {
                    ++incoherent;
                }
            }
            // The share of the round's decided proposals voted against consensus, not their
            // count: at most incoherentSlashBps of the weight per round, whatever its size.
            if (incoherent != 0) {
                penalty = ConsensusMath.bpsOf(weight * incoherent, o.incoherentSlashBps) / o.finalized;
            }
            reason = IValidatorStaking.SlashReason.Incoherent;
        } else {
            if (verdicts.length != 0) revert OracleVerdictsMismatch(round, validator);
            // Once per round, whatever its size: a share of what the vote would have weighed.
            penalty = ConsensusMath.bpsOf(_votingWeight(validator, o.snapshot), o.nonRevealSlashBps);
            reason = IValidatorStaking.SlashReason.NonReveal;
        }

        if (reward != 0) reward = _payReward(round, validator, reward);
        uint256 slashed = penalty != 0 ? _slash(validator, penalty, reason) : 0;
        emit BallotSettled(round, validator, reward, slashed);
    }

    function _typedDataHash(bytes32 structHash) internal view override returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }

    /// @dev Pays `reward` from the fees of `round` unless the round's remainder was swept (then
    /// the ballot settled too late and gets nothing); returns what was paid.
    function _payReward(uint64 round, address validator, uint256 reward) private returns (uint256) {
        Round storage r = _voting().rounds[round];
        if (r.feesSwept) return 0;
        // reward <= the round's fees, whose sum is below all the ether there is (< 2^87 wei).
        r.feesPaid += uint96(reward);
        _payFromFees(validator, reward);
        return reward;
    }

    /// @inheritdoc ValidatorStaking
    function _lastJoinedRevealEnd() internal view override returns (uint256) {
        return _revealEnd(_voting().joinCursor);
    }

    function _skip(BatchKind kind, uint64 round, uint256 subject) private {
        emit BatchElementSkipped(kind, round, subject);
    }
}
