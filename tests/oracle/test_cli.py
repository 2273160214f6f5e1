import json
from pathlib import Path

from eth_account import Account
from typer.testing import CliRunner

from oracle.cli import app
from oracle.validator.keys import write_keystore

OPERATOR = "0x" + "12" * 20


def test_cli__help__lists_the_oracle_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Verdict oracle" in result.output


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    """The failure was reported as exactly one `error: ...` line, with no traceback."""
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def _deployment_file(tmp_path: Path) -> Path:
    """A well-formed deployment file for a chain nobody serves (no ABI needed to fail early)."""
    path = tmp_path / "31337.json"
    path.write_text(
        json.dumps({"chain_id": 31337, "contracts": {"VerdictOracle": OPERATOR}, "abi": {}})
    )
    return path


def test_cli__bad_config__one_error_line_naming_the_setting(tmp_path: Path) -> None:
    config = tmp_path / "v.toml"
    config.write_text('signer_keystore = "k.json"\nport = 70000\nrpc_ulr = "http://x"\n')
    result = CliRunner().invoke(app, ["validator", "run", "--config", str(config)])
    line = _one_error_line(result)
    assert "port" in line
    assert "rpc_ulr: unknown setting (did you mean rpc_url?)" in line


def test_cli__toml_syntax_error__one_error_line_naming_the_file(tmp_path: Path) -> None:
    config = tmp_path / "v.toml"
    config.write_text('signer_keystore = "k.json"\nport = = 1\n')
    result = CliRunner().invoke(app, ["validator", "run", "--config", str(config)])
    line = _one_error_line(result)
    assert str(config) in line and "not valid TOML" in line


def test_cli__unreachable_rpc_url__one_error_line_naming_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "status",
            "--operator",
            OPERATOR,
            "--rpc-url",
            "http://127.0.0.1:9",
            "--deployment",
            str(_deployment_file(tmp_path)),
        ],
    )
    line = _one_error_line(result)
    assert "cannot reach --rpc-url http://127.0.0.1:9" in line


def test_cli__missing_keystore__one_error_line_saying_how_to_create_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["stake", "1", "--keystore", str(tmp_path / "absent.json")], env={"X_PW": "pw"}
    )
    line = _one_error_line(result)
    assert "absent.json does not exist" in line and "oracle keys new" in line


def test_cli__wrong_password__one_error_line_without_the_password(tmp_path: Path) -> None:
    keystore = tmp_path / "k.json"
    write_keystore(keystore, Account.create().key, "right-password", light=True)
    result = CliRunner().invoke(
        app,
        ["claim", "--keystore", str(keystore), "--password-env", "X_PW"],
        env={"X_PW": "wrong-password-81"},
    )
    line = _one_error_line(result)
    assert "wrong password" in line
    assert "wrong-password-81" not in result.output


def test_cli__debug__shows_the_full_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["--debug", "validator", "run", "--config", str(tmp_path / "nope.toml")]
    )
    assert result.exit_code != 0
    # Re-raised, not reduced to a line: the runner holds the exception and its traceback.
    assert isinstance(result.exception, FileNotFoundError)
    assert result.exc_info is not None and result.exc_info[2] is not None
    assert "error: " not in result.output


def test_generate_data__chain_id__every_record_names_that_chain_except_wrong_chain_ones(
    tmp_path: Path,
) -> None:
    out = tmp_path / "data"
    result = CliRunner().invoke(
        app, ["generate-data", "--out-dir", str(out), "--records", "400", "--chain-id", "31337"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for f in out.glob("*.jsonl") for line in f.read_text().splitlines()]
    assert len(rows) == 400
    other = [r for r in rows if r["payload"]["chain_id"] != 31337]
    # Only the deliberately wrong-chain `malformed` records name another chain.
    assert all(r["label"] == "malformed" for r in other)
    assert len(other) < len(rows) // 20
