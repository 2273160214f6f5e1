"""The chain fixtures of tests/oracle/chain (a real Anvil, the real contracts)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chain"))

from chainfixtures import account, anvil_url, client, deployment  # noqa: F401
