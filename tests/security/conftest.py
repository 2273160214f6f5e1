"""Fixtures for the security tests: a real (tiny, trained) model and its verdict pipeline.

The tiny model has the real tokenizer, checkpoint format and inference path; only the
network is small, so every hostile payload goes through a real forward pass.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_MNEMONIC
from oracle.model.pipeline import VerdictPipeline
from oracle.model.tiny import train_tiny_model
from oracle.validator.fleet import free_port
from oracle.validator.keys import anvil_key, write_keystore
from oracle.validator.service import Validator, build_validator
from oracle.validator.settings import ValidatorSettings
from tests.support.known_secrets import ADMIN_TOKEN, PASSWORD_ENV, SIGNER_PASSWORD

# The contract's hard cap on maxPayloadSize: the largest payload a proposal can carry.
CONTRACT_MAX_PAYLOAD = 65_536


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A small training set: these tests need a working model, not an accurate one.
    return train_tiny_model(tmp_path_factory.mktemp("tiny") / "model", seed=0, n_records=300)


@pytest.fixture(scope="session")
def pipeline(tiny_model_dir: Path) -> VerdictPipeline:
    return VerdictPipeline.load(
        tiny_model_dir, device="cpu", chain_id=1, max_payload_size=CONTRACT_MAX_PAYLOAD
    )


# ------------------------------------------------------------------ a real validator service


class SecretLog(logging.Handler):
    """Keeps every log line formatted, to search it for secrets afterwards."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="session")
def captured_logs() -> Iterator[SecretLog]:
    handler = SecretLog()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture(scope="session")
def anvil_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("anvil")
    assert binary, "anvil is not on PATH: run `make setup` and put node_modules/.bin on PATH"
    port = free_port()
    log_file = open(tmp_path_factory.mktemp("anvil") / "anvil.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [binary, "--host", "127.0.0.1", "--port", str(port), "--mnemonic", ANVIL_MNEMONIC],
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        w3 = Web3(Web3.HTTPProvider(url))
        for _ in range(300):
            try:
                _ = w3.eth.block_number
                break
            except Exception:
                time.sleep(0.1)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log_file.close()


@pytest.fixture(scope="session")
def deployment_file(anvil_url: str, pipeline, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The e2e suite's web3.py deployer (same deployment-file shape as `ape run deploy`).
    from tests.support.localchain import OracleParams, deploy

    w3 = Web3(Web3.HTTPProvider(anvil_url))
    params = OracleParams(roundDuration=60, revealDuration=30, modelHash=pipeline.model_hash)
    out = tmp_path_factory.mktemp("deployment")
    return Path(deploy(w3, anvil_key(0, ANVIL_MNEMONIC), out, params, anvil_url))


@pytest.fixture(scope="session")
def signer_keystore(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A keystore of Anvil account 3 (funded); returns its path and the raw key hex."""
    key = anvil_key(3, ANVIL_MNEMONIC)
    path = tmp_path_factory.mktemp("keys") / "signer.json"
    write_keystore(path, key.key, SIGNER_PASSWORD, light=True)
    return path, key.key.hex()


@pytest.fixture(scope="session")
def settings_for(
    anvil_url: str, deployment_file: Path, signer_keystore, tiny_model_dir: Path, tmp_path_factory
):
    """Factory: ValidatorSettings for the test chain, with keyword overrides."""

    def make(**overrides: Any) -> ValidatorSettings:
        values: dict[str, Any] = {
            "rpc_url": anvil_url,
            "deployment": deployment_file,
            "signer_keystore": signer_keystore[0],
            "signer_password_env": PASSWORD_ENV,
            "model_dir": tiny_model_dir,
            "db_path": tmp_path_factory.mktemp("db") / "validator.db",
            "admin_token": ADMIN_TOKEN,
            "relayer": True,
            "auto_claim": False,
            **overrides,
        }
        return ValidatorSettings(**values)

    return make


@pytest.fixture(scope="session")
def validator(settings_for, captured_logs) -> Iterator[Validator]:
    os.environ[PASSWORD_ENV] = SIGNER_PASSWORD
    # The fuzz wants a ready validator at once: its fresh key has no twin to watch for.
    built = build_validator(settings_for(auto_stake_wei=10**18, doppelganger_window_s=0))
    assert built.load_model is not None
    built.engine.judge.set_pipelines(built.load_model())  # what the background loader would do
    built.engine.tick_safely()  # one pass of the loop: /ready needs a recent clean tick
    yield built
    built.stop()


@pytest.fixture(scope="session")
def secrets_to_hide(signer_keystore) -> list[str]:
    key_hex = signer_keystore[1]
    return [ADMIN_TOKEN, SIGNER_PASSWORD, key_hex.removeprefix("0x")]
