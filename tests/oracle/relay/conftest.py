"""The chain fixtures of tests/oracle/relay (a real Anvil, the real contracts)."""

from tests.support.chain_fixtures import account, anvil_url, client, deployment  # noqa: F401
