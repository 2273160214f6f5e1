// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IVerdictOracle: what a dApp compiles against
/// @notice A dApp submits a proposal (an ABI-encoded `TxRequest`, see docs/labels.md) with a fee,
/// validators judge it with a pinned classifier in commit-reveal voting rounds, and the
/// stake-weighted consensus verdict is read back with {verdictOf} / {isLegal}, or pushed to
/// the requester through {IVerdictCallback-onVerdict} when the requester opted in via ERC-165.
/// @dev Verdict classes (docs/labels.md): 0 legal, 1 fraud, 2 illicit, 3 sanctioned, 4 malformed.
interface IVerdictOracle {
    /// @notice Life cycle of a proposal. `None` means the id was never used.
    enum Status {
        None,
        Pending,
        Finalized,
        NoConsensus
    }

    /// @notice Everything a dApp may want to know about one proposal.
    /// @dev The first eight fields are the normative order of docs/protocol.md; later fields
    /// are additions that never move the earlier ones.
    struct ProposalView {
        address requester;
        bytes32 payloadHash;
        bytes32 modelHash;
        uint64 round;
        uint8 attempts;
        uint256 fee;
        Status status;
        uint8 verdict;
        uint48 createdAt;
        uint256 winningStake;
    }

    /// @notice A proposal was accepted; validators read `payload` from this event.
    /// @param id Proposal id (starts at 1, increases by one).
    /// @param requester The account that submitted and paid.
    /// @param round The voting round the proposal joined.
    /// @param payloadHash `keccak256(payload)`, stored on-chain.
    /// @param modelHash The classifier hash pinned at submission; validators must run it.
    /// @param fee The `msg.value` less the callback deposit (see `CallbackDepositHeld`; none
    /// for a requester without a callback), shared by coherent validators.
    /// @param payload `abi.encode(TxRequest)` bytes.
    event ProposalSubmitted(
        uint256 indexed id,
        address indexed requester,
        uint64 indexed round,
        bytes32 payloadHash,
        bytes32 modelHash,
        uint256 fee,
        bytes payload
    );

    /// @notice A proposal reached a final status (`Finalized` with a verdict, or `NoConsensus`).
    /// @param status `uint8(Status)`.
    /// @param verdict The winning class when `status == Finalized`, else 0.
    /// @param round The round whose tally decided it.
    event ProposalFinalized(uint256 indexed id, uint8 status, uint8 verdict, uint64 round);

    /// @notice `msg.value` is below the proposal fee plus, for a requester that is called back,
    /// the callback deposit: send at least `required` wei (the `quoteSubmit` view tells it).
    error OracleFeeTooLow(uint256 sent, uint256 required);
    /// @notice The payload is longer than `maxPayloadSize`: shorten the memo or calldata.
    error OraclePayloadTooLarge(uint256 size, uint256 maxSize);
    /// @notice No proposal has this id (ids start at 1).
    error OracleUnknownProposal(uint256 id);

    /// @notice Submit a transaction request for judgement.
    /// @dev The whole `msg.value` is the fee. If the caller is a contract that reports
    /// {IVerdictCallback} through ERC-165, it is called back on finalization and prepays the
    /// callback's gas: `callbackGasLimit x callbackGasPrice` of `msg.value` is held as its
    /// deposit (paid to the finalizer) and the rest is the fee. `quoteSubmit(requester)`, a
    /// view answered at the oracle's address, returns the exact `msg.value` to send.
    /// @param payload `abi.encode(TxRequest)`; at most `maxPayloadSize` bytes.
    /// @return id The new proposal id.
    function submit(bytes calldata payload) external payable returns (uint256 id);

    /// @notice The minimum `msg.value` for {submit}, in wei.
    function proposalFee() external view returns (uint256);

    /// @notice The largest accepted payload, in bytes.
    function maxPayloadSize() external view returns (uint256);

    /// @notice The classifier hash new proposals pin.
    function modelHash() external view returns (bytes32);

    /// @notice Number of proposals ever submitted (also the latest id).
    function proposalCount() external view returns (uint256);

    /// @notice The status and verdict of a proposal; `verdict` is meaningful only when
    /// `status == Finalized`.
    function verdictOf(uint256 id) external view returns (Status status, uint8 verdict);

    /// @notice True only for a finalized proposal whose consensus verdict is `legal` (0).
    function isLegal(uint256 id) external view returns (bool);

    /// @notice All stored facts about a proposal.
    function proposal(uint256 id) external view returns (ProposalView memory);
}
