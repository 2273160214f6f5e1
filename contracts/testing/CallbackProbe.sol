// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IVerdictCallback} from "../interfaces/IVerdictCallback.sol";
import {IVerdictOracle} from "../interfaces/IVerdictOracle.sol";

/// @title CallbackProbe: a test requester that records, rejects or starves the oracle's callback
/// @dev Test double only; never deployed by `ape run deploy`.
contract CallbackProbe is IVerdictCallback {
    enum Mode {
        Record,
        Revert,
        BurnGas
    }

    IVerdictOracle public immutable oracle;
    Mode public mode;
    uint256 public calls;
    uint256 public lastId;
    uint8 public lastStatus;
    uint8 public lastVerdict;

    error ProbeRejected(uint256 id);

    constructor(IVerdictOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Choose how the next callbacks behave.
    function setMode(Mode newMode) external {
        mode = newMode;
    }

    /// @notice Submit `payload` to the oracle as this contract (so it is the requester).
    function submit(bytes calldata payload) external payable returns (uint256) {
        return oracle.submit{value: msg.value}(payload);
    }

    /// @inheritdoc IVerdictCallback
    function onVerdict(uint256 id, uint8 status, uint8 verdict) external {
        if (mode == Mode.Revert) revert ProbeRejected(id);
        if (mode == Mode.BurnGas) {
            // Spin until the gas cap stops it: proves the oracle survives an out-of-gas callee.
            while (true) {
                calls += 1;
            }
        }
        calls += 1;
        lastId = id;
        lastStatus = status;
        lastVerdict = verdict;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IVerdictCallback).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
