// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title The reentrancy guard of the shanghai build
/// @notice `OracleReentrancyGuard` is OpenZeppelin's storage-slot guard, for chains without
/// Cancun's transient storage (Ganache 7 runs up to shanghai). Same modifier (`nonReentrant`), same
/// error (`ReentrancyGuardReentrantCall()`); the flag lives in a storage slot, so a guarded call
/// pays a warm slot write and its refund instead of TSTORE. Selected by the shanghai build, which
/// maps `reentrancy-guard` to this folder (`make compile-shanghai`, see contracts/README.md).
/// @dev An empty contract rather than an aliased import: Slither (`make audit`) cannot resolve
/// an alias re-exported through a remapping.
abstract contract OracleReentrancyGuard is ReentrancyGuard {}
