// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IOracleGovernance: the owner's knobs
/// @notice The owner (an `Ownable2Step` account, ideally a timelock) tunes the parameters with
/// {setParameter} and pins the classifier hash. Every change emits an event so validators can
/// follow it, and applies only to rounds opened after it.
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
    /// @notice There is no parameter number `index` (see {setParameter} for the numbers).
    error GovernanceUnknownParameter(uint8 index);
    /// @notice Only `available` wei is in the slashed reserve.
    error GovernanceInsufficientReserve(uint256 requested, uint256 available);

    /// @notice Set parameter number `param` (a `ParameterState.Param`; Python:
    /// `oracle.chain.params.Param`) to `value`, within its range:
    /// 0 proposalFee (wei, 1..2^96-1), 1 maxPayloadSize (1..65536 bytes),
    /// 2 maxProposalsPerRound (1..1024; bounds every per-round loop),
    /// 3 quorumBps (revealed stake as bps of snapshot stake, 1..10000),
    /// 4 supermajorityBps (winning share of revealed stake, 5001..10000),
    /// 5 maxRounds (rounds before `NoConsensus`, 1..255), 6 minStake (wei, 1..2^96-1),
    /// 7 nonRevealSlashBps, 8 incoherentSlashBps, 9 equivocationSlashBps (0..10000),
    /// 10 callbackGasLimit (gas for requesters' `onVerdict`, 10000..2000000),
    /// 11 callbackGasPrice (wei per gas of the callback deposit a requester with a callback
    /// prepays at submit, 1..10^15).
    /// A change applies to rounds opened after it: a round already holding a proposal is
    /// decided and settled under the values in force when it opened.
    function setParameter(uint8 param, uint256 value) external;
    /// @notice Pin a new classifier hash for proposals submitted from now on.
    function setModelHash(bytes32 newHash) external;
    /// @notice Send `amount` wei of slashed stake to `to`.
    function sweepSlashed(address payable to, uint256 amount) external;
}
