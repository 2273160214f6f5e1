"""Keystores (encrypted, never overwritten) and typed settings (TOML + environment)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from eth_account import Account
from typer.testing import CliRunner

from oracle.cli import app
from oracle.validator.cli_common import KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV
from oracle.validator.keys import keystore_address, open_keystore, write_keystore
from oracle.validator.settings import ValidatorSettings, read_password

ROOT = Path(__file__).resolve().parents[3]


def test_keystore__round_trips_and_is_private(tmp_path: Path) -> None:
    acct = Account.create()
    path = tmp_path / "k.json"
    assert write_keystore(path, acct.key, "pw", light=True) == acct.address
    assert acct.key.hex() not in path.read_text()
    assert path.stat().st_mode & 0o077 == 0
    assert open_keystore(path, "pw").address == acct.address
    assert keystore_address(path) == acct.address


def test_keystore__wrong_password__says_so(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    write_keystore(path, Account.create().key, "pw", light=True)
    with pytest.raises(ValueError, match="wrong password"):
        open_keystore(path, "nope")


def test_keystore__refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    write_keystore(path, Account.create().key, "pw", light=True)
    with pytest.raises(FileExistsError):
        write_keystore(path, Account.create().key, "pw", light=True)


def test_keys_cli__new_then_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORACLE_KEYSTORE_PASSWORD", "pw")
    path = tmp_path / "new.json"
    created = CliRunner().invoke(app, ["keys", "new", str(path)])
    assert created.exit_code == 0, created.output
    shown = CliRunner().invoke(app, ["keys", "address", str(path)])
    assert shown.output.strip() == created.output.strip()


def test_keys_cli__import_reads_the_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    acct = Account.create()
    monkeypatch.setenv("ORACLE_KEYSTORE_PASSWORD", "pw")
    monkeypatch.setenv("ORACLE_PRIVATE_KEY", acct.key.hex())
    result = CliRunner().invoke(app, ["keys", "import", str(tmp_path / "i.json")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == acct.address
    assert acct.key.hex() not in result.output


def test_settings__toml_then_environment_overrides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text(
        'signer_keystore = "k.json"\nport = 9100\nadmin_token = "s3cret"\njudge_batch = 64\n'
    )
    monkeypatch.setenv("ORACLE_JUDGE_BATCH", "8")
    s = ValidatorSettings.from_file(cfg)
    assert (s.port, s.judge_batch, s.host) == (9100, 8, "127.0.0.1")
    assert "s3cret" not in repr(s)  # secrets never end up in logs


def test_settings__unknown_key_and_missing_file__are_clear_errors(tmp_path: Path) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('signer_keystore = "k.json"\nrpc_ulr = "x"\n')
    with pytest.raises(ValueError, match="rpc_ulr"):
        ValidatorSettings.from_file(cfg)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ValidatorSettings.from_file(tmp_path / "missing.toml")


def test_read_password__missing__names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_PW", raising=False)
    with pytest.raises(ValueError, match="NO_SUCH_PW"):
        read_password(
            "NO_SUCH_PW", None, what="the signer keystore", file_hint="set signer_password_file"
        )


def test_settings__failed_file_load__leaves_no_file_behind_for_the_next_load(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('signer_keystore = "k.json"\nrpc_ulr = "x"\n')
    with pytest.raises(ValueError, match="rpc_ulr"):
        ValidatorSettings.from_file(bad)
    # Built without a file, the settings must not read the previous (bad) one.
    s = ValidatorSettings(signer_keystore=Path("other.json"))
    assert s.signer_keystore == Path("other.json")


@pytest.mark.parametrize("password", ["", None])
def test_keystore__empty_password__refused_on_create_and_on_open(
    tmp_path: Path, password: str | None
) -> None:
    if password is None:  # an empty password file
        empty = tmp_path / "pw"
        empty.write_text("\n")
        password = read_password("UNUSED", empty, what="a keystore", file_hint="")
    with pytest.raises(ValueError, match="empty password"):
        write_keystore(tmp_path / "k.json", Account.create().key, password, light=True)
    assert not (tmp_path / "k.json").exists()
    # A keystore someone made elsewhere with an empty password: not opened either.
    made = tmp_path / "made.json"
    write_keystore(made, Account.create().key, "pw", light=True)
    with pytest.raises(ValueError, match="empty password"):
        open_keystore(made, password)


def test_keys_cli__empty_password__one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYSTORE_PASSWORD_ENV, "")
    result = CliRunner().invoke(app, ["keys", "new", str(tmp_path / "k.json")])
    assert result.exit_code != 0
    assert result.output.startswith("error: empty password")
    assert not (tmp_path / "k.json").exists()


def test_keys_cli__no_password__hint_names_the_commands_option_not_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEYSTORE_PASSWORD_ENV, raising=False)
    result = CliRunner().invoke(app, ["keys", "new", str(tmp_path / "k.json")])
    assert result.exit_code != 0
    assert "--password-file" in result.output
    assert "keystore_password_file" not in result.output  # the setting that never existed


# Where user-facing messages live: the validator and the chain access it uses.
MESSAGE_SOURCES = [
    *sorted((ROOT / "oracle" / "validator").glob("*.py")),
    ROOT / "oracle" / "chain" / "rpc.py",
]
ENV_VAR = re.compile(r"\bORACLE_[A-Z0-9_]+\b")
# `set X`, `the setting X`, `(X)`, `fix X`, `X = ...`: the forms a hint uses for a setting.
# SQL in the store's schema names columns in parentheses too; it is not a message.
SQL_STATEMENT = re.compile(r"\s*(?:CREATE|ALTER|DROP|SELECT|INSERT|UPDATE|DELETE|PRAGMA)\b")
SETTING_MENTION = re.compile(
    r"(?:\bset(?:ting)?|\bfix|\()\s+([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b|\(([a-z]+(?:_[a-z0-9]+)+)\)"
)


def _string_constants(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    return [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_messages__every_setting_and_oracle_variable_they_name_exists() -> None:
    fields = ValidatorSettings.model_fields
    env_vars = {f"ORACLE_{name.upper()}" for name in fields}
    # Default values of the *_password_env settings, and the key commands' own variables.
    env_vars |= {str(f.default) for n, f in fields.items() if n.endswith("_password_env")}
    env_vars |= {KEYSTORE_PASSWORD_ENV, PRIVATE_KEY_ENV}
    unknown = []
    for path in MESSAGE_SOURCES:
        for text in _string_constants(path):
            if SQL_STATEMENT.match(text):
                continue
            for var in ENV_VAR.findall(text):
                if var not in env_vars and var != "ORACLE_":
                    unknown.append(f"{path.name}: {var}")
            for match in SETTING_MENTION.finditer(text):
                name = match.group(1) or match.group(2)
                if name not in fields:
                    unknown.append(f"{path.name}: {name} in {text!r}")
    assert unknown == []


def test_read_password__hints_of_the_validator__name_real_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The f-string hints the static scan cannot read: built the way service.py builds them."""
    from oracle.validator import service

    source = Path(service.__file__).read_text()
    hints = re.findall(r'file_hint="set ([a-z_]+)"', source)
    assert sorted(hints) == ["operator_password_file", "signer_password_file"]
    assert all(h in ValidatorSettings.model_fields for h in hints)


def test_settings__engine_knobs_from_toml_and_environment__reach_the_engine_and_its_fees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oracle.validator.engine_knobs import EngineKnobs

    cfg = tmp_path / "v.toml"
    cfg.write_text('signer_keystore = "k.json"\nclaim_every_s = 7.5\nmax_fee_per_gas_gwei = 80\n')
    monkeypatch.setenv("ORACLE_FEE_BUMP_AFTER_BLOCKS", "6")
    settings = ValidatorSettings.from_file(cfg)
    assert isinstance(settings, EngineKnobs)  # what the service hands the engine
    policy = settings.fee_policy()  # the transaction manager's
    assert (settings.claim_every_s, policy.max_fee_per_gas_gwei, policy.bump_after_blocks) == (
        7.5,
        80,
        6,
    )
    # Each knob's default and bounds are its declaration's, whichever way it is built.
    assert EngineKnobs().retention_rounds == settings.retention_rounds
    with pytest.raises(ValueError, match="retention_rounds"):
        EngineKnobs(retention_rounds=3)


def test_settings__model_dirs__held_in_order_default_first(tmp_path: Path) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('signer_keystore = "k.json"\nmodel_dirs = ["models/new", "models/old"]\n')
    s = ValidatorSettings.from_file(cfg)
    assert s.held_model_dirs == [Path("models/new"), Path("models/old")]
    assert ValidatorSettings(signer_keystore=Path("k.json")).held_model_dirs == [
        Path("models/default")
    ]


def test_settings__model_dir_and_model_dirs_both_set__one_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('signer_keystore = "k.json"\nmodel_dir = "a"\nmodel_dirs = ["b"]\n')
    with pytest.raises(ValueError, match=r"model_dir .*or model_dirs .*not both"):
        ValidatorSettings.from_file(cfg)


def test_settings__fee_bump_nodes_refuse__is_a_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('signer_keystore = "k.json"\nfee_bump_factor = 1.01\n')
    with pytest.raises(ValueError, match="fee_bump_factor"):
        ValidatorSettings.from_file(cfg)
