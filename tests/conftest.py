"""Markers for the whole suite, applied from what a test uses, so they cannot go stale.

- `anvil`: starts a local Anvil node (any test that needs the `anvil_url` or `anvil` fixture);
- `ganache`: starts a local Ganache node (the `ganache` fixture);
- `e2e`: runs validator or demo processes (tests/e2e, tests/demo);
- `browser`: drives headless Chromium (the `browser` fixture);
- `slow`: a real MiniLM forward pass (tests/oracle/model/test_minilm.py), or the contracts
  at their largest round (tests/contracts/test_gas_limits.py: 1,024 proposals, minutes);
- `fuzz`: the stateful fuzz of the contracts (`make fuzz` runs it long);
- `unit`: none of the above: contracts on ape's in-process EVM and Python with no
  process and no network. `make test-fast` runs exactly these.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# `node` (tests/oracle/chain/test_localnode.py) starts each kind of local chain in turn.
PROCESS_FIXTURES = {
    "anvil": {"anvil_url", "anvil", "node"},
    "ganache": {"ganache", "node"},
    "browser": {"browser"},
}
E2E_DIRS = (TESTS / "e2e", TESTS / "demo")
SLOW_MODULES = {
    TESTS / "oracle" / "model" / "test_minilm.py",
    TESTS / "contracts" / "test_gas_limits.py",
}
FUZZ_MODULES = {TESTS / "contracts" / "test_invariants.py"}


def markers_for(path: Path, fixtures: set[str]) -> list[str]:
    """The markers a test at `path` requesting `fixtures` (transitively) carries."""
    found = [name for name, uses in PROCESS_FIXTURES.items() if fixtures & uses]
    if any(path.is_relative_to(d) for d in E2E_DIRS):
        found.append("e2e")
    if path in SLOW_MODULES:
        found.append("slow")
    if path in FUZZ_MODULES:
        found.append("fuzz")
    return found or ["unit"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        for name in markers_for(Path(str(item.path)).resolve(), fixtures):
            item.add_marker(name)
