// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title The reentrancy guard of the default (prague) build
/// @notice `OracleReentrancyGuard` is OpenZeppelin's transient-storage guard (EIP-1153: TSTORE and
/// TLOAD, Cancun and later): the flag never touches persistent storage, so a guarded call costs
/// about 200 gas for the guard. Contracts import it as
/// `reentrancy-guard/OracleReentrancyGuard.sol`; `ape-config.yaml` maps `reentrancy-guard` to this
/// folder. The shanghai build maps it to `../storage` instead (see contracts/README.md).
/// @dev An empty contract rather than an aliased import: Slither (`make audit`) cannot resolve
/// an alias re-exported through a remapping.
abstract contract OracleReentrancyGuard is ReentrancyGuardTransient {}
