"""The ABI that answers at the oracle's address: the core contract's plus its extensions'.

`VerdictOracle` forwards the equivocation selectors to `VerdictOracleEquivocation` and every
other selector it does not implement to `VerdictOracleViews` (contracts/README.md, "Views"),
so callers keep one contract object at one address. The
deploy scripts write this merged ABI as `abi/VerdictOracle.json`; the contract tests and the
gas bench build the same object from the compiled types.
"""

from __future__ import annotations

from typing import Any

CORE = "VerdictOracle"
VIEW_EXTENSION = "VerdictOracleViews"
EQUIVOCATION_MODULE = "VerdictOracleEquivocation"
#: Every contract whose functions answer at the oracle's address, in lookup order.
EXTENSIONS = (VIEW_EXTENSION, EQUIVOCATION_MODULE)


def _signature(item: dict[str, Any]) -> str:
    return f"{item.get('name', '')}({','.join(_type_of(i) for i in item.get('inputs', []))})"


def _type_of(param: dict[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        return f"({','.join(_type_of(c) for c in param['components'])}){kind[5:]}"
    return kind


def merged_oracle_abi(
    core_abi: list[dict[str, Any]], *extension_abis: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """`core_abi` plus the extensions' functions the core does not implement itself.

    Only functions are added: the extensions have no events of their own, their constructors
    are not the oracle's, and the errors they raise are declared on the core's interfaces too.
    """
    merged = list(core_abi)
    known = {_signature(i) for i in core_abi if i.get("type") == "function"}
    for abi in extension_abis:
        for item in abi:
            if item.get("type") == "function" and _signature(item) not in known:
                known.add(_signature(item))
                merged.append(item)
    return merged


def with_views(instance: Any, *extension_types: Any) -> Any:
    """An ape `ContractInstance` of the oracle at the same address whose ABI also has the
    extensions' functions (`VerdictOracleViews`, `VerdictOracleEquivocation`; for the ape users:
    contract tests, the gas bench, `ape run deploy`).

    ape is a development dependency, so it is imported here, on use, never by the validator.
    """
    from ape.contracts import ContractInstance

    core = instance.contract_type
    known = {item.selector for item in core.abi if item.type == "function"}
    extra = []
    for extension in extension_types:
        for item in extension.abi:
            if item.type == "function" and item.selector not in known:
                known.add(item.selector)
                extra.append(item)
    merged = core.model_copy(update={"abi": [*core.abi, *extra]})
    return ContractInstance(instance.address, merged, txn_hash=instance.txn_hash)


def named_outputs(function_abi: dict[str, Any], result: Any) -> dict[str, int]:
    """A web3 view result as output name to int: the fields of a one-struct return
    (`parameters()`), or the named values of a several-value return (`timing()`)."""
    outputs = function_abi["outputs"]
    values = list(result)
    if len(outputs) == 1 and "components" in outputs[0]:
        outputs = outputs[0]["components"]
        if len(values) == 1 and isinstance(values[0], tuple | list):
            values = list(values[0])  # a struct may come back wrapped in a one-element tuple
    return {o["name"]: int(v) for o, v in zip(outputs, values, strict=True)}
