"""The explorer's JSON API and static page, served from a real indexed chain."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from oracle.explorer.app import STATIC_DIR, create_app
from oracle.explorer.indexer import Indexer
from tests.support.oracle_scenario import OracleScenario


def client_for(indexer: Indexer) -> TestClient:
    # Not entered as a context manager: no background sync, the test syncs by hand.
    indexer.sync()
    return TestClient(create_app(indexer))


def test_state__played_round__lists_proposals_newest_first_with_votes(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    state = client_for(indexer).get("/api/state").json()
    ids = [p["id"] for p in state["proposals"]]
    assert ids == sorted(ids, reverse=True)
    fraud = next(p for p in state["proposals"] if p["id"] == scenario.proposal_ids[1])
    assert fraud["status"] == "Finalized" and fraud["verdict_name"] == "fraud"
    assert fraud["tally_eth"]["fraud"] == "10"
    assert len(fraud["votes"]) == 4 and fraud["phase"] == "final"
    assert fraud["model_hash"] == "0x" + "ab" * 32
    assert len(state["validators"]) == 4


def test_state__limit__caps_the_number_of_proposals(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    state = client_for(indexer).get("/api/state", params={"limit": 2}).json()
    assert len(state["proposals"]) == 2


def test_proposal__drainer_approval__decodes_method_and_arguments(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    spender = "0x2000000000000000000000000000000000000002"
    data = bytes.fromhex("095ea7b3") + bytes(12) + bytes.fromhex(spender[2:]) + b"\xff" * 32
    payload = scenario.payload("claim your airdrop now")
    from oracle.chain.payload import TxRequest, decode_payload, encode_payload

    tx = decode_payload(payload)
    approval = TxRequest(tx.chain_id, tx.sender, tx.to, 0, data, tx.memo)
    new_id = scenario.submit(encode_payload(approval))
    detail = client_for(indexer).get(f"/api/proposals/{new_id}").json()
    assert detail["transaction"]["decoded"] is True
    assert detail["transaction"]["call"]["method"] == "approve"
    assert detail["transaction"]["call"]["args"]["amount"] == str(2**256 - 1)
    assert detail["transaction"]["memo"] == "claim your airdrop now"
    assert detail["status"] == "Pending" and detail["phase"] in {"queued", "commit"}


def test_proposal__undecodable_payload__says_why(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    malformed = scenario.proposal_ids[4]
    detail = client_for(indexer).get(f"/api/proposals/{malformed}").json()
    assert detail["transaction"]["decoded"] is False
    assert detail["transaction"]["error"]
    assert detail["verdict_name"] == "malformed"


def test_proposal__unknown_id__404_names_the_id(scenario: OracleScenario, indexer: Indexer) -> None:
    response = client_for(indexer).get("/api/proposals/999999")
    assert response.status_code == 404
    assert "proposal 999999 is not indexed" in response.json()["detail"]


def test_proposal__rolled__history_has_both_rounds(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    detail = client_for(indexer).get(f"/api/proposals/{scenario.proposal_ids[5]}").json()
    rounds = [r["round"] for r in detail["round_history"]]
    assert rounds[0] == scenario.round and len(rounds) == 2
    first = detail["round_history"][0]
    names = sorted(v["verdict_name"] for v in first["votes"])
    assert names == ["fraud", "illicit", "legal", "sanctioned"]


def test_index__serves_the_page_and_its_assets(scenario: OracleScenario, indexer: Indexer) -> None:
    client = client_for(indexer)
    page = client.get("/")
    assert page.status_code == 200 and "Verdict oracle explorer" in page.text
    assert client.get("/static/explorer.js").status_code == 200
    assert client.get("/static/explorer.css").status_code == 200


def test_static_assets__load_nothing_from_the_internet() -> None:
    for asset in STATIC_DIR.iterdir():
        text = asset.read_text()
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), asset.name
        assert not re.search(r"""(fetch|EventSource)\(\s*["'`]https?://""", text), asset.name
        assert "@import" not in text and "url(http" not in text, asset.name
