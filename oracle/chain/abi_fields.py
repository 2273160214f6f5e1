"""ABI and EIP-712 member lists written as Solidity declarations.

`fields("address to", "uint256 value")` is `[{"name": "to", "type": "address"},
{"name": "value", "type": "uint256"}]`: one line per member reads like the contract and
keeps each name next to its type.
"""

from __future__ import annotations


def fields(*declarations: str) -> list[dict[str, str]]:
    """The `{"name", "type"}` members of `declarations` ("<type> <name>" each), in order."""
    members = []
    for declaration in declarations:
        type_, _, name = declaration.strip().rpartition(" ")
        if not type_ or not name:
            raise ValueError(f"{declaration!r} is not '<type> <name>'")
        members.append({"name": name, "type": type_})
    return members
