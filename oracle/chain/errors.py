"""Decode contract reverts into the ABI's custom error names (e.g. `OracleAlreadySettled`)."""

from __future__ import annotations

from typing import Any

from eth_abi import decode
from eth_utils import function_signature_to_4byte_selector


class ChainError(RuntimeError):
    """A call or transaction the chain refused."""


class TxReverted(ChainError):
    """A transaction (or its gas estimate) reverted; `error` names the custom error when known."""

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        tx_hash: str | None = None,
        data: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.error = error
        self.tx_hash = tx_hash
        self.data = data  # the raw revert bytes, for callers that explain the arguments


class InsufficientFunds(ChainError):
    """The sending key cannot pay gas x fee + value: it needs ETH, not a retry."""

    def __init__(self, address: str, balance: int, cost: int) -> None:
        from oracle.chain.units import format_eth

        super().__init__(
            f"{address} cannot pay for the transaction: balance {format_eth(balance)}, "
            f"this transaction needs up to {format_eth(cost)}; send ETH to {address}"
        )
        self.address = address
        self.balance = balance
        self.cost = cost


class ErrorDecoder:
    """Maps 4-byte selectors of the ABI's custom errors to readable `Name(args)` strings."""

    def __init__(self, abi: list[dict[str, Any]]) -> None:
        self._errors: dict[bytes, tuple[str, list[str]]] = {}
        self._arg_names: dict[bytes, list[str]] = {}
        for item in abi:
            if item.get("type") != "error":
                continue
            types = [_abi_type(i) for i in item.get("inputs", [])]
            sig = f"{item['name']}({','.join(types)})"
            selector = function_signature_to_4byte_selector(sig)
            self._errors[selector] = (item["name"], types)
            self._arg_names[selector] = [str(i.get("name", "")) for i in item.get("inputs", [])]

    def arguments(self, data: bytes) -> dict[str, Any]:
        """The decoded arguments of a custom error by name ({} when unknown or undecodable)."""
        selector = bytes(data[:4])
        entry = self._errors.get(selector)
        if entry is None:
            return {}
        try:
            values = decode(entry[1], bytes(data[4:]))
        except Exception:
            return {}
        return dict(zip(self._arg_names[selector], values, strict=True))

    def name(self, data: bytes) -> str | None:
        entry = self._errors.get(bytes(data[:4]))
        return entry[0] if entry else None

    def describe(self, data: bytes) -> str:
        entry = self._errors.get(bytes(data[:4]))
        if entry is None:
            return f"revert 0x{bytes(data).hex()}" if data else "revert (no data)"
        name, types = entry
        try:
            args = decode(types, bytes(data[4:]))
        except Exception:
            return name
        return f"{name}({', '.join(_fmt(a) for a in args)})"


def _abi_type(inp: dict[str, Any]) -> str:
    t = str(inp["type"])
    if t.startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in inp.get("components", []))
        return f"({inner}){t[5:]}"
    return t


def _fmt(v: Any) -> str:
    if isinstance(v, bytes):
        return "0x" + v.hex()
    return str(v)


def _revert_field(error_data: dict[str, Any]) -> Any:
    """Geth and Anvil put the revert bytes under "data"; Ganache 7 under "result"."""
    value = error_data.get("data")
    return value if value is not None else error_data.get("result")


def revert_data(exc: BaseException) -> bytes:
    """The raw revert bytes carried by a web3 exception, or b'' when there are none."""
    data: Any = getattr(exc, "data", None)
    if isinstance(data, dict):
        data = _revert_field(data)
    if data is None and exc.args:
        for a in exc.args:
            if isinstance(a, str) and a.startswith("0x"):
                data = a
            elif isinstance(a, dict) and isinstance(_revert_field(a), str):
                data = _revert_field(a)
    if isinstance(data, str) and data.startswith("0x"):
        try:
            return bytes.fromhex(data[2:])
        except ValueError:
            return b""
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    return b""


class TxManagerError(ChainError):
    """The transaction manager could not take a transaction on (tx_manager.py)."""


class SubmitRefused(TxManagerError):
    """The node refused a signed transaction for a reason no re-pricing changes."""

    def __init__(self, intent: str, nonce: int, reason: str) -> None:
        super().__init__(f"{intent}: the node refused the transaction at nonce {nonce}: {reason}")
        self.intent = intent
        self.nonce = nonce
        self.reason = reason


def send_refusal(exc: BaseException) -> str | None:
    """What a node's refusal of `eth_sendRawTransaction` means, as geth, Anvil and Ganache
    word it: "sent" (it has the transaction already), "nonce-too-low", "underpriced" (a
    dearer one holds the nonce, or the fees are under the base fee) or "insufficient-funds";
    None for any other refusal. Both senders (sender.py, tx_manager.py) read refusals here."""
    msg = str(exc).lower()
    if "already known" in msg or "already imported" in msg or "known transaction" in msg:
        return "sent"
    if "nonce too low" in msg or "nonce is too low" in msg:
        return "nonce-too-low"
    if "underpriced" in msg or "fee too low" in msg or "less than block base fee" in msg:
        return "underpriced"
    if "insufficient funds" in msg:
        return "insufficient-funds"
    return None
