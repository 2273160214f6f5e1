"""SDK tests: a real Anvil with the real contracts (tests/oracle/chain/chainfixtures.py), a
real Safe 1.4.1 with the guard installed, and one staked validator that votes by hand."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chain"))

from chainfixtures import anvil_url, client, deployment  # noqa: F401
