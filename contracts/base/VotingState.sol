// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";
import {ConsensusMath, VERDICT_CLASSES} from "../libraries/ConsensusMath.sol";

/// @title VotingState: proposals, rounds, ballots and tallies
/// @notice The voting records of the oracle, in storage at a fixed slot so that the oracle
/// (which writes them) and its view extension (which reads them) share one layout. Also the one
/// definition of a ballot's commitment, which `reveal` checks and `commitmentFor` shows.
abstract contract VotingState {
    /// @dev slot 0: | requester 160 | round 64 | attempts 8 | status 8 | verdict 8 | wantsCallback 8 |
    ///      slot 1: | payloadHash 256 |
    ///      slot 2: | modelHash 256 |
    ///      slot 3: | fee 96 | createdAt 48 | callbackGas 32 | callbackDeposit 80 |
    /// `callbackGas` and `callbackDeposit`: the gas the requester's callback gets and the wei it
    /// prepaid for it ({CallbackDeposit}); both fixed at submit, so a later change of the
    /// parameters never reaches a proposal. `callbackDeposit` is zeroed when it is paid.
    /// The winning stake is not stored: it is the deciding round's tally of the verdict, which
    /// also counts reveals that arrive after an early finalization.
    struct Proposal {
        address requester;
        uint64 round;
        uint8 attempts;
        IVerdictOracle.Status status;
        uint8 verdict;
        bool wantsCallback;
        bytes32 payloadHash;
        bytes32 modelHash;
        uint96 fee;
        uint48 createdAt;
        uint32 callbackGas;
        uint80 callbackDeposit;
    }

    /// @dev slot 0: | size 32 | pending 32 | snapshot 48 | paramsVersion 32 | feesPaid 96 | feesSwept 8 | free 8 |
    ///      slot 1: | listHash 256 |
    ///      slot 2+: ids, four uint64 per slot
    /// `paramsVersion`: the parameter set in force when the first proposal joined; the round is
    /// decided and settled under it ({ParameterState-_parametersOf}).
    /// `feesPaid`: rewards paid so far from the fees of the proposals this round decided (96 bits:
    /// more than all the ether there is); `feesSwept`: the rest went to the reserve
    /// ({VerdictOracle-sweepRoundFees}), later settlements pay no reward.
    struct Round {
        uint32 size;
        uint32 pending;
        uint48 snapshot;
        uint32 paramsVersion;
        uint96 feesPaid;
        bool feesSwept;
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

        struct VotingStorage {
        mapping(uint256 id => Proposal) proposals;
        mapping(uint64 round => Round) rounds;
        mapping(uint64 round => mapping(address validator => Ballot)) ballots;
        /// @dev Stake per class; uint120 (far above all ETH) leaves the top 16 bits of each of
        /// the three words free for the sentinel of {_markTally}.
        mapping(uint256 id => mapping(uint64 round => uint120[VERDICT_CLASSES])) tallies;
        uint256 proposalCount;
        /// @dev The furthest round any proposal has joined; rounds after it are empty.
        uint64 joinCursor;
    }

    /// @dev The fixed first slot of this contract's storage (see {OracleLedger} on why a small number).
    uint256 private constant STORAGE_SLOT = 0x400;
    /// @dev How long after its reveal phase a round's ballots may still claim rewards; then anyone
    /// may sweep what is left of the round's fees to the reserve (`sweepRoundFees`).
    uint256 internal constant SETTLEMENT_WINDOW = 7 days;

    function _voting() internal pure returns (VotingStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }

    /// @dev Bit 255 of a tally word: no class uses it (two uint120 classes fill bits 0..239).
    uint256 private constant TALLY_SENTINEL = 1 << 255;
    /// @dev Words of a `uint120[VERDICT_CLASSES]` tally (two classes per word).
    uint256 private constant TALLY_WORDS = (VERDICT_CLASSES + 1) / 2;

    /// @dev Set the sentinel bit in every word of `tally`, invisible to Solidity reads of the
    /// classes. Called when a proposal joins a round, so the joiner (the submitter, or the
    /// finalize that rolls it) pays the zero-to-non-zero write of each word (~22,100 gas), and
    /// every reveal after it adds stake to a non-zero word (~5,000 gas): the first revealer of
    /// a round pays what later ones do, and a full round's first reveal fits in a transaction.
    function _markTally(uint120[VERDICT_CLASSES] storage tally) internal {
        uint256 words = TALLY_WORDS;
        assembly ("memory-safe") {
            let word := tally.slot
            for { let end := add(word, words) } lt(word, end) { word := add(word, 1) } {
                sstore(word, or(sload(word), TALLY_SENTINEL))
            }
        }
    }

    /// @dev The one place the commitment is computed: `reveal` checks it, `commitmentFor` shows it.
    /// `address(this)` is the oracle in both (the view extension runs by delegatecall).
    function _commitment(uint64 round, address validator, bytes32 listHash, bytes32 verdictsHash, bytes32 salt)
        internal
        view
        returns (bytes32)
    {
        return keccak256(abi.encode(block.chainid, address(this), round, validator, listHash, verdictsHash, salt));
    }
}
