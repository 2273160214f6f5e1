// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleClock} from "./OracleClock.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";
import {EthTransfer} from "../libraries/EthTransfer.sol";

/// @title OracleLedger: every wei the oracle holds, in five books
/// @notice The oracle is the only contract that holds ETH, and this is the only code that moves
/// it between books or out of the contract. The books:
/// - active: bonded stake that votes, checkpointed by timestamp (`_stakeAt`);
/// - unbonding: stake leaving, still slashable, paid out by {_withdrawUnbonding};
/// - claimable: rewards, refunds and bounties owed to accounts, paid out by {_payClaim}
///   (equivocation bounties are owed, and counted, from the report on but are credited to the
///   reporter's account only when released: {_holdBounty}, {_releaseBounty});
/// - undistributed fees: proposal fees not yet paid as rewards or refunds (and rounding dust);
/// - slashed reserve: slashed stake, leaves only through {_holdBounty} and {_sweepReserve}.
/// @dev Invariant, after every transaction and after every internal function below:
/// `address(this).balance == totalActive + totalUnbonding + totalClaimable + undistributedFees + slashedReserve`.
/// ETH enters only through {_depositStake} and {_receiveFee} (the payable entry points pass
/// `msg.value` straight to them; nothing else is payable) and leaves only through {_send},
/// called by the three payout functions right after their book is debited. Each function moves
/// an amount from one book to another (or in/out) and touches both totals, so the sum holds at
/// every step. State is private to this contract; derived contracts use these hooks only.
/// Storage sits at a fixed slot so the view extension reads the same books.
abstract contract OracleLedger is OracleClock {
    using Checkpoints for Checkpoints.Trace208;

        struct LedgerStorage {
        mapping(address validator => Checkpoints.Trace208) stakes;
        Checkpoints.Trace208 totalStake;
        mapping(address validator => uint256) unbonding;
        uint256 totalUnbonding;
        mapping(address account => uint256) claimable;
        uint256 totalClaimable;
        uint256 undistributedFees;
        uint256 slashedReserve;
    }

    /// @dev The fixed first slot of this contract's storage. The four state contracts use
    /// 0x100, 0x200, 0x300, 0x400 rather than ERC-7201 hashes: every storage access embeds its
    /// base, and a 32-byte base cost the oracle 1.3 KB of bytecode. Neither collides with anything:
    /// the only other state (Ownable2Step, EIP712) sits at slots 0..3 and the equivocation
    /// module's at an ERC-7201 slot,
    /// each struct here spans fewer than 0x100 slots, mapping and array data live at keccak
    /// addresses, and the contract is not upgradeable, so no later layout has to fit.
    uint256 private constant STORAGE_SLOT = 0x200;

    // ------------------------------------------------------------------ ETH in

    /// @dev `amount` (the caller's `msg.value`) joins `validator`'s active stake; returns the new active.
    function _depositStake(address validator, uint256 amount) internal returns (uint256 active) {
        LedgerStorage storage $ = _ledger();
        active = $.stakes[validator].latest() + amount;
        _writeStake($, validator, active, $.totalStake.latest() + amount);
    }

    /// @dev `amount` (a proposal's `msg.value`) joins the undistributed fees.
    function _receiveFee(uint256 amount) internal {
        _ledger().undistributedFees += amount;
    }

    // ------------------------------------------------------------------ moves between books

    /// @dev active -> unbonding. The caller checked `amount <= active`; returns the remaining active.
    function _startUnbonding(address validator, uint256 amount) internal returns (uint256 remaining) {
        LedgerStorage storage $ = _ledger();
        remaining = $.stakes[validator].latest() - amount;
        _writeStake($, validator, remaining, $.totalStake.latest() - amount);
        $.unbonding[validator] += amount;
        $.totalUnbonding += amount;
    }

    /// @dev undistributed fees -> claimable: a reward or a refund of `amount` to `account`.
    function _payFromFees(address account, uint256 amount) internal {
        LedgerStorage storage $ = _ledger();
        $.undistributedFees -= amount;
        $.claimable[account] += amount;
        $.totalClaimable += amount;
    }

    /// @dev active, then unbonding -> slashed reserve: up to `amount` of `validator`'s stake.
    /// Returns what was taken (less than `amount` when the validator has less).
    function _slash(address validator, uint256 amount, IValidatorStaking.SlashReason reason)
        internal
        returns (uint256 taken)
    {
        LedgerStorage storage $ = _ledger();
        uint256 active = $.stakes[validator].latest();
        uint256 fromActive = amount < active ? amount : active;
        if (fromActive != 0) _writeStake($, validator, active - fromActive, $.totalStake.latest() - fromActive);
        uint256 fromUnbonding = amount - fromActive;
        if (fromUnbonding != 0) {
            uint256 unbonding = $.unbonding[validator];
            if (fromUnbonding > unbonding) fromUnbonding = unbonding;
            $.unbonding[validator] = unbonding - fromUnbonding;
            $.totalUnbonding -= fromUnbonding;
        }
        taken = fromActive + fromUnbonding;
        $.slashedReserve += taken;
        emit IValidatorStaking.Slashed(validator, taken, reason);
    }

    /// @dev undistributed fees -> slashed reserve: a round's `amount` that no ballot can claim any
    /// more (rounding dust, and the rewards of ballots settled too late or never), so it leaves
    /// through {_sweepReserve} like the rest of the reserve. The caller proved it unclaimable.
    function _sweepFees(uint256 amount) internal {
        LedgerStorage storage $ = _ledger();
        $.undistributedFees -= amount;
        $.slashedReserve += amount;
    }

    /// @dev slashed reserve -> claimable, held: an equivocation bounty of `amount` (at most the
    /// reserve) is owed from now on, so the owner cannot sweep it, but no account may claim it
    /// before {_releaseBounty} names its reporter. Until then `totalClaimable` exceeds the sum
    /// of the accounts' claimable balances by the bounties held.
    function _holdBounty(uint256 amount) internal {
        LedgerStorage storage $ = _ledger();
        $.slashedReserve -= amount;
        $.totalClaimable += amount;
    }

    /// @dev claimable, held -> claimable by `reporter`: a held bounty is released (the total
    /// already counts it, so no book changes).
    function _releaseBounty(address reporter, uint256 amount) internal {
        _ledger().claimable[reporter] += amount;
    }

    // ------------------------------------------------------------------ ETH out

    /// @dev unbonding -> out: debits `validator`'s whole unbonding balance; the caller emits its
    /// event and then calls {_send} with the returned amount (checks-effects-interactions).
    function _withdrawUnbonding(address validator) internal returns (uint256 amount) {
        LedgerStorage storage $ = _ledger();
        amount = $.unbonding[validator];
        $.unbonding[validator] = 0;
        $.totalUnbonding -= amount;
    }

    /// @dev claimable -> out: debits `account`'s whole claimable balance (then {_send}).
    function _payClaim(address account) internal returns (uint256 amount) {
        LedgerStorage storage $ = _ledger();
        amount = $.claimable[account];
        $.claimable[account] = 0;
        $.totalClaimable -= amount;
    }

    /// @dev slashed reserve -> out: debits `amount` (the caller checked it is held; then {_send}).
    function _sweepReserve(uint256 amount) internal {
        _ledger().slashedReserve -= amount;
    }

    /// @dev The only ETH transfer of the oracle; reverts {EthTransferFailed} if `to` does not
    /// take it. Forwards all gas: every caller is `nonReentrant` and has already debited the
    /// book it pays from.
    function _send(address to, uint256 amount) internal {
        EthTransfer.pay(to, amount);
    }

    // ------------------------------------------------------------------ reads

    function _activeStake(address validator) internal view returns (uint256) {
        return _ledger().stakes[validator].latest();
    }

    function _stakeAt(address validator, uint48 timepoint) internal view returns (uint256) {
        return _ledger().stakes[validator].upperLookupRecent(timepoint);
    }

    /// @dev What `validator`'s vote in a round snapshotted at `snapshot` weighs now: its stake at
    /// the snapshot, but never more than it still has bonded (active + unbonding), so a vote is
    /// always backed by stake that can still be slashed (docs/protocol.md, "Voting weight").
    function _votingWeight(address validator, uint48 snapshot) internal view returns (uint256) {
        uint256 atSnapshot = _stakeAt(validator, snapshot);
        uint256 bonded = _bondedStake(validator);
        return atSnapshot < bonded ? atSnapshot : bonded;
    }

    function _totalStakeAt(uint48 timepoint) internal view returns (uint256) {
        return _ledger().totalStake.upperLookupRecent(timepoint);
    }

    function _unbondingOf(address validator) internal view returns (uint256) {
        return _ledger().unbonding[validator];
    }

    /// @dev Active plus unbonding: everything of `validator` still slashable.
    function _bondedStake(address validator) internal view returns (uint256) {
        LedgerStorage storage $ = _ledger();
        return $.stakes[validator].latest() + $.unbonding[validator];
    }

    function _claimableOf(address account) internal view returns (uint256) {
        return _ledger().claimable[account];
    }

    /// @dev The five books; their sum is the contract's balance.
    function _books()
        internal
        view
        returns (uint256 active, uint256 unbonding, uint256 claimable, uint256 fees, uint256 reserve)
    {
        LedgerStorage storage $ = _ledger();
        return ($.totalStake.latest(), $.totalUnbonding, $.totalClaimable, $.undistributedFees, $.slashedReserve);
    }

    function _slashedReserve() internal view returns (uint256) {
        return _ledger().slashedReserve;
    }

    // ------------------------------------------------------------------ private

    function _writeStake(LedgerStorage storage $, address validator, uint256 active, uint256 total) private {
        uint48 nowKey = uint48(_clock());
        // The (previous, new) pair push returns is not needed: both values are known here.
        // slither-disable-next-line unused-return
        $.stakes[validator].push(nowKey, uint208(active));
        // slither-disable-next-line unused-return
        $.totalStake.push(nowKey, uint208(total));
    }

    function _ledger() private pure returns (LedgerStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
