"""The `oracle` command: each area registers its own sub-commands.

This module only wires; the commands live next to the code they drive
(`oracle/model/cli.py`, `oracle/validator/cli.py`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from oracle.cli_errors import OneLineErrors
from oracle.explorer.cli import register as register_explorer_commands
from oracle.model.cli import register as register_model_commands
from oracle.sdk.cli import register as register_safe_commands
from oracle.validator.cli import register as register_validator_commands

app = typer.Typer(
    name="oracle",
    help="Verdict oracle: train and evaluate the classifier, run validators, submit proposals.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=OneLineErrors,
)


@app.callback()
def main(
    debug: Annotated[
        bool, typer.Option("--debug", help="on an error, show the full traceback, not one line")
    ] = False,
) -> None:
    """Verdict oracle: train and evaluate the classifier, run validators, submit proposals."""
    # Read by OneLineErrors (oracle/cli_errors.py) from the context's parameters.
    del debug


@app.command()
def version() -> None:
    """Print the package version."""
    from oracle import __version__

    typer.echo(__version__)


register_model_commands(app)
register_validator_commands(app)
register_explorer_commands(app)
register_safe_commands(app)


if __name__ == "__main__":
    app()
