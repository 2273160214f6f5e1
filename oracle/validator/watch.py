"""Follows proposals from submission to final verdict, for `oracle watch`.

Latency is chain time: the submitting block's timestamp to the finalizing block's. Wall
time of reading would be 0 for every row that one poll reads whole (`--once`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table

from oracle.chain.client import OracleClient, Status
from oracle.model.labels import Verdict


@dataclass
class Row:
    id: int
    round: int
    seen_at: float
    status: str = "pending"
    verdict: str = ""
    final_at: float | None = None


class ProposalWatcher:
    def __init__(self, client: OracleClient) -> None:
        self.reader = client.event_reader(
            "ProposalSubmitted", "ProposalFinalized", "ProposalRolled"
        )
        self.w3 = client.w3
        self.cursor: int | None = None
        self.rows: dict[int, Row] = {}
        self._block_times: dict[int, float] = {}

    def block_time(self, number: int) -> float:
        """A block's timestamp, read once per block (many events share one)."""
        if number not in self._block_times:
            self._block_times[number] = float(self.w3.eth.get_block(number)["timestamp"])
        return self._block_times[number]

    def poll(self) -> None:
        events, self.cursor = self.reader.read(self.cursor)
        for ev in events:
            pid = int(ev.args["id"])
            at = self.block_time(ev.block_number)
            if ev.name == "ProposalSubmitted":
                self.rows.setdefault(pid, Row(pid, int(ev.args["round"]), at))
            elif pid in self.rows and ev.name == "ProposalRolled":
                self.rows[pid].round = int(ev.args["toRound"])
            elif pid in self.rows and ev.name == "ProposalFinalized":
                row = self.rows[pid]
                row.status = Status(int(ev.args["status"])).name.lower()
                row.verdict = (
                    Verdict(int(ev.args["verdict"])).label if row.status == "finalized" else ""
                )
                row.final_at = at

    def table(self, last: int = 30) -> Table:
        t = Table(
            title=f"proposals ({sum(r.final_at is not None for r in self.rows.values())}"
            f"/{len(self.rows)} final)"
        )
        for col in ("id", "round", "status", "verdict", "seen→final s"):
            t.add_column(col)
        for row in sorted(self.rows.values(), key=lambda r: r.id)[-last:]:
            took = "" if row.final_at is None else f"{row.final_at - row.seen_at:.1f}"
            t.add_row(str(row.id), str(row.round), row.status, row.verdict, took)
        return t
