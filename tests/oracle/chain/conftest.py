"""The chain fixtures (a real Anvil, the real contracts): see chainfixtures.py."""

from chainfixtures import account, anvil_url, client, deployment  # noqa: F401
