"""Which fleet member plays Byzantine, and switching it (restarting it with or without
the test-only `byzantine_shift` setting). A module of its own: test files must not
import from a conftest (another directory's conftest may be the one imported)."""

from __future__ import annotations

from oracle.validator.fleet import Fleet

BYZANTINE = 1  # starts Byzantine (test-only byzantine_shift) for test_byzantine.py

BYZANTINE_ENV = {"ORACLE_BYZANTINE_SHIFT": "1"}


def set_byzantine(fleet: Fleet, index: int, byzantine: bool) -> None:
    """Restart member `index` Byzantine or honest, unless it already is."""
    current: set[int] = fleet.byzantine  # type: ignore[attr-defined]
    if (index in current) == byzantine:
        return
    fleet.kill(index)
    fleet.start(index, env=BYZANTINE_ENV if byzantine else None)
    current.symmetric_difference_update({index})
    fleet.wait_ready(indices=[index], timeout_s=180)


def make_all_honest(fleet: Fleet) -> Fleet:
    """Restart every member that plays Byzantine as honest, whichever it is.

    For tests that need an all-honest fleet without knowing which member another
    module made Byzantine."""
    for index in sorted(fleet.byzantine):  # type: ignore[attr-defined]
        set_byzantine(fleet, index, False)
    return fleet
