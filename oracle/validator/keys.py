"""Encrypted keystore files (eth-account's Web3 Secret Storage): create, import, open."""

from __future__ import annotations

import json
import os
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address

# scrypt with n=2**18 (eth-account's default) takes ~1 s to open, as intended for keys
# that hold value. `light=True` (n=2**14) is for local development fleets only.
LIGHT_SCRYPT_N = 2**14


def write_keystore(
    path: Path, private_key: str | bytes, password: str, *, light: bool = False
) -> str:
    """Encrypt `private_key` into `path` (mode 0600); returns the address. Refuses to overwrite."""
    require_password(password, path)
    if path.exists():
        raise FileExistsError(
            f"keystore {path} already exists; choose another path or delete it first"
        )
    kwargs = {"kdf": "scrypt", "iterations": LIGHT_SCRYPT_N} if light else {}
    data = Account.encrypt(private_key, password, **kwargs)  # type: ignore[arg-type]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    return str(Account.from_key(private_key).address)


def new_keystore(path: Path, password: str) -> str:
    return write_keystore(path, Account.create().key, password)


def keystore_address(path: Path) -> str:
    data = json.loads(_read(path))
    addr = data.get("address")
    if not addr:
        raise ValueError(f"keystore {path} has no 'address' field")
    return str(to_checksum_address("0x" + str(addr).removeprefix("0x")))


def require_password(password: str, path: Path) -> None:
    """An empty password encrypts the key with nothing: refused, on creating and on opening."""
    if not password:
        raise ValueError(
            f"empty password for keystore {path}: refused; use a non-empty password "
            "(it encrypts the key)"
        )


def open_keystore(path: Path, password: str) -> LocalAccount:
    require_password(password, path)
    try:
        key = Account.decrypt(_read(path), password)
    except ValueError as exc:
        raise ValueError(f"cannot decrypt keystore {path}: wrong password or damaged file") from exc
    account: LocalAccount = Account.from_key(key)
    return account


def _read(path: Path) -> str:
    if not path.is_file():
        raise FileNotFoundError(
            f"keystore {path} does not exist; create one with `oracle keys new`"
        )
    return path.read_text()


def anvil_key(index: int, mnemonic: str) -> LocalAccount:
    """The index-th account of a development mnemonic (Anvil's default derivation path)."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{index}")
    return account
