"""Bad settings and a wrong keystore password stop the validator at start, with one line
`error: ...` that names what is wrong; no secret appears in that line.

`oracle validator run --config FILE` is driven in process (typer's runner) for the start-up
failures, and `build_validator` directly for the ones that need the test chain.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oracle.chain.params import Param
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
    ("byzantine_shift", "1", "byzantine_shift"),  # test-only behaviour is no setting
    ("auto_stake_wei", "-1", "auto_stake_wei"),
    ("relayer", '"maybe"', "relayer"),
    ("port", '"eighty"', "port"),
    ("rpc_ulr", '"http://x"', "rpc_ulr"),  # a typo'd key is refused, not ignored
]


def run_cli(config: Path, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["validator", "run", "--config", str(config)], env=env)


def error_line(result) -> str:  # type: ignore[no-untyped-def]
    """The one `error: ...` line a failed start prints (no traceback)."""
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


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
    message = error_line(result)
    assert f"{named}: " in message
    assert ADMIN_TOKEN not in message + result.output


def test_run__missing_config_file__says_it_does_not_exist(tmp_path):
    result = run_cli(tmp_path / "nope.toml")
    assert "does not exist" in error_line(result)


def test_run__toml_syntax_error__exits_non_zero(tmp_path):
    result = run_cli(write_config(tmp_path, 'signer_keystore = "k.json"\nport = = 1\n'))
    assert result.exit_code != 0
    assert result.exception is not None


def test_run__no_signer_keystore__names_the_missing_setting(tmp_path):
    result = run_cli(write_config(tmp_path, "port = 9000\n"))
    assert "signer_keystore: required, not set" in error_line(result)


def test_run__keystore_file_missing__says_how_to_create_one(tmp_path):
    config = write_config(tmp_path, f'signer_keystore = "{tmp_path / "absent.json"}"\n')
    result = run_cli(config, env={"ORACLE_SIGNER_PASSWORD": "x"})
    assert "oracle keys new" in error_line(result)


def test_run__wrong_keystore_password__fails_at_start_without_echoing_it(tmp_path, signer_keystore):
    wrong = "not-the-password-7f3e"
    config = write_config(
        tmp_path,
        f'signer_keystore = "{signer_keystore[0]}"\nsigner_password_env = "{PASSWORD_ENV}"\n',
    )
    result = run_cli(config, env={PASSWORD_ENV: wrong})
    message = error_line(result)
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
    message = error_line(result)
    assert "ORACLE_SECURITY_TEST_UNSET_VARIABLE" in message
    assert "set signer_password_file" in message


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
        tx = contract.functions.setParameter(Param.maxPayloadSize, size).transact({"from": owner})
        assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1

    set_limit(8_192)
    try:
        assert validator.load_model is not None
        assert [p.max_payload_size for p in validator.load_model()] == [8_192]
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


def test_run__empty_keystore_password__refused_at_start(tmp_path, signer_keystore):
    config = write_config(
        tmp_path,
        f'signer_keystore = "{signer_keystore[0]}"\nsigner_password_env = "{PASSWORD_ENV}"\n',
    )
    assert "empty password" in error_line(run_cli(config, env={PASSWORD_ENV: ""}))


def test_run__rpc_unreachable__one_error_line_naming_rpc_url(
    tmp_path, signer_keystore, deployment_file
):
    config = write_config(
        tmp_path,
        f'signer_keystore = "{signer_keystore[0]}"\nsigner_password_env = "{PASSWORD_ENV}"\n'
        'rpc_url = "http://127.0.0.1:9"\nstartup_timeout_s = 0\n'
        f'deployment = "{deployment_file}"\n',
    )
    message = error_line(run_cli(config, env={PASSWORD_ENV: SIGNER_PASSWORD}))
    assert "cannot reach rpc_url http://127.0.0.1:9" in message
    assert SIGNER_PASSWORD not in message


# ------------------------------------------------------------------ oracle validate-config


def validate(config: Path, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["validate-config", str(config)], env=env)


def test_validate_config__good_file__ok_and_exit_0(
    tmp_path, signer_keystore, deployment_file, tiny_model_dir
):
    config = write_config(
        tmp_path,
        f'signer_keystore = "{signer_keystore[0]}"\nsigner_password_env = "{PASSWORD_ENV}"\n'
        f'deployment = "{deployment_file}"\nmodel_dir = "{tiny_model_dir}"\n'
        f'db_path = "{tmp_path / "db" / "v.db"}"\n',
    )
    result = validate(config, env={PASSWORD_ENV: SIGNER_PASSWORD})
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"ok: {config}"
    assert not (tmp_path / "db").exists()  # nothing started, nothing created


def test_validate_config__every_problem__one_line_each_and_exit_1(tmp_path):
    config = write_config(
        tmp_path,
        f'signer_keystore = "{tmp_path / "no-key.json"}"\n'
        'signer_password_env = "ORACLE_SECURITY_TEST_UNSET_VARIABLE"\n'
        f'deployment = "{tmp_path / "no-deployment.json"}"\n'
        f'model_dir = "{tmp_path / "no-model"}"\n'
        f'sanctions_file = "{tmp_path / "no-list.txt"}"\n'
        'relay_url = "ftp://x"\n',
    )
    result = validate(config)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    named = [
        "signer_keystore:",
        "signer_password_env:",
        "deployment:",
        "model_dir:",
        "sanctions_file:",
        "relay_url:",
    ]
    assert len(lines) == len(named), result.output
    for line, setting in zip(lines, named, strict=True):
        assert line.startswith(f"error: {config}: {setting}"), line


def test_validate_config__bad_values__one_line_per_setting(tmp_path):
    config = write_config(tmp_path, f'admin_token = "{ADMIN_TOKEN}"\nport = 70000\nrpc_ulr = 1\n')
    result = validate(config)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sorted(line.split(": ")[2] for line in lines) == ["port", "rpc_ulr", "signer_keystore"]
    assert ADMIN_TOKEN not in result.output


# ------------------------------------------------------------------ what a validator pins


def test_build__no_sanctions_file__logs_the_shipped_sample_and_its_hash(validator, captured_logs):
    import hashlib

    from oracle.model.rules import sample_sanctions_path

    sha = "0x" + hashlib.sha256(sample_sanctions_path().read_bytes()).hexdigest()
    lines = [line for line in captured_logs.lines if "SAMPLE sanctions list" in line]
    assert lines and sha in lines[0] and "set sanctions_file" in lines[0]
    assert validator.facts.sanctions.sha256 == sha


def test_status__shows_the_sanctions_list_hash(validator):
    from fastapi.testclient import TestClient

    from oracle.validator.api import create_app

    with TestClient(create_app(validator, start_engine=False)) as http:
        body = http.get("/status").json()
    assert body["sanctions"] == validator.facts.sanctions.as_json()
    assert body["sanctions"]["sample"] is True


def test_startup_summary__names_chain_oracle_keys_balance_model_and_sanctions(validator):
    line = validator.log_summary()
    facts = validator.facts
    assert line.startswith(f"start-up: chain {facts.chain_id}, oracle {facts.oracle}, ")
    assert f"operator {validator.engine.operator}" in line
    assert f"signer {facts.signer} balance " in line and " ETH" in line
    local = validator.engine.judge.pipeline.model_hash
    assert f"model {local} (matches the pinned hash)" in line
    assert f"sha256 {facts.sanctions.sha256}" in line


def test_build__logs_the_signers_balance_against_ten_rounds_of_gas(validator, captured_logs):
    signer = validator.facts.signer
    lines = [line for line in captured_logs.lines if f"signer {signer} balance " in line]
    assert lines, "the start-up must say what the signer holds"
    assert "pays for 10 rounds of votes at the current gas price" in lines[0]


def test_build__sanctions_file_missing__refuses_to_start_naming_it(
    settings_for, tmp_path, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, SIGNER_PASSWORD)
    with pytest.raises(FileNotFoundError, match=r"sanctions_file .*no-list\.txt does not exist"):
        build_validator(settings_for(sanctions_file=tmp_path / "no-list.txt"))
