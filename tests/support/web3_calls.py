"""Direct web3 calls and transactions for the stateful fuzz test (test_invariants.py).

ape's contract wrapper costs ~100 ms per call on the in-process EVM (about eight
JSON-RPC round trips plus serialization); the fuzz test makes thousands of calls, so
it talks to the same chain through ape's own web3 connection, one request per read and
signs transactions locally with the test accounts' keys. Same EVM, same contract.
"""

from __future__ import annotations

import ast
from typing import Any

from eth_account import Account
from eth_utils import keccak

_TESTER_REVERT = "execution reverted: "


class Reverted(Exception):
    """A call reverted with the custom error `name` (or an unknown reason)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _error_selectors(abi: list[dict[str, Any]]) -> dict[str, str]:
    selectors = {}
    for item in abi:
        if item.get("type") == "error":
            signature = f"{item['name']}({','.join(_type_of(i) for i in item['inputs'])})"
            selectors["0x" + keccak(text=signature)[:4].hex()] = item["name"]
    return selectors


def _type_of(param: dict[str, Any]) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_type_of(c) for c in param["components"])
        return f"({inner}){param['type'][5:]}"
    return param["type"]


def _revert_data(error: Exception) -> str:
    """The revert data as 0x-hex, from whichever form web3 or eth-tester raised."""
    for candidate in (getattr(error, "data", None), *getattr(error, "args", ())):
        if isinstance(candidate, bytes):
            return "0x" + candidate.hex()
        if isinstance(candidate, str) and candidate.startswith("0x") and len(candidate) >= 10:
            return candidate
        if isinstance(candidate, str) and candidate.startswith(_TESTER_REVERT):
            # eth-tester: TransactionFailed("execution reverted: b'...'")
            raw = ast.literal_eval(candidate[len(_TESTER_REVERT) :])
            return "0x" + raw.hex() if isinstance(raw, bytes) else ""
        if isinstance(candidate, dict) and isinstance(candidate.get("data"), str):
            return candidate["data"]
    return ""


class Web3Contract:
    """One deployed contract, reached through ape's web3 connection."""

    def __init__(self, ape_contract: Any, chain: Any, reader: str) -> None:
        """`reader`: a funded address that read-only calls come from."""
        self.w3 = chain.provider.web3
        abi = [
            item.model_dump(by_alias=True, mode="json") for item in ape_contract.contract_type.abi
        ]
        self.contract = self.w3.eth.contract(address=ape_contract.address, abi=abi)
        self.address = ape_contract.address
        self.errors = _error_selectors(abi)
        self.reader = reader

    def call(self, name: str, *args: Any) -> Any:
        # An explicit `from`: without one eth-tester normalizes its whole account list
        # on every call to pick a default sender (most of a call's cost).
        return self.contract.functions[name](*args).call({"from": self.reader})

    def balance(self) -> int:
        return int(self.w3.eth.get_balance(self.address))

    def send(self, name: str, *args: Any, sender: Any, value: int = 0) -> Any:
        """Send a transaction; raise Reverted(error name) if it would revert."""
        fn = self.contract.functions[name](*args)
        params = {"from": sender.address, "value": value}
        try:
            gas = fn.estimate_gas(params)
        except Exception as error:
            data = _revert_data(error)
            raise Reverted(
                self.errors.get(data[:10], f"unknown revert {data or error!r}")
            ) from error
        tx = fn.build_transaction(
            {
                **params,
                "gas": gas + 50_000,
                "nonce": self.w3.eth.get_transaction_count(sender.address),
                "chainId": self.w3.eth.chain_id,
            }
        )
        signed = Account.sign_transaction(tx, sender.private_key)
        tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        receipt = self.w3.eth.get_transaction_receipt(tx_hash)
        assert receipt["status"] == 1, f"{name} failed after a successful gas estimate"
        return receipt

    def events(self, receipt: Any, event: str) -> list[Any]:
        return [log["args"] for log in self.contract.events[event]().process_receipt(receipt)]

    @staticmethod
    def fees_paid(receipt: Any) -> int:
        return int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])
