"""Bad settings and a wrong keystore password stop the validator at start, with a message
that names what is wrong; no secret appears in that message.

`oracle validator run --config FILE` is driven in process (typer's runner) for the start-up
failures, and `build_validator` directly for the ones that need the test chain.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from oracle.chain.rpc import RpcUnreachable
from oracle.cli import app
from oracle.validator.service import build_validator
from oracle.validator.settings import ValidatorSettings
from tests.support.known_secrets import ADMIN_TOKEN, PASSWORD_ENV, SIGNER_PASSWORD

BAD_VALUES = [
    ("port", "70000", "port"),
    ("port", "-1", "port"),
    ("poll_interval_s", "0", "poll_interval_s"),
    ("confirmations", "-3", "confirmations"),
    ("judge_batch", "0", "judge_batch"),
    ("byzantine_shift", "9", "byzantine_shift"),
    ("auto_stake_wei", "-1", "auto_stake_wei"),
    ("relayer", '"maybe"', "relayer"),
    ("port", '"eighty"', "port"),
    ("rpc_ulr", '"http://x"', "rpc_ulr"),  # a typo'd key is refused, not ignored
]


def run_cli(config: Path, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["validator", "run", "--config", str(config)], env=env)


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "validator.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize("key,value,named", BAD_VALUES, ids=[f"{k}={v}" for k, v, _ in BAD_VALUES])
def test_run__bad_setting__exits_non_zero_naming_the_setting(tmp_path, key, value, named):
    config = write_config(
        tmp_path,
        f'signer_keystore = "k.json"\nadmin_token = "{ADMIN_TOKEN}"\n{key} = {value}\n',
    )
    result = run_cli(config)
    assert result.exit_code != 0
    assert isinstance(result.exception, ValidationError)
    message = str(result.exception)
    assert named in message
    assert ADMIN_TOKEN not in message + result.output


def test_run__missing_config_file__says_it_does_not_exist(tmp_path):
    result = run_cli(tmp_path / "nope.toml")
    assert result.exit_code != 0
    assert "does not exist" in str(result.exception)


def test_run__toml_syntax_error__exits_non_zero(tmp_path):
    result = run_cli(write_config(tmp_path, 'signer_keystore = "k.json"\nport = = 1\n'))
    assert result.exit_code != 0
    assert result.exception is not None


def test_run__no_signer_keystore__names_the_missing_setting(tmp_path):
    result = run_cli(write_config(tmp_path, "port = 9000\n"))
    assert result.exit_code != 0
    assert "signer_keystore" in str(result.exception)


def test_run__keystore_file_missing__says_how_to_create_one(tmp_path):
    config = write_config(tmp_path, f'signer_keystore = "{tmp_path / "absent.json"}"\n')
    result = run_cli(config, env={"ORACLE_SIGNER_PASSWORD": "x"})
    assert result.exit_code != 0
    assert "oracle keys new" in str(result.exception)


def test_run__wrong_keystore_password__fails_at_start_without_echoing_it(tmp_path, signer_keystore):
    wrong = "not-the-password-7f3e"
    config = write_config(
        tmp_path,
        f'signer_keystore = "{signer_keystore[0]}"\nsigner_password_env = "{PASSWORD_ENV}"\n',
    )
    result = run_cli(config, env={PASSWORD_ENV: wrong})
    assert result.exit_code != 0
    message = str(result.exception)
    assert "wrong password" in message
    for secret in (wrong, SIGNER_PASSWORD, signer_keystore[1].removeprefix("0x")):
        assert secret not in message + result.output


def test_run__password_env_var_unset__names_the_variable(tmp_path, signer_keystore):
    config = write_config(
        tmp_path,
        f'signer_keystore = "{signer_keystore[0]}"\n'
        'signer_password_env = "ORACLE_SECURITY_TEST_UNSET_VARIABLE"\n',
    )
    result = run_cli(config)
    assert result.exit_code != 0
    assert "ORACLE_SECURITY_TEST_UNSET_VARIABLE" in str(result.exception)


def test_build__model_folder_missing__says_how_to_get_one(settings_for, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SIGNER_PASSWORD)
    with pytest.raises(FileNotFoundError, match="oracle train"):
        build_validator(settings_for(model_dir=tmp_path / "no-model"))


def test_build__rpc_unreachable__fails_at_start_without_secrets(settings_for, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SIGNER_PASSWORD)
    with pytest.raises(Exception) as raised:
        build_validator(settings_for(rpc_url="http://127.0.0.1:9", startup_timeout_s=0))
    assert "port=9" in str(raised.value)
    assert SIGNER_PASSWORD not in str(raised.value)


def test_build__rpc_unreachable__message_names_the_rpc_url_setting_and_the_timeout(
    settings_for, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, SIGNER_PASSWORD)
    with pytest.raises(RpcUnreachable) as raised:
        build_validator(settings_for(rpc_url="http://127.0.0.1:9", startup_timeout_s=1))
    message = str(raised.value)
    assert "rpc_url http://127.0.0.1:9" in message
    assert "startup_timeout_s" in message
    assert "fix rpc_url" in message


def test_settings__repr_and_dump__hide_the_admin_token(settings_for):
    settings = settings_for()
    assert ADMIN_TOKEN not in repr(settings)
    assert ADMIN_TOKEN not in str(settings.model_dump())
    assert ADMIN_TOKEN not in settings.model_dump_json()


def test_settings__default_host__is_loopback():
    assert ValidatorSettings(signer_keystore=Path("k.json")).host == "127.0.0.1"


def test_validator__payload_limit__follows_the_oracles_max_payload_size(validator):
    contract = validator.client.contract
    owner = contract.functions.owner().call()
    w3 = validator.client.w3

    def set_limit(size: int) -> None:
        tx = contract.functions.setMaxPayloadSize(size).transact({"from": owner})
        assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1

    set_limit(8_192)
    try:
        assert validator.load_model is not None
        assert validator.load_model().max_payload_size == 8_192
    finally:
        set_limit(4_096)


def test_build__rpc_down_at_start_for_seconds__waits_instead_of_exiting(
    settings_for, anvil_url, monkeypatch, caplog
):
    from tests.support.rpc_proxy import RpcProxy

    monkeypatch.setenv(PASSWORD_ENV, SIGNER_PASSWORD)
    proxy = RpcProxy(anvil_url)
    proxy.server.handle_error = lambda *_a: None  # type: ignore[method-assign]
    proxy.down()
    back = threading.Timer(8.0, proxy.up)
    back.start()
    try:
        with caplog.at_level("WARNING", logger="oracle.chain.rpc"):
            built = build_validator(settings_for(rpc_url=proxy.url))
        assert built.engine.round_duration == 60
        waits = [r.getMessage() for r in caplog.records if r.name == "oracle.chain.rpc"]
        assert waits, "each failed start-up attempt must be logged"
        assert all(f"rpc_url {proxy.url} unreachable" in line for line in waits)
    finally:
        back.cancel()
        proxy.up()
        proxy.close()
