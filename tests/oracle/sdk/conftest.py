"""SDK tests: a real Anvil with the real contracts (tests/support/chain_fixtures.py), a
real Safe 1.4.1 with the guard installed, and one staked validator that votes by hand."""

from __future__ import annotations

from tests.support.chain_fixtures import anvil_url, client, deployment  # noqa: F401
