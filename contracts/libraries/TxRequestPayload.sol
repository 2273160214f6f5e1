// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title TxRequestPayload: the one on-chain definition of the proposal payload (docs/labels.md)
/// @notice A contract that asks the oracle about a transaction builds the payload here, so every
/// on-chain requester encodes the same `TxRequest` the validators decode.
/// @dev Internal functions only: inlined into each caller, no deployment, no extra call.
library TxRequestPayload {
    /// @notice The transaction the oracle judges; the payload is `abi.encode(TxRequest)`.
    struct TxRequest {
        uint256 chainId;
        address from;
        address to;
        uint256 value;
        bytes data;
        string memo;
    }

    /// @notice The payload for a transaction of `from` on this chain: `abi.encode(TxRequest)`.
    function encode(address from, address to, uint256 value, bytes memory data, string memory memo)
        internal
        view
        returns (bytes memory)
    {
        return abi.encode(
            TxRequest({chainId: block.chainid, from: from, to: to, value: value, data: data, memo: memo})
        );
    }
}
