"""The store's per-tick queries with and without the schema's indexes (migration 1).

    indexed    a store at the latest schema version holding N proposals
    baseline   a copy of the same file with migration 1's indexes dropped (the v0 schema's
               plan: every per-tick query scans the proposals table)

Same run, same data: N proposals over N/64 rounds, all final but the last 8 rounds'
(a validator's steady state before pruning), 1,000 settled ballots. Each query runs
`--repeat` times; the median is reported. Writes bench/results/store.json with the
milliseconds per query on both and baseline/indexed ratios.

Run: `python bench/store_queries.py` (about 30 s on 2 cores; `--proposals 100000`).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oracle.validator.store import Store  # noqa: E402
from oracle.validator.store_schema import MIGRATIONS  # noqa: E402

PER_ROUND = 64
OPEN_ROUNDS = 8


def _fill(store: Store, n: int) -> int:
    rounds = n // PER_ROUND
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO proposals(id, payload, payload_hash, requester, first_round, block,"
            " current_round, verdict, status, final_round) VALUES(?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    i,
                    b"\x00" * 256,
                    b"\x11" * 32,
                    "0x" + "22" * 20,
                    i // PER_ROUND,
                    i // PER_ROUND,
                    i // PER_ROUND,
                    2,
                    1 if i // PER_ROUND >= rounds - OPEN_ROUNDS else 2,
                    None if i // PER_ROUND >= rounds - OPEN_ROUNDS else i // PER_ROUND,
                )
                for i in range(1, n + 1)
            ],
        )
        c.executemany(
            "INSERT INTO ballots(round, proposal_ids, verdicts, salt, commitment, state)"
            " VALUES(?, '', x'', x'', x'', 'settled')",
            [(r,) for r in range(max(0, rounds - 1000), rounds)],
        )
    store._conn().execute("ANALYZE")
    return rounds


def _queries(rounds: int) -> dict[str, tuple[str, tuple[object, ...]]]:
    return {
        "pending_in_round": (
            "SELECT id FROM proposals WHERE status=1 AND current_round=? ORDER BY id",
            (rounds - 2,),
        ),
        "pending_rounds": (
            "SELECT DISTINCT current_round FROM proposals WHERE status=1 AND current_round < ?"
            " ORDER BY current_round",
            (rounds,),
        ),
        "count_pending": ("SELECT COUNT(*) FROM proposals WHERE status=1", ()),
        "ballots_in": (
            "SELECT * FROM ballots WHERE state IN ('prepared','committed') ORDER BY round",
            (),
        ),
    }


def _time(conn: sqlite3.Connection, sql: str, args: tuple[object, ...], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        conn.execute(sql, args).fetchall()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proposals", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "store.json")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        indexed_path, baseline_path = Path(d) / "indexed.db", Path(d) / "baseline.db"
        store = Store(indexed_path)
        rounds = _fill(store, a.proposals)
        store.close()
        shutil.copy(indexed_path, baseline_path)
        baseline = sqlite3.connect(baseline_path)
        for statement in MIGRATIONS[0].statements:
            name = statement.split("EXISTS ")[1].split()[0]
            baseline.execute(f"DROP INDEX {name}")
        indexed = sqlite3.connect(indexed_path)
        rows = {}
        for name, (sql, args) in _queries(rounds).items():
            with_ms = _time(indexed, sql, args, a.repeat)
            without_ms = _time(baseline, sql, args, a.repeat)
            rows[name] = {
                "indexed_ms": round(with_ms, 4),
                "baseline_ms": round(without_ms, 4),
                "ratio_baseline_over_indexed": round(without_ms / with_ms, 1),
            }
    result = {
        "proposals": a.proposals,
        "rounds": rounds,
        "repeat": a.repeat,
        "sqlite": sqlite3.sqlite_version,
        "machine": platform.platform(),
        "queries": rows,
    }
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{'query':<18} {'indexed ms':>11} {'baseline ms':>12} {'ratio':>7}")
    for name, r in rows.items():
        print(
            f"{name:<18} {r['indexed_ms']:>11.3f} {r['baseline_ms']:>12.3f}"
            f" {r['ratio_baseline_over_indexed']:>7.1f}"
        )


if __name__ == "__main__":
    main()
