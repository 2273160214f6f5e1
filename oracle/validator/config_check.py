"""`oracle validate-config FILE`: what would stop (or mislead) a validator, found before it starts.

Reads the settings and the files they name; contacts no chain, opens no database,
decrypts no keystore (that takes seconds of scrypt and the password may not be on this
machine). One line per problem, each naming the setting to fix.
"""

from __future__ import annotations

import os
from pathlib import Path

from web3 import Web3

from oracle.validator.settings import ConfigError, ValidatorSettings


def check_config(path: Path) -> list[str]:
    try:
        settings = ValidatorSettings.from_file(path)
    except ConfigError as exc:
        return [f"{path}: {problem}" for problem in exc.problems]
    except (FileNotFoundError, ValueError) as exc:
        return [str(exc)]
    return [f"{path}: {problem}" for problem in settings_problems_on_disk(settings)]


def settings_problems_on_disk(s: ValidatorSettings) -> list[str]:
    problems: list[str] = []
    if s.signer_keystore is not None:  # None only for an observer (settings.py)
        problems += _keystore(
            "signer", s.signer_keystore, s.signer_password_env, s.signer_password_file
        )
    if s.operator_keystore is not None:
        problems += _keystore(
            "operator", s.operator_keystore, s.operator_password_env, s.operator_password_file
        )
    if s.operator_address is not None and not Web3.is_address(s.operator_address):
        problems.append(f"operator_address: {s.operator_address!r} is not an address")
    problems += _deployment(s.deployment)
    setting = "model_dirs" if s.model_dirs else "model_dir"
    for folder in s.held_model_dirs:
        if not folder.is_dir():
            problems.append(
                f"{setting}: {folder} does not exist; train one with `oracle train` "
                f"or set {setting}"
            )
    if s.sanctions_file is not None:
        problems += _sanctions(s.sanctions_file)
    for name, url in (("rpc_url", s.rpc_url), ("relay_url", s.relay_url)):
        if url is not None and not url.startswith(("http://", "https://")):
            problems.append(f"{name}: {url!r} is not an http(s) URL")
    if not _creatable(s.db_path):
        problems.append(f"db_path: cannot create {s.db_path} (folder not writable)")
    return problems


def _keystore(
    role: str, keystore: Path, password_env: str, password_file: Path | None
) -> list[str]:
    out = []
    if not keystore.is_file():
        out.append(f"{role}_keystore: {keystore} does not exist; create one with `oracle keys new`")
    if password_file is not None:
        if not password_file.is_file():
            out.append(f"{role}_password_file: {password_file} does not exist")
        elif not password_file.read_text().strip("\n"):
            out.append(
                f"{role}_password_file: {password_file} is empty; an empty password is refused"
            )
    elif password_env not in os.environ:
        out.append(
            f"{role}_password_env: the environment variable {password_env} is not set "
            f"(or set {role}_password_file)"
        )
    elif not os.environ[password_env]:
        out.append(f"{role}_password_env: {password_env} is empty; an empty password is refused")
    return out


def _deployment(path: Path) -> list[str]:
    from oracle.chain.deployment import Deployment, DeploymentError

    try:
        Deployment.load(path).abi("VerdictOracle")
        Deployment.load(path).oracle_address  # noqa: B018 -- raises when it is missing
    except DeploymentError as exc:
        return [f"deployment: {exc}"]
    return []


def _sanctions(path: Path) -> list[str]:
    from oracle.model.rules import SanctionsList

    if not path.is_file():
        return [f"sanctions_file: {path} does not exist"]
    try:
        SanctionsList.from_file(path)
    except ValueError as exc:
        return [f"sanctions_file: {exc}"]
    return []


def _creatable(path: Path) -> bool:
    if path.exists():
        return os.access(path, os.W_OK)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)
