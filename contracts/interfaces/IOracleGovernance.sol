// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IOracleGovernance: the owner's knobs
/// @notice The owner (an `Ownable2Step` account, ideally a timelock) tunes the parameters below
/// and pins the classifier hash. Every change emits an event so validators can follow it.
/// Round timing (`roundDuration`, `revealDuration`, `genesis`) and `unbondingPeriod` are
/// immutable. The getters are in {IOracleViews}, answered at the oracle's address.
interface IOracleGovernance {
    /// @notice Parameter `name` (e.g. "quorumBps") changed from `oldValue` to `newValue`.
    event ParameterChanged(bytes32 indexed name, uint256 oldValue, uint256 newValue);
    /// @notice The classifier new proposals pin changed.
    event ModelHashChanged(bytes32 oldHash, bytes32 newHash);
    /// @notice The owner sent `amount` wei of slashed stake to `to`.
    event SlashedReserveSwept(address indexed to, uint256 amount);

    /// @notice `value` is outside `[min, max]`, the allowed range of parameter `name`.
    error GovernanceInvalidParameter(bytes32 name, uint256 value, uint256 min, uint256 max);
    /// @notice The parameter table has no row for entry `index` (a contract bug, never user input).
    error GovernanceUnknownParameter(uint8 index);
    /// @notice Only `available` wei is in the slashed reserve.
    error GovernanceInsufficientReserve(uint256 requested, uint256 available);

    /// @notice Set the minimum fee per proposal (wei, < 2^96).
    function setProposalFee(uint256 value) external;
    /// @notice Set the payload size limit (1..65536 bytes).
    function setMaxPayloadSize(uint256 value) external;
    /// @notice Set how many proposals one round holds (1..1024); bounds every per-round loop.
    function setMaxProposalsPerRound(uint256 value) external;
    /// @notice Set the quorum: revealed stake as basis points of snapshot stake (1..10000).
    function setQuorumBps(uint256 value) external;
    /// @notice Set the consensus threshold in basis points of revealed stake (5001..10000).
    function setSupermajorityBps(uint256 value) external;
    /// @notice Set how many rounds a proposal may take before `NoConsensus` (1..255).
    function setMaxRounds(uint256 value) external;
    /// @notice Set the minimum stake (wei, 1..2^96-1).
    function setMinStake(uint256 value) external;
    /// @notice Set the slash per proposal for committing and not revealing (0..10000 bps).
    function setNonRevealSlashBps(uint256 value) external;
    /// @notice Set the slash per proposal for voting against consensus (0..10000 bps).
    function setIncoherentSlashBps(uint256 value) external;
    /// @notice Set the slash for equivocation, of bonded stake (0..10000 bps).
    function setEquivocationSlashBps(uint256 value) external;
    /// @notice Set the gas given to requesters' `onVerdict` (10000..2000000).
    function setCallbackGasLimit(uint256 value) external;
    /// @notice Pin a new classifier hash for proposals submitted from now on.
    function setModelHash(bytes32 newHash) external;
    /// @notice Send `amount` wei of slashed stake to `to`.
    function sweepSlashed(address payable to, uint256 amount) external;
}
