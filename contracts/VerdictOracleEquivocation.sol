// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {OracleLedger} from "./base/OracleLedger.sol";
import {ParameterState} from "./base/ParameterState.sol";
import {ValidatorRegistry} from "./base/ValidatorRegistry.sol";
import {VotingState} from "./base/VotingState.sol";
import {ConsensusMath} from "./libraries/ConsensusMath.sol";
import {IOracleEquivocation} from "./interfaces/IOracleEquivocation.sol";
import {IOracleVoting} from "./interfaces/IOracleVoting.sol";
import {IValidatorStaking} from "./interfaces/IValidatorStaking.sol";

/// @title VerdictOracleEquivocation: the oracle's equivocation reports, outside its bytecode
/// @notice Deployed by {VerdictOracle}'s constructor and reached only through the oracle's
/// `fallback`, which DELEGATECALLs here for the {IOracleEquivocation} selectors alone, so every
/// function runs on the oracle's storage, balance and EIP-712 domain. Called directly at its
/// own address it sees its own, empty, storage: always call the oracle.
/// @dev Inherits the oracle's state contracts for their layouts and hooks, like the view
/// extension. Its own record (one report per validator and round) sits at an ERC-7201 slot.
/// No function makes an external call; ETH leaves only through the oracle's `claim`.
contract VerdictOracleEquivocation is
    ParameterState,
    OracleLedger,
    ValidatorRegistry,
    VotingState,
    EIP712,
    IOracleEquivocation
{
    /// @dev slot 0: | reporter 160 | reportedAt 48 | free 48 |
    ///      slot 1: | bounty 256 |
    struct Report {
        address reporter;
        uint48 reportedAt;
        uint256 bounty;
    }

    /// @custom:storage-location erc7201:verdictoracle.storage.Equivocation
    struct EquivocationStorage {
        mapping(address validator => mapping(uint64 round => Report)) reports;
    }

    /// @inheritdoc IOracleEquivocation
    /// @dev 1/64 of the slash: a report costs the reporter ~100k gas, far below 1/64 of
    /// `equivocationSlashBps` of a minimum stake at any sane gas price, while a validator that
    /// reports itself from a second address gets back 1/64 of what it loses (at the default 50%
    /// slash: 0.78% of its stake for a 50% loss). Ethereum pays a whistleblower 1/4096 of the
    /// offender's balance; this oracle has far fewer watchers, so it pays more.
    uint256 public constant EQUIVOCATION_BOUNTY_DIVISOR = 64;

    bytes32 private constant VERDICT_TYPEHASH = keccak256(
        "Verdict(uint256 proposalId,uint64 round,bytes32 payloadHash,bytes32 modelHash,uint8 verdict)"
    );
    // keccak256(abi.encode(uint256(keccak256("verdictoracle.storage.Equivocation")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant EQUIVOCATION_STORAGE_SLOT = 0x8bb4fd53091cd415f58a2eafa81a512756c05d2d4034f4e5bef6840709946700;

    /// @dev The same EIP-712 name and version as the oracle; run by DELEGATECALL, `address(this)`
    /// is the oracle, so {_hashTypedDataV4} rebuilds the oracle's own domain separator.
    constructor(Timing memory timing_) ParameterState(timing_) EIP712("VerdictOracle", "1") {}

    /// @inheritdoc IOracleEquivocation
    function reportEquivocation(
        IOracleVoting.Verdict calldata a,
        bytes calldata sigA,
        IOracleVoting.Verdict calldata b,
        bytes calldata sigB
    ) external {
        if (a.proposalId != b.proposalId || a.round != b.round || a.verdict == b.verdict) {
            revert OracleEquivocationNotConflicting();
        }
        address signerA = _verdictSigner(a, sigA);
        address signerB = _verdictSigner(b, sigB);
        if (signerA != signerB) revert OracleEquivocationSignersDiffer(signerA, signerB);
        _indexInRound(a);
        // Same proposal as `a` (checked above): its payload hash is the one `a` matched.
        if (b.payloadHash != a.payloadHash) revert OracleEquivocationWrongPayload(b.proposalId, b.payloadHash);
        _punish(_validatorOf(signerA, a.round), a);
    }

    /// @inheritdoc IOracleEquivocation
    function reportRevealMismatch(IOracleVoting.Verdict calldata v, bytes calldata sig, bytes calldata revealed)
        external
    {
        address validator = _validatorOf(_verdictSigner(v, sig), v.round);
        uint256 index = _indexInRound(v);
        Ballot storage ballot = _voting().ballots[v.round][validator];
        // A ballot never revealed has a zero hash, which no bytes hash to.
        if (!ballot.revealed || keccak256(revealed) != ballot.verdictsHash) {
            revert IOracleVoting.OracleVerdictsMismatch(v.round, validator);
        }
        if (uint8(revealed[index]) == v.verdict) revert OracleEquivocationNotConflicting();
        _punish(validator, v);
    }

    /// @inheritdoc IOracleEquivocation
    function releaseEquivocationBounty(address validator, uint64 round) external {
        Report storage report = _reports()[validator][round];
        uint256 amount = report.bounty;
        if (amount == 0) revert OracleNoPendingBounty(validator, round);
        uint256 open = _openBallots(validator);
        uint256 releasableAt = report.reportedAt + _unbondingPeriod;
        // Open ballots may still be slashed: a self-reporter is paid only after they are.
        if (open != 0 && _clock() < releasableAt) {
            revert OracleBountyLocked(validator, open, releasableAt);
        }
        report.bounty = 0;
        address reporter = report.reporter;
        _releaseBounty(reporter, amount);
        emit EquivocationBountyReleased(validator, round, reporter, amount);
    }

    /// @inheritdoc IOracleEquivocation
    function equivocationReport(address validator, uint64 round)
        external
        view
        returns (address reporter, uint256 bounty, uint256 releasableAt)
    {
        Report storage report = _reports()[validator][round];
        reporter = report.reporter;
        bounty = report.bounty;
        releasableAt = reporter == address(0) ? 0 : report.reportedAt + _unbondingPeriod;
    }

    // ------------------------------------------------------------------ internal

    /// @dev Slash `validator` once for round `v.round` and hold the reporter's bounty.
    function _punish(address validator, IOracleVoting.Verdict calldata v) private {
        Report storage report = _reports()[validator][v.round];
        if (report.reporter != address(0)) {
            revert OracleEquivocationAlreadyReported(validator, v.round);
        }
        report.reporter = msg.sender;
        report.reportedAt = uint48(_clock());
        // The rate of the round the verdicts were for (item 7: no owner change reaches back).
        uint32 version = _voting().rounds[v.round].paramsVersion;
        uint256 rate = _parametersOf(version, _parameters()).equivocationSlashBps;
        uint256 taken = _slash(
            validator,
            ConsensusMath.bpsOf(_bondedStake(validator), rate),
            IValidatorStaking.SlashReason.Equivocation
        );
        uint256 bounty = taken / EQUIVOCATION_BOUNTY_DIVISOR;
        report.bounty = bounty;
        _holdBounty(bounty);
        emit EquivocationReported(
            validator, msg.sender, v.proposalId, v.round, bounty, _clock() + _unbondingPeriod
        );
    }

    /// @dev The validator `signer` signs for in `round`: its current signer always; a retired
    /// one only for rounds whose commit phase began before it was rotated out, and only for
    /// `unbondingPeriod` after that (the same time withdrawn stake stays slashable).
    function _validatorOf(address signer, uint64 round) private view returns (address validator) {
        validator = _operatorOf(signer);
        if (signer == address(0) || validator == address(0)) revert OracleUnknownSigner(signer);
        if (_signerOf(validator) == signer) return validator;
        uint256 retiredAt = _signerRetiredAt(signer);
        (uint256 commitStart,) = _commitPhase(round);
        if (commitStart >= retiredAt || _clock() >= retiredAt + _unbondingPeriod) {
            revert OracleSignerRetired(signer, retiredAt + _unbondingPeriod);
        }
    }

    /// @dev Position of `v.proposalId` in `v.round`'s list; reverts unless the proposal is (or
    /// was) in that round and `v.payloadHash` is its payload's. Bounded: a round holds at most
    /// MAX_PROPOSALS_PER_ROUND ids. Reads the packed list a slot (four ids) at a time: a
    /// report on the last of 1024 ids costs ~0.9M gas in all, on the first ~0.2M (a report is
    /// rare and not a validator duty).
    function _indexInRound(IOracleVoting.Verdict calldata v) private view returns (uint256 index) {
        VotingStorage storage $ = _voting();
        uint256 id = v.proposalId;
        bytes32 payloadHash = $.proposals[id].payloadHash;
        if (payloadHash != v.payloadHash || payloadHash == bytes32(0)) {
            revert OracleEquivocationWrongPayload(id, v.payloadHash);
        }
        uint64[] storage ids = $.rounds[v.round].ids;
        uint256 n = ids.length;
        index = type(uint256).max;
        // Solidity packs a uint64[] four to a slot from keccak256(slot), lowest bits first.
        assembly ("memory-safe") {
            mstore(0, ids.slot)
            let base := keccak256(0, 0x20)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                if iszero(and(i, 3)) { mstore(0x20, sload(add(base, shr(2, i)))) }
                if eq(and(shr(shl(6, and(i, 3)), mload(0x20)), 0xffffffffffffffff), id) {
                    index := i
                    break
                }
            }
        }
        if (index == type(uint256).max) revert OracleEquivocationNotInRound(id, v.round);
    }

    function _verdictSigner(IOracleVoting.Verdict calldata v, bytes calldata signature)
        private
        view
        returns (address signer)
    {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(VERDICT_TYPEHASH, v.proposalId, v.round, v.payloadHash, v.modelHash, v.verdict))
        );
        // A failed recovery yields address(0), which every caller rejects.
        // slither-disable-next-line unused-return
        (signer,,) = ECDSA.tryRecover(digest, signature);
    }

    function _reports() private view returns (mapping(address => mapping(uint64 => Report)) storage) {
        return _equivocation().reports;
    }

    function _equivocation() private pure returns (EquivocationStorage storage $) {
        assembly ("memory-safe") {
            $.slot := EQUIVOCATION_STORAGE_SLOT
        }
    }
}
