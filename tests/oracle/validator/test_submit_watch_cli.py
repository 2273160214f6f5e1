"""`oracle submit` and `oracle watch` against the real contracts on Anvil."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from oracle.chain.client import OracleClient
from oracle.cli import app

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
    result = CliRunner().invoke(
        app,
        [
            "submit",
            str(data),
            "--rpc-url",
            str(client.w3.provider.endpoint_uri),  # type: ignore[attr-defined]
            "--deployment",
            str(client.deployment.path),
            "--anvil-account",
            "12",
        ],
    )
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in result.output.splitlines()]
    assert ids == [before + 1, before + 2]
    assert client.proposal_count() == before + 2


def test_submit__bad_record__names_the_line(client: OracleClient, tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    bad = {"payload": {**RECORD["payload"], "value": "lots"}}  # type: ignore[dict-item]
    data.write_text(json.dumps(RECORD) + "\n" + json.dumps(bad) + "\n")
    result = CliRunner().invoke(
        app,
        [
            "submit",
            str(data),
            "--rpc-url",
            str(client.w3.provider.endpoint_uri),  # type: ignore[attr-defined]
            "--deployment",
            str(client.deployment.path),
            "--anvil-account",
            "12",
        ],
    )
    assert result.exit_code != 0
    assert "d.jsonl:2" in result.output


def test_watch_once__lists_submitted_proposals(client: OracleClient, account) -> None:  # type: ignore[no-untyped-def]
    from oracle.chain.submitter import Submitter

    (submitted,) = Submitter(client, account).submit([b"\x09" * 64])
    result = CliRunner().invoke(
        app,
        [
            "watch",
            "--once",
            "--rpc-url",
            str(client.w3.provider.endpoint_uri),  # type: ignore[attr-defined]
            "--deployment",
            str(client.deployment.path),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if f" {submitted.proposal_id} " in line]
    assert rows and "pending" in rows[0]
