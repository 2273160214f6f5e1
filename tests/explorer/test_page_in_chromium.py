"""The explorer page in a real headless Chromium (Debian's package), against a real chain.

Asserts what the page renders (rows, verdicts, tallies, votes, validators), that a
new proposal appears without a reload, and saves screenshots to
tests/explorer/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.explorer.indexer import Indexer
from oracle.explorer.server import BackgroundExplorer
from tests.support.headless_chromium import HeadlessChromium
from tests.support.oracle_scenario import OracleScenario

ARTIFACTS = Path(__file__).parent / "artifacts"

READ_ROWS = """JSON.stringify([...document.querySelectorAll('#proposals tr.proposal')].map(r => ({
  id: Number(r.dataset.proposalId),
  status: r.dataset.status,
  final: r.querySelector('td.final').innerText.trim(),
  tally: r.querySelector('.tally-text').innerText,
  votes: [...r.querySelectorAll('td.votes .verdict')].map(b => b.textContent.split(' ').pop()),
  memo: r.querySelector('td.memo').innerText,
  phase: r.querySelector('td.phase').innerText,
})))"""

READ_VALIDATORS = """JSON.stringify([...document.querySelectorAll('#validators tr.validator')]
.map(r => ({
  address: r.dataset.validator,
  stake: r.querySelector('td.stake').innerText,
  slashed: r.querySelector('td.slashed').innerText,
  history: r.querySelector('ul.history').innerText,
})))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[HeadlessChromium]:
    chromium = HeadlessChromium()
    try:
        yield chromium
    finally:
        chromium.close()


@pytest.fixture
def explorer(indexer: Indexer) -> Iterator[BackgroundExplorer]:
    server = BackgroundExplorer(indexer, poll_interval=0.2).start()
    try:
        yield server
    finally:
        server.stop()


def test_page__played_round__shows_verdicts_tallies_votes_and_validators(
    scenario: OracleScenario, explorer: BackgroundExplorer, browser: HeadlessChromium
) -> None:
    browser.navigate(explorer.url)
    browser.wait_for("document.querySelectorAll('#proposals tr.proposal').length >= 6")
    rows = {r["id"]: r for r in json.loads(browser.evaluate(READ_ROWS))}
    ids = scenario.proposal_ids
    for offset, verdict in enumerate(["legal", "fraud", "illicit", "sanctioned", "malformed"]):
        row = rows[ids[offset]]
        assert row["status"] == "Finalized" and row["final"] == verdict
        assert len(row["votes"]) == 4
    assert rows[ids[0]]["tally"] == "legal 9 · fraud 1"
    assert sorted(rows[ids[0]]["votes"]) == ["fraud", "legal", "legal", "legal"]
    assert rows[ids[0]]["memo"] == "invoice 2291 for design work"
    assert rows[ids[5]]["status"] == "Pending"
    # The rolled proposal waits for its next round: a live countdown to the commit phase.
    assert re.search(r"round \d+ · queued · commit opens in (\d+m )?\d+s", rows[ids[5]]["phase"])
    assert rows[ids[0]]["phase"].endswith("done")

    validators = {v["address"]: v for v in json.loads(browser.evaluate(READ_VALIDATORS))}
    assert len(validators) == 4
    dissenter = validators[scenario.validators[0].address]
    assert dissenter["slashed"] != "0" and "slashed" in dissenter["history"]
    assert validators[scenario.validators[3].address]["slashed"] == "0"

    assert browser.wait_for("document.getElementById('live').textContent.includes('live')")
    shot = browser.screenshot(ARTIFACTS / "explorer.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_page__new_proposal__appears_without_a_reload(
    scenario: OracleScenario, explorer: BackgroundExplorer, browser: HeadlessChromium
) -> None:
    browser.navigate(explorer.url)
    browser.wait_for("document.querySelectorAll('#proposals tr.proposal').length >= 6")
    browser.evaluate("window.__sameDocument = 'yes'")
    new_id = scenario.submit(scenario.payload("live: rent for april"))
    row = f"#proposals tr[data-proposal-id='{new_id}']"
    browser.wait_for(f'document.querySelector("{row}") !== null')
    # The marker survives only if the row arrived by a live update, not a page load.
    assert browser.evaluate("window.__sameDocument") == "yes"
    memo = browser.evaluate(f'document.querySelector("{row} td.memo").innerText')
    assert memo == "live: rent for april"


def test_page__proposal_detail__shows_decoded_transaction_and_votes(
    scenario: OracleScenario, explorer: BackgroundExplorer, browser: HeadlessChromium
) -> None:
    fraud = scenario.proposal_ids[1]
    browser.navigate(f"{explorer.url}#/proposal/{fraud}")
    text = browser.wait_for(
        "document.getElementById('decoded-tx') && document.getElementById('detail-view').innerText"
    )
    assert "urgent: verify your wallet or your account will be suspended" in text
    assert scenario.requester.address in text
    assert "Round" in text and "4 revealed" in text
    votes = browser.evaluate("document.querySelectorAll('table.round-votes tbody tr').length")
    assert votes == 4
    browser.screenshot(ARTIFACTS / "explorer-detail.png")
