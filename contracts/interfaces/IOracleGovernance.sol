// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IOracleGovernance: the owner's knobs
/// @notice The owner (an `Ownable2Step` account, ideally a timelock) tunes the parameters below
/// and pins the classifier hash. Every change emits an event so validators can follow it.
/// Round timing (`roundDuration`, `revealDuration`, `genesis`) and `unbondingPeriod` are
/// immutable.
interface IOracleGovernance {
    /// @notice Parameter `name` (e.g. "quorumBps") changed from `oldValue` to `newValue`.
    event ParameterChanged(bytes32 indexed name, uint256 oldValue, uint256 newValue);
    /// @notice The classifier new proposals pin changed.
    event ModelHashChanged(bytes32 oldHash, bytes32 newHash);
    /// @notice The owner sent `amount` wei of slashed stake to `to`.
    event SlashedReserveSwept(address indexed to, uint256 amount);

    /// @notice `value` is outside the allowed range of parameter `name` (see the setter's NatSpec).
    error GovernanceInvalidParameter(bytes32 name, uint256 value);
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

    /// @notice Current parameter values (ranges: see the setters).
    function maxProposalsPerRound() external view returns (uint256);
    function quorumBps() external view returns (uint256);
    function supermajorityBps() external view returns (uint256);
    function maxRounds() external view returns (uint256);
    function nonRevealSlashBps() external view returns (uint256);
    function incoherentSlashBps() external view returns (uint256);
    function equivocationSlashBps() external view returns (uint256);
    function callbackGasLimit() external view returns (uint256);
    function roundDuration() external view returns (uint256);
    function revealDuration() external view returns (uint256);
    function genesis() external view returns (uint256);
}
