"""Keystores (encrypted, never overwritten) and typed settings (TOML + environment)."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account import Account
from typer.testing import CliRunner

from oracle.cli import app
from oracle.validator.keys import keystore_address, open_keystore, write_keystore
from oracle.validator.settings import ValidatorSettings, read_password


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
        'signer_keystore = "k.json"\nport = 9100\nadmin_token = "s3cret"\nbyzantine_shift = 0\n'
    )
    monkeypatch.setenv("ORACLE_BYZANTINE_SHIFT", "2")
    s = ValidatorSettings.from_file(cfg)
    assert (s.port, s.byzantine_shift, s.host) == (9100, 2, "127.0.0.1")
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
        read_password("NO_SUCH_PW", None, what="signer")


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
