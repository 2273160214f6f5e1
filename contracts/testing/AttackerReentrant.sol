// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IOracleVoting} from "../interfaces/IOracleVoting.sol";
import {IValidatorStaking} from "../interfaces/IValidatorStaking.sol";
import {IVerdictCallback} from "../interfaces/IVerdictCallback.sol";
import {OracleActor} from "./OracleActor.sol";

/// @title AttackerReentrant: a hostile requester and validator for the attack tests
/// @notice It opts into the verdict callback and receives ETH from `claim` and `withdraw`, and
/// at each of those moments tries to call back into the oracle. Every inner attempt is wrapped
/// in try/catch and its revert selector recorded, so a test sees both that the outer call
/// completed once and *why* the re-entry was refused.
/// @dev Test double only; never deployed by `ape run deploy`.
contract AttackerReentrant is OracleActor, IVerdictCallback {
    enum Mode {
        Idle, // accept callbacks and ETH, do nothing
        ReenterFinalize, // in onVerdict: finalize(target)
        ReenterClaim, // in onVerdict and receive(): claim()
        ReenterWithdraw, // in receive(): withdraw()
        ReturnBomb // in onVerdict: return a large buffer (the oracle must not copy it)
    }

    Mode public mode;
    uint256 public target;
    uint256 public attempts;
    uint256 public successes;
    bytes4 public lastError;
    uint256 public received;

    constructor(address oracle_) OracleActor(oracle_) {}

    receive() external payable {
        received += msg.value;
        if (mode == Mode.ReenterClaim) _try(abi.encodeCall(IOracleVoting.claim, ()));
        else if (mode == Mode.ReenterWithdraw) _try(abi.encodeCall(IValidatorStaking.withdraw, ()));
    }

    function setMode(Mode newMode, uint256 newTarget) external {
        mode = newMode;
        target = newTarget;
    }

    /// @inheritdoc IVerdictCallback
    function onVerdict(uint256, uint8, uint8) external {
        if (mode == Mode.ReenterFinalize) {
            _try(abi.encodeCall(IOracleVoting.finalize, (target)));
        } else if (mode == Mode.ReenterClaim) {
            _try(abi.encodeCall(IOracleVoting.claim, ()));
        } else if (mode == Mode.ReturnBomb) {
            assembly ("memory-safe") {
                // 64 KiB of return data: copying it would cost the caller memory gas.
                return(0, 65536)
            }
        }
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IVerdictCallback).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    /// @dev Call the oracle, record success or the revert selector; never bubble up.
    function _try(bytes memory data) private {
        attempts += 1;
        (bool ok, bytes memory reason) = oracle.call(data);
        if (ok) {
            successes += 1;
        } else if (reason.length >= 4) {
            lastError = bytes4(reason);
        }
    }
}
