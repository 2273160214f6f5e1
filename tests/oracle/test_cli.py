from typer.testing import CliRunner

from oracle.cli import app


def test_cli__help__lists_the_oracle_command():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Verdict oracle" in result.output
