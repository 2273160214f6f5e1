"""`oracle submit` and `oracle watch` against the real contracts on Anvil."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result

from oracle.chain.client import OracleClient
from tests.support.cli_invoke import invoke_oracle

RECORD = {
    "payload": {
        "chain_id": 31337,
        "from": "0x" + "11" * 20,
        "to": "0x" + "22" * 20,
        "value": "1500000000000000000",
        "data": "0x",
        "memo": "invoice 2291 for design work",
    },
    "label": "legal",
}


def test_submit__each_record_becomes_a_proposal(client: OracleClient, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(RECORD) + "\n\n" + json.dumps(RECORD) + "\n")
    before = client.proposal_count()
    result = invoke_oracle(client, "submit", str(data), "--anvil-account", "12")
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in result.output.splitlines()]
    assert ids == [before + 1, before + 2]
    assert client.proposal_count() == before + 2


def test_submit__bad_record__names_the_line(client: OracleClient, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    bad = {"payload": {**RECORD["payload"], "value": "lots"}}  # type: ignore[dict-item]
    data.write_text(json.dumps(RECORD) + "\n" + json.dumps(bad) + "\n")
    result = invoke_oracle(client, "submit", str(data), "--anvil-account", "12")
    assert result.exit_code != 0
    assert "d.jsonl:2" in result.output


def test_watch_once__lists_submitted_proposals(client: OracleClient, account) -> None:  # type: ignore[no-untyped-def]
    from oracle.chain.submitter import Submitter

    (submitted,) = Submitter(client, account).submit([b"\x09" * 64])
    result = invoke_oracle(client, "watch", "--once")
    assert result.exit_code == 0, result.output
    # The id column only: the same number may stand in another row's round column.
    cells = [[c.strip() for c in line.split("│")] for line in result.output.splitlines()]
    rows = [row for row in cells if len(row) > 3 and row[1] == str(submitted.proposal_id)]
    assert len(rows) == 1 and "pending" in rows[0]


def test_submit__records_for_another_chain__warns_and_still_submits(
    client: OracleClient, tmp_path: Path
) -> None:
    data = tmp_path / "d.jsonl"
    mainnet = {**RECORD, "payload": {**RECORD["payload"], "chain_id": 1}}  # type: ignore[dict-item]
    data.write_text(json.dumps(mainnet) + "\n" + json.dumps(RECORD) + "\n")
    result = invoke_oracle(client, "submit", str(data), "--anvil-account", "12")
    assert result.exit_code == 0, result.output
    assert "warning: 1 of 2 records name another chain than the oracle's (31337" in result.stderr
    assert "oracle generate-data --chain-id 31337" in result.stderr
    assert len(result.stdout.splitlines()) == 2  # both submitted, one JSON line each


def test_submit__records_for_this_chain__no_warning(client: OracleClient, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps(RECORD) + "\n")
    result = invoke_oracle(client, "submit", str(data), "--anvil-account", "12")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr


def test_watch_once__final_proposal__shows_chain_time_from_submission_to_final(
    client: OracleClient,
    account,  # type: ignore[no-untyped-def]
) -> None:
    from oracle.chain.submitter import Submitter
    from tests.support.timetravel import advance_to

    (submitted,) = Submitter(client, account).submit([b"\x0b" * 64])
    pid = submitted.proposal_id
    sender = client.make_sender(account)
    final_block = None
    for _ in range(int(client.param("maxRounds")) + 1):  # nobody votes: NoConsensus at the end
        advance_to(client, client.round_timing(client.proposal(pid).round).reveal_end + 1)
        final_block = client.finalize_many(sender, [pid]).block_number
        if client.proposal(pid).status != 1:
            break
    assert client.proposal(pid).status == 3
    took = (
        client.w3.eth.get_block(final_block)["timestamp"]
        - client.w3.eth.get_block(submitted.block)["timestamp"]
    )
    assert took > 0

    result = invoke_oracle(client, "watch", "--once", "--last", "1000")
    assert result.exit_code == 0, result.output
    # The id column only: another proposal's round number may equal pid.
    (row,) = [
        line for line in result.output.splitlines() if line.lstrip("│┃ ").startswith(f"{pid} ")
    ]
    assert "no_consensus" in row
    assert f"{float(took):.1f}" in row  # chain time, not the 0.0 s of one read


def _watch_equivocation(client: OracleClient, *extra: str) -> Result:
    return invoke_oracle(
        client, "watch", "--equivocation", "--once", "--anvil-account", "12", *extra
    )


def test_watch_equivocation__no_peer__says_to_give_one(client: OracleClient) -> None:
    result = _watch_equivocation(client)
    assert result.exit_code != 0
    assert "give at least one --peer URL" in result.output


def test_watch_equivocation__peer_not_listening__skips_it_and_reports_nothing(
    client: OracleClient,
) -> None:
    # Port 9 on loopback: nothing listens there, so the fetch is refused at once.
    result = _watch_equivocation(client, "--peer", "http://127.0.0.1:9")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == ""
