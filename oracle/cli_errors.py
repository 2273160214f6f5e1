"""How the `oracle` command reports a failure: one line `error: ...` and a non-zero exit.

An operator reading a 60-line traceback has to find the one line that says what to do;
the command prints only that line. `oracle --debug ...` re-raises instead, so the full
traceback is there when a bug needs reporting.
"""

from __future__ import annotations

from typing import Any

import typer
from pydantic import ValidationError
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

# Exit status of a command that failed on bad input or a refused call (usage errors are 2).
ERROR_EXIT = 1
DEBUG_PARAM = "debug"


def validation_problems(exc: ValidationError) -> list[str]:
    """One `field: what is wrong` per problem; the rejected value itself is never shown
    (it may be a secret such as `admin_token`)."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "settings"
        if error.get("type") == "extra_forbidden":
            problems.append(f"{where}: unknown setting")
        else:
            problems.append(f"{where}: {error.get('msg', 'invalid value')}")
    return problems


def one_line(exc: BaseException) -> str:
    """The exception's message on one line; its type only where the message needs it."""
    if isinstance(exc, ValidationError):
        return "; ".join(validation_problems(exc))
    text = " ".join(str(exc).split())
    own = type(exc).__module__.startswith("oracle.") or type(exc) in _PLAIN_TYPES
    if not text:
        return type(exc).__name__
    return text if own else f"{type(exc).__name__}: {text}"


_PLAIN_TYPES: tuple[type[BaseException], ...] = (
    ValueError,
    FileNotFoundError,
    FileExistsError,
    PermissionError,
    IsADirectoryError,
    NotADirectoryError,
    TimeoutError,
    RuntimeError,
)


class OneLineErrors(TyperGroup):
    """The top-level group: any exception from a sub-command becomes `error: ...` on stderr."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, Exit, Abort):
            raise  # usage errors, typer.Exit: typer already reports these
        except Exception as exc:
            if ctx.params.get(DEBUG_PARAM):
                raise
            typer.echo(f"error: {one_line(exc)}", err=True)
            raise Exit(ERROR_EXIT) from None
