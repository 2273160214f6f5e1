"""The chain fixtures (a real Anvil, the real contracts): see tests/support/chain_fixtures.py."""

from tests.support.chain_fixtures import account, anvil_url, client, deployment  # noqa: F401
