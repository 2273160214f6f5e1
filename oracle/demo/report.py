"""The tables the demo prints at the end."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from oracle.demo.submissions import Submission, TransferOutcome
from oracle.explorer import views
from oracle.explorer.indexer import Indexer
from oracle.explorer.payload_view import memo_excerpt

VERDICT_STYLES = {
    "legal": "green",
    "fraud": "red",
    "illicit": "magenta",
    "sanctioned": "dark_orange",
    "malformed": "grey50",
}


def proposals_table(
    indexer: Indexer, submissions: list[Submission], validators: list[str]
) -> Table:
    table = Table(title="Proposals and their consensus verdicts", show_lines=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("via", no_wrap=True)
    table.add_column("memo", max_width=32, overflow="ellipsis", no_wrap=True)
    for i in range(len(validators)):
        table.add_column(f"V{i + 1}", no_wrap=True)
    table.add_column("tally (ETH)", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("gas", justify="right", no_wrap=True)
    with indexer.lock:
        now = indexer.chain_now()
        rows: list[tuple[Submission, dict[str, Any], bytes]] = [
            (
                sub,
                views.proposal_summary(indexer, indexer.proposals[sub.proposal_id], now),
                indexer.proposals[sub.proposal_id].payload,
            )
            for sub in submissions
        ]
    for sub, summary, payload in rows:
        votes = {v["validator"]: v["verdict_name"] for v in summary["votes"]}
        tally = ", ".join(f"{k} {v}" for k, v in summary["tally_eth"].items() if v != "0") or "-"
        final = summary["verdict_name"] or summary["status"]
        table.add_row(
            str(sub.proposal_id),
            sub.route,
            memo_excerpt(payload, 32),
            *[_styled(votes.get(address, "-")) for address in validators],
            tally,
            _styled(final),
            f"{sub.gas_used:,}",
        )
    return table


def treasury_table(outcomes: list[TransferOutcome]) -> Table:
    table = Table(title="GuardedTreasury: executed vs refused transfers")
    return _outcome_rows(table, "request", outcomes)


def safe_table(safe_address: str, outcomes: list[TransferOutcome]) -> Table:
    table = Table(
        title="Safe (2 of 3, OracleSafeGuard): executed vs refused transactions",
        caption=f"Safe {safe_address}",
    )
    return _outcome_rows(table, "proposal", outcomes)


def _outcome_rows(table: Table, id_column: str, outcomes: list[TransferOutcome]) -> Table:
    """The columns and rows both transfer tables share; `id_column` names the proposal id."""
    table.add_column(id_column, justify="right", no_wrap=True)
    table.add_column("to", no_wrap=True)
    table.add_column("amount (ETH)", justify="right", no_wrap=True)
    table.add_column("memo", max_width=34, overflow="ellipsis", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column("gas", justify="right", no_wrap=True)
    for outcome in outcomes:
        transfer = outcome.submission.transfer
        assert transfer is not None
        table.add_row(
            str(outcome.submission.proposal_id),
            transfer.to[:10] + "…",
            views.eth(transfer.amount_wei),
            transfer.memo,
            _styled(outcome.verdict),
            ("[green]EXECUTED[/] " if outcome.executed else "[red]REFUSED[/] ") + outcome.detail,
            f"{outcome.gas_used:,}" if outcome.gas_used else "-",
        )
    return table


def print_report(
    console: Console,
    indexer: Indexer,
    submissions: list[Submission],
    validators: list[str],
    outcomes: list[TransferOutcome],
    safe: tuple[str, list[TransferOutcome]] | None = None,
) -> None:
    console.print()
    console.print(proposals_table(indexer, submissions, validators))
    for i, address in enumerate(validators, start=1):
        console.print(f"  V{i} = {address}")
    console.print()
    console.print(treasury_table(outcomes))
    if safe is not None:
        console.print()
        console.print(safe_table(*safe))


def _styled(verdict: str) -> str:
    style = VERDICT_STYLES.get(verdict)
    return f"[{style}]{verdict}[/]" if style else verdict


def summary_json(
    indexer: Indexer,
    submissions: list[Submission],
    validators: list[str],
    outcomes: list[TransferOutcome],
    endpoints: dict[str, Any],
    safe: tuple[str, list[TransferOutcome]] | None = None,
) -> dict[str, Any]:
    """What the report shows, as data: `summary.json` in the work folder, for scripts and tests."""
    with indexer.lock:
        now = indexer.chain_now()
        summaries = {
            sub.proposal_id: views.proposal_summary(
                indexer, indexer.proposals[sub.proposal_id], now
            )
            for sub in submissions
        }
    proposals = []
    for sub in submissions:
        summary = summaries[sub.proposal_id]
        votes = {v["validator"]: v["verdict_name"] for v in summary["votes"]}
        proposals.append(
            {
                "id": sub.proposal_id,
                "route": sub.route,
                "intent": sub.expected,
                "status": summary["status"],
                "verdict": summary["verdict_name"],
                "round": summary["round"],
                "votes": [votes.get(address) for address in validators],
                "tally_wei": summary["tally"],
                "gas_used": sub.gas_used,
                "tx": sub.tx_hash,
            }
        )
    treasury = [
        {
            "request_id": o.submission.proposal_id,
            "verdict": o.verdict,
            "executed": o.executed,
            "detail": o.detail,
            "gas_used": o.gas_used,
        }
        for o in outcomes
    ]
    safe_rows = [
        {
            "proposal_id": o.submission.proposal_id,
            "verdict": o.verdict,
            "executed": o.executed,
            "detail": o.detail,
            "gas_used": o.gas_used,
        }
        for o in (safe[1] if safe else [])
    ]
    return {
        "validators": validators,
        "proposals": proposals,
        "treasury": treasury,
        "safe": {"address": safe[0] if safe else None, "transactions": safe_rows},
        **endpoints,
    }
