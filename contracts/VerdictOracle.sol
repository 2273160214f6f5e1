// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC165Checker} from "@openzeppelin/contracts/utils/introspection/ERC165Checker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {OracleParameters} from "./OracleParameters.sol";
import {ValidatorStaking} from "./ValidatorStaking.sol";
import {ConsensusMath} from "./libraries/ConsensusMath.sol";
import {IOracleGovernance} from "./interfaces/IOracleGovernance.sol";
import {IOracleVoting} from "./interfaces/IOracleVoting.sol";
import {IVerdictCallback} from "./interfaces/IVerdictCallback.sol";
import {IVerdictOracle} from "./interfaces/IVerdictOracle.sol";

/// @title VerdictOracle: stake-weighted commit-reveal verdicts on transaction requests
/// @notice Implements docs/protocol.md. Proposals join voting rounds; each validator commits
/// once per round to all its verdicts of the round, reveals them once and is settled once, so
/// storage written per validator is per round, and per proposal is per round (its tally).
/// @dev Gas shape of the batched path (relayer): `commitRelayed` writes one ballot slot per
/// validator; `revealMany` tallies in memory and writes each proposal's tally once per call;
/// `settleMany` reads each proposal's outcome once per call. No loop runs over all validators.
contract VerdictOracle is ValidatorStaking, EIP712, IOracleVoting {
    /// @dev slot 0: | requester 160 | round 64 | attempts 8 | status 8 | verdict 8 | wantsCallback 8 |
    ///      slot 1: | payloadHash 256 |
    ///      slot 2: | modelHash 256 |
    ///      slot 3: | fee 96 | createdAt 48 | free 112 |
    /// The winning stake is not stored: it is the deciding round's tally of the verdict, which
    /// also counts reveals that arrive after an early finalization.
    struct Proposal {
        address requester;
        uint64 round;
        uint8 attempts;
        Status status;
        uint8 verdict;
        bool wantsCallback;
        bytes32 payloadHash;
        bytes32 modelHash;
        uint96 fee;
        uint48 createdAt;
    }

    /// @dev slot 0: | size 32 | pending 32 | snapshot 48 | free 144 |
    ///      slot 1: | listHash 256 |
    ///      slot 2+: ids, four uint64 per slot
    struct Round {
        uint32 size;
        uint32 pending;
        uint48 snapshot;
        bytes32 listHash;
        uint64[] ids;
    }

    /// @dev slot 0: | commitment 256 |
    ///      slot 1: | verdictsHash 256 |
    ///      slot 2: | stake 128 | revealed 8 | settled 8 | free 112 |
    struct Ballot {
        bytes32 commitment;
        bytes32 verdictsHash;
        uint128 stake;
        bool revealed;
        bool settled;
    }

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
        uint256 size;
        uint48 snapshot;
        uint256[] packed;
    }

    bytes32 private constant COMMIT_TYPEHASH = keccak256("Commit(uint64 round,bytes32 commitment,address validator)");
    bytes32 private constant VERDICT_TYPEHASH = keccak256("Verdict(uint256 proposalId,uint64 round,uint8 verdict)");
    uint8 private constant NO_WINNER = type(uint8).max;
    /// @dev Gas the finalizer keeps for itself after a callback returns (event, loop).
    uint256 private constant CALLBACK_RESERVE = 10_000;

    mapping(uint256 id => Proposal) internal _proposals;
    mapping(uint64 round => Round) internal _rounds;
    mapping(uint64 round => mapping(address validator => Ballot)) internal _ballots;
    mapping(uint256 id => mapping(uint64 round => uint128[5])) internal _tallies;
    /// @inheritdoc IOracleVoting
    mapping(address account => uint256) public claimable;
    mapping(bytes32 validatorProposalRound => bool) internal _equivocationReported;

    /// @inheritdoc IVerdictOracle
    uint256 public proposalCount;
    /// @notice Wei owed to accounts and not yet claimed (sum of `claimable`).
    uint256 public totalClaimable;
    /// @notice Fees received and not yet paid out as rewards or refunds (includes rounding dust).
    uint256 public undistributedFees;
    /// @dev The furthest round any proposal has joined; rounds after it are empty.
    uint64 internal _joinCursor;

    constructor(OracleConfig memory config, address initialOwner)
        OracleParameters(config, initialOwner)
        EIP712("VerdictOracle", "1")
    {}

    // ------------------------------------------------------------------ proposals

    /// @inheritdoc IVerdictOracle
    function submit(bytes calldata payload) external payable returns (uint256 id) {
        if (msg.value < _params.proposalFee) revert OracleFeeTooLow(msg.value, _params.proposalFee);
        if (payload.length > _params.maxPayloadSize) {
            revert OraclePayloadTooLarge(payload.length, _params.maxPayloadSize);
        }
        id = ++proposalCount;
        uint64 round = _join(id);
        bytes32 payloadHash = keccak256(payload);
        bytes32 pinnedModel = modelHash;
        Proposal storage p = _proposals[id];
        p.requester = msg.sender;
        p.round = round;
        p.attempts = 1;
        p.status = Status.Pending;
        // Opt-in is decided once, here: a contract that cannot take the callback is never called.
        p.wantsCallback = msg.sender.code.length != 0
            && ERC165Checker.supportsInterface(msg.sender, type(IVerdictCallback).interfaceId);
        p.payloadHash = payloadHash;
        p.modelHash = pinnedModel;
        p.fee = SafeCast.toUint96(msg.value);
        p.createdAt = uint48(block.timestamp);
        undistributedFees += msg.value;
        emit ProposalSubmitted(id, msg.sender, round, payloadHash, pinnedModel, msg.value, payload);
    }

    // ------------------------------------------------------------------ commit

    /// @inheritdoc IOracleVoting
    function commit(uint64 round, bytes32 commitment) external {
        address validator = _operators[msg.sender];
        if (validator == address(0) || (msg.sender != validator && _validators[validator].signer != msg.sender)) {
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
            address signer = _validators[c.validator].signer;
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
            _revealBallot(ctx, r.validator, r.verdicts, r.salt, sums);
        }
        _addTallies(ctx, sums);
    }

    // ------------------------------------------------------------------ finalize

    /// @inheritdoc IOracleVoting
    function finalize(uint256 id) external nonReentrant {
        _finalize(id);
    }

    /// @inheritdoc IOracleVoting
    function finalizeMany(uint256[] calldata ids) external nonReentrant {
        for (uint256 i = 0; i < ids.length; ++i) {
            _finalize(ids[i]);
        }
    }

    // ------------------------------------------------------------------ settle and claim

    /// @inheritdoc IOracleVoting
    function settle(uint64 round, address validator, bytes calldata verdicts) external {
        Outcomes memory outcomes = _outcomes(round);
        uint256 reward = _settleBallot(round, outcomes, validator, verdicts);
        _moveFeesToClaimable(reward);
    }

    /// @inheritdoc IOracleVoting
    function settleMany(uint64 round, address[] calldata validators, bytes[] calldata verdicts) external {
        if (validators.length != verdicts.length) revert OracleArrayLengthMismatch(validators.length, verdicts.length);
        Outcomes memory outcomes = _outcomes(round);
        uint256 rewards = 0;
        for (uint256 i = 0; i < validators.length; ++i) {
            rewards += _settleBallot(round, outcomes, validators[i], verdicts[i]);
        }
        _moveFeesToClaimable(rewards);
    }

    /// @inheritdoc IOracleVoting
    function claim() external nonReentrant {
        uint256 amount = claimable[msg.sender];
        if (amount == 0) revert OracleNothingToClaim(msg.sender);
        claimable[msg.sender] = 0;
        totalClaimable -= amount;
        emit Claimed(msg.sender, amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert OracleTransferFailed(msg.sender, amount);
    }

    // ------------------------------------------------------------------ equivocation

    /// @inheritdoc IOracleVoting
    function reportEquivocation(Verdict calldata a, bytes calldata sigA, Verdict calldata b, bytes calldata sigB)
        external
    {
        if (a.proposalId != b.proposalId || a.round != b.round || a.verdict == b.verdict) {
            revert OracleEquivocationNotConflicting();
        }
        address signerA = _verdictSigner(a, sigA);
        address signerB = _verdictSigner(b, sigB);
        if (signerA != signerB) revert OracleEquivocationSignersDiffer(signerA, signerB);
        address validator = _operators[signerA];
        if (signerA == address(0) || validator == address(0)) revert OracleUnknownSigner(signerA);
        bytes32 key = keccak256(abi.encode(validator, a.proposalId, a.round));
        if (_equivocationReported[key]) revert OracleEquivocationAlreadyReported(validator, a.proposalId, a.round);
        _equivocationReported[key] = true;

        uint256 taken = _slash(
            validator,
            ConsensusMath.bpsOf(_bondedStake(validator), _params.equivocationSlashBps),
            SLASH_EQUIVOCATION
        );
        uint256 bounty = taken / 2;
        slashedReserve -= bounty;
        claimable[msg.sender] += bounty;
        totalClaimable += bounty;
        emit EquivocationReported(validator, msg.sender, a.proposalId, a.round);
    }

    // ------------------------------------------------------------------ governance

    /// @inheritdoc IOracleGovernance
    function sweepSlashed(address payable to, uint256 amount) external onlyOwner nonReentrant {
        if (amount > slashedReserve) revert GovernanceInsufficientReserve(amount, slashedReserve);
        slashedReserve -= amount;
        emit SlashedReserveSwept(to, amount);
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert OracleTransferFailed(to, amount);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IVerdictOracle
    function verdictOf(uint256 id) external view returns (Status status, uint8 verdict) {
        Proposal storage p = _proposals[id];
        return (p.status, p.verdict);
    }

    /// @inheritdoc IVerdictOracle
    function isLegal(uint256 id) external view returns (bool) {
        Proposal storage p = _proposals[id];
        return p.status == Status.Finalized && p.verdict == 0;
    }

    /// @inheritdoc IVerdictOracle
    function proposal(uint256 id) external view returns (ProposalView memory) {
        Proposal storage p = _proposals[id];
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
            winningStake: p.status == Status.Finalized ? _tallies[id][p.round][p.verdict] : 0
        });
    }

    /// @inheritdoc IOracleVoting
    function currentRound() public view returns (uint64) {
        return uint64((block.timestamp - genesis) / roundDuration);
    }

    /// @inheritdoc IOracleVoting
    function roundTiming(uint64 round) public view returns (uint64 commitStart, uint64 revealStart, uint64 revealEnd) {
        commitStart = uint64(genesis + uint256(round) * roundDuration);
        revealStart = uint64(commitStart + roundDuration);
        revealEnd = uint64(revealStart + revealDuration);
    }

    /// @inheritdoc IOracleVoting
    function roundInfo(uint64 round)
        external
        view
        returns (uint32 size, uint32 pending, uint48 snapshot, bytes32 listHash)
    {
        Round storage r = _rounds[round];
        return (r.size, r.pending, r.snapshot, r.listHash);
    }

    /// @inheritdoc IOracleVoting
    function roundProposals(uint64 round) external view returns (uint256[] memory ids) {
        uint64[] storage stored = _rounds[round].ids;
        ids = new uint256[](stored.length);
        for (uint256 i = 0; i < ids.length; ++i) {
            ids[i] = stored[i];
        }
    }

    /// @inheritdoc IOracleVoting
    function ballotOf(uint64 round, address validator)
        external
        view
        returns (bytes32 commitment, bytes32 verdictsHash, uint128 stake, bool revealed, bool settled)
    {
        Ballot storage b = _ballots[round][validator];
        return (b.commitment, b.verdictsHash, b.stake, b.revealed, b.settled);
    }

    /// @inheritdoc IOracleVoting
    function tallyOf(uint256 id, uint64 round) external view returns (uint128[5] memory) {
        return _tallies[id][round];
    }

    /// @inheritdoc IOracleVoting
    function commitmentFor(uint64 round, address validator, bytes calldata verdicts, bytes32 salt)
        external
        view
        returns (bytes32)
    {
        return _commitment(round, validator, _rounds[round].listHash, keccak256(verdicts), salt);
    }

    /// @inheritdoc IOracleVoting
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ------------------------------------------------------------------ internal: rounds

    /// @dev Append `id` to the next round that has room: `currentRound() + 1`, or further when
    /// full. `_joinCursor` is the furthest round ever joined, and every round after it is empty,
    /// so one step past a full round always finds room (O(1), no loop).
    function _join(uint256 id) internal returns (uint64 target) {
        target = currentRound() + 1;
        if (target < _joinCursor) target = _joinCursor;
        Round storage r = _rounds[target];
        if (r.size >= _params.maxProposalsPerRound) {
            target += 1;
            r = _rounds[target];
        }
        _joinCursor = target;
        // Stake checkpointed after this instant never votes on this round (no flash staking).
        if (r.size == 0) r.snapshot = uint48(block.timestamp - 1);
        r.size += 1;
        r.pending += 1;
        r.listHash = keccak256(abi.encode(r.listHash, id));
        r.ids.push(uint64(id));
    }

    function _requireCommitPhase(uint64 round) private view {
        (uint64 commitStart, uint64 revealStart,) = roundTiming(round);
        if (block.timestamp < commitStart || block.timestamp >= revealStart) {
            revert OracleNotCommitPhase(round, commitStart, revealStart);
        }
        if (_rounds[round].size == 0) revert OracleRoundEmpty(round);
    }

    function _commit(uint64 round, address validator, bytes32 commitment) private {
        if (commitment == bytes32(0)) revert OracleZeroCommitment(validator);
        Ballot storage b = _ballots[round][validator];
        if (b.commitment != bytes32(0)) revert OracleAlreadyCommitted(round, validator);
        b.commitment = commitment;
        // Counted so the validator cannot withdraw before this ballot is settled (or slashed).
        _validators[validator].openBallots += 1;
        emit VotesCommitted(round, validator, commitment);
    }

    // ------------------------------------------------------------------ internal: reveal

    function _revealContext(uint64 round) private view returns (RoundContext memory ctx) {
        (, uint64 revealStart, uint64 revealEnd) = roundTiming(round);
        if (block.timestamp < revealStart || block.timestamp >= revealEnd) {
            revert OracleNotRevealPhase(round, revealStart, revealEnd);
        }
        Round storage r = _rounds[round];
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
        Ballot storage b = _ballots[ctx.round][validator];
        bytes32 committed = b.commitment;
        if (committed == bytes32(0)) revert OracleNoCommitment(ctx.round, validator);
        if (b.revealed) revert OracleAlreadyRevealed(ctx.round, validator);
        uint256 n = ctx.ids.length;
        if (verdicts.length != n) revert OracleVerdictsLengthMismatch(verdicts.length, n);
        bytes32 verdictsHash = keccak256(verdicts);
        if (_commitment(ctx.round, validator, ctx.listHash, verdictsHash, salt) != committed) {
            revert OracleCommitmentMismatch(ctx.round, validator);
        }
        uint256 weight = _stakeAt(validator, ctx.snapshot);
        if (weight == 0) revert OracleNoStakeAtSnapshot(validator, ctx.snapshot);

        b.verdictsHash = verdictsHash;
        b.stake = uint128(weight); // stake is bounded by uint96 at staking
        b.revealed = true;
        uint256 invalidAt = _addVotes(verdicts, weight, sums);
        if (invalidAt != type(uint256).max) revert OracleInvalidVerdict(invalidAt, uint8(verdicts[invalidAt]));
        emit VotesRevealed(ctx.round, validator, verdicts, weight);
    }

    /// @dev `sums[i * 5 + verdicts[i]] += weight` for every i. Returns the first index whose class
    /// is not 0..4, or type(uint256).max. Assembly because this is the innermost loop of the
    /// batched reveal (validators x proposals iterations) and Solidity would bounds-check every
    /// byte and word; the bounds hold by construction: the caller checked
    /// `verdicts.length == n` and `sums` has 5n words. Sums cannot overflow: stakes are < 2^96.
    function _addVotes(bytes calldata verdicts, uint256 weight, uint256[] memory sums)
        private
        pure
        returns (uint256 invalidAt)
    {
        invalidAt = type(uint256).max;
        assembly ("memory-safe") {
            let words := add(sums, 0x20)
            for { let i := 0 } lt(i, verdicts.length) { i := add(i, 1) } {
                let v := byte(0, calldataload(add(verdicts.offset, i)))
                if gt(v, 4) {
                    invalidAt := i
                    break
                }
                let word := add(words, shl(5, add(mul(i, 5), v)))
                mstore(word, add(mload(word), weight))
            }
        }
    }

    function _addTallies(RoundContext memory ctx, uint256[] memory sums) private {
        for (uint256 i = 0; i < ctx.ids.length; ++i) {
            for (uint256 c = 0; c < ConsensusMath.CLASSES; ++c) {
                uint256 add = sums[i * ConsensusMath.CLASSES + c];
                // Written through the mapping (not a storage pointer) so static analysis sees it.
                if (add != 0) _tallies[ctx.ids[i]][ctx.round][c] += SafeCast.toUint128(add);
            }
        }
    }

    /// @dev The one place the commitment is computed: `reveal` checks it, `commitmentFor` shows it.
    function _commitment(uint64 round, address validator, bytes32 listHash, bytes32 verdictsHash, bytes32 salt)
        private
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(block.chainid, address(this), round, validator, listHash, verdictsHash, salt));
    }

    // ------------------------------------------------------------------ internal: finalize

    function _finalize(uint256 id) private {
        Proposal storage p = _proposals[id];
        if (p.status != Status.Pending) {
            if (p.status == Status.None) revert OracleUnknownProposal(id);
            revert OracleProposalNotPending(id, uint8(p.status));
        }
        uint64 round = p.round;
        Round storage r = _rounds[round];
        (uint8 leader, uint256 winning, uint256 revealed) = ConsensusMath.leader(_tallies[id][round]);
        uint256 total = _totalStakeAt(r.snapshot);
        (, uint64 revealStart, uint64 revealEnd) = roundTiming(round);
        if (block.timestamp < revealEnd) {
            bool decided = block.timestamp >= revealStart
                && ConsensusMath.isDecided(winning, revealed, total, _params.quorumBps, _params.supermajorityBps);
            if (!decided) revert OracleTooEarlyToFinalize(id, revealEnd);
        }
        r.pending -= 1;

        if (
            ConsensusMath.meetsQuorum(revealed, total, _params.quorumBps)
                && ConsensusMath.hasSupermajority(winning, revealed, _params.supermajorityBps)
        ) {
            p.status = Status.Finalized;
            p.verdict = leader;
            emit ProposalFinalized(id, uint8(Status.Finalized), leader, round);
            if (p.wantsCallback) _notify(p.requester, id, Status.Finalized, leader);
        } else if (p.attempts < _params.maxRounds) {
            uint64 next = _join(id);
            p.round = next;
            p.attempts += 1;
            emit ProposalRolled(id, round, next);
        } else {
            p.status = Status.NoConsensus;
            uint256 fee = p.fee;
            undistributedFees -= fee;
            claimable[p.requester] += fee;
            totalClaimable += fee;
            emit ProposalFinalized(id, uint8(Status.NoConsensus), 0, round);
            if (p.wantsCallback) _notify(p.requester, id, Status.NoConsensus, 0);
        }
    }

    /// @dev Call the requester with a gas cap and ignore its failure. The caller must leave enough
    /// gas that the callee really gets `callbackGasLimit` (EIP-150 forwards only 63/64), or a
    /// finalizer could starve the callback on purpose. Return data is not copied (no return bomb).
    function _notify(address requester, uint256 id, Status status, uint8 verdict) private {
        uint256 gasLimit = _params.callbackGasLimit;
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
        Round storage r = _rounds[round];
        (,, uint64 revealEnd) = roundTiming(round);
        if (block.timestamp < revealEnd || r.pending != 0) {
            revert OracleRoundNotSettleable(round, r.pending, revealEnd);
        }
        uint64[] memory ids = r.ids;
        uint256 n = ids.length;
        o.size = n;
        o.snapshot = r.snapshot;
        o.packed = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            Proposal storage p = _proposals[ids[i]];
            // Only proposals decided by this round's tally pay or slash; rolled ones and
            // no-consensus ones do neither.
            if (p.status == Status.Finalized && p.round == round) {
                // The final tally, not the stake at finalization: a validator may still
                // reveal after an early finalization, and shares must sum to the fee.
                o.packed[i] = _packOutcome(p.verdict, p.fee, _tallies[ids[i]][round][p.verdict]);
            } else {
                o.packed[i] = _packOutcome(NO_WINNER, 0, 0);
            }
        }
    }

    function _packOutcome(uint8 winner, uint96 fee, uint128 winningStake) private pure returns (uint256) {
        return (uint256(winner) << 248) | (uint256(fee) << 128) | winningStake;
    }

    function _settleBallot(uint64 round, Outcomes memory o, address validator, bytes calldata verdicts)
        private
        returns (uint256 reward)
    {
        Ballot storage b = _ballots[round][validator];
        if (b.commitment == bytes32(0)) revert OracleNoCommitment(round, validator);
        if (b.settled) revert OracleAlreadySettled(round, validator);
        b.settled = true;
        _validators[validator].openBallots -= 1;

        uint256 weight;
        uint256 penalty;
        uint8 reason;
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
                } else {
                    ++incoherent;
                }
            }
            penalty = ConsensusMath.bpsOf(weight * incoherent, _params.incoherentSlashBps);
            reason = SLASH_INCOHERENT;
        } else {
            if (verdicts.length != 0) revert OracleVerdictsMismatch(round, validator);
            weight = _stakeAt(validator, o.snapshot);
            penalty = ConsensusMath.bpsOf(weight * o.size, _params.nonRevealSlashBps);
            reason = SLASH_NON_REVEAL;
        }
        if (penalty > weight) penalty = weight;

        if (reward != 0) claimable[validator] += reward;
        uint256 slashed = penalty != 0 ? _slash(validator, penalty, reason) : 0;
        emit BallotSettled(round, validator, reward, slashed);
    }

    function _moveFeesToClaimable(uint256 amount) private {
        if (amount == 0) return;
        undistributedFees -= amount;
        totalClaimable += amount;
    }

    function _verdictSigner(Verdict calldata v, bytes calldata signature) private view returns (address signer) {
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(VERDICT_TYPEHASH, v.proposalId, v.round, v.verdict)));
        // A failed recovery yields address(0), which every caller rejects.
        // slither-disable-next-line unused-return
        (signer,,) = ECDSA.tryRecover(digest, signature);
    }
}
