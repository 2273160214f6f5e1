"""`make demo` with DEMO_EXIT=1, as CI runs it: the whole system on a fresh Anvil.

Uses the tiny test model (ORACLE_DEMO_MODEL=tiny) so it stays within the test-time
budget; the real `make demo` trains and runs MiniLM. Everything is real: `ape run
deploy`, four validator processes, signed commit-reveal votes, the treasury.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_TIMEOUT_S = 360  # a hang guard: the demo also runs its Safe scenario
RULE_CLASSES = {"sanctioned", "malformed"}  # decided by deterministic rules, not the model


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_closed(url: str) -> bool:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    with socket.socket() as probe:
        return probe.connect_ex((host, int(port))) != 0


def test_make_demo__demo_exit__every_proposal_final_treasury_acts_and_all_stopped(
    tmp_path: Path,
) -> None:
    workdir = tmp_path / "demo"
    env = {
        **os.environ,
        "DEMO_EXIT": "1",
        "ORACLE_DEMO_MODEL": "tiny",
        "ORACLE_DEMO_WORKDIR": str(workdir),
        "ORACLE_DEMO_PORT": str(free_port()),
        "ORACLE_DEMO_TIMEOUT": "150",
    }
    result = subprocess.run(
        ["make", "--no-print-directory", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_S,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "Proposals and their consensus verdicts" in output
    assert "GuardedTreasury: executed vs refused transfers" in output
    assert "Safe (2 of 3, OracleSafeGuard): executed vs refused transactions" in output
    assert "stopped Anvil, the validators and the explorer" in output

    summary = json.loads((workdir / "summary.json").read_text())
    proposals = summary["proposals"]
    assert {p["route"] for p in proposals} == {"direct", "treasury", "safe"}
    assert all(p["status"] == "Finalized" for p in proposals), proposals
    # Every validator revealed a vote on every proposal, and the tally is their stake.
    assert all(None not in p["votes"] and len(p["votes"]) == 4 for p in proposals)
    for p in proposals:
        assert int(p["tally_wei"][p["verdict"]]) > 0 and p["gas_used"] > 0
    # The rules decide these classes whatever the model: the verdict must match.
    for p in proposals:
        if p["intent"] in RULE_CLASSES:
            assert p["verdict"] == p["intent"], p
    verdicts = {p["verdict"] for p in proposals}
    assert {"legal", "sanctioned", "malformed"} <= verdicts
    assert verdicts & {"fraud", "illicit"}

    treasury = summary["treasury"]
    assert any(t["executed"] for t in treasury)
    assert any(not t["executed"] for t in treasury)
    for t in treasury:
        assert t["executed"] == (t["verdict"] == "legal"), t

    # The same transfers through a real Safe: its guard executes exactly the legal ones.
    safe_txs = summary["safe"]["transactions"]
    assert summary["safe"]["address"] and len(safe_txs) == len(treasury)
    assert any(t["executed"] for t in safe_txs) and any(not t["executed"] for t in safe_txs)
    for t in safe_txs:
        assert t["executed"] == (t["verdict"] == "legal"), t
        if not t["executed"]:
            assert "GuardTransactionNotApproved" in t["detail"], t

    # Nothing the demo started is left running.
    for url in [summary["explorer_url"], summary["rpc_url"], *summary["validator_urls"]]:
        assert port_is_closed(url), f"{url} still answers after the demo exited"
