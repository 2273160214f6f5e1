"""Which fleet member plays Byzantine, and switching it (restarting it through
tests/support/byzantine_cli.py, or the plain CLI). A module of its own: test files must not
import from a conftest (another directory's conftest may be the one imported)."""

from __future__ import annotations

from oracle.validator.fleet import CLI_LAUNCHER, Fleet
from tests.support.byzantine_cli import launcher

BYZANTINE = 1  # starts Byzantine (its judge's verdicts shifted by one) for test_byzantine.py
BYZANTINE_LAUNCHER = launcher(1)


def is_byzantine(fleet: Fleet, index: int) -> bool:
    return fleet.members[index].launcher == BYZANTINE_LAUNCHER


def set_byzantine(fleet: Fleet, index: int, byzantine: bool) -> None:
    """Restart member `index` Byzantine or honest, unless it already is."""
    if is_byzantine(fleet, index) == byzantine:
        return
    fleet.kill(index)
    fleet.start(index, launcher=BYZANTINE_LAUNCHER if byzantine else CLI_LAUNCHER)
    fleet.wait_ready(indices=[index], timeout_s=180)


def make_all_honest(fleet: Fleet) -> Fleet:
    """Restart every member that plays Byzantine as honest, whichever it is.

    For tests that need an all-honest fleet without knowing which member another
    module made Byzantine."""
    for index in range(len(fleet.members)):
        set_byzantine(fleet, index, False)
    return fleet
