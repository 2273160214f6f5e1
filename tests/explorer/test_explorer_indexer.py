"""The indexer against a real oracle on Anvil after one played-out round."""

from __future__ import annotations

from oracle.explorer import views
from oracle.explorer.indexer import Indexer
from oracle.model.labels import Verdict
from tests.support.oracle_scenario import STAKES_ETH, OracleScenario

ETH = 10**18


def test_sync__played_round__finalizes_each_class_and_rolls_the_split(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    assert indexer.sync() is True
    statuses = {pid: (p.status, p.verdict) for pid, p in indexer.proposals.items()}
    first = scenario.proposal_ids[0]
    # legal, fraud, illicit, sanctioned, malformed: Finalized (2) with that verdict.
    for offset, verdict in enumerate(Verdict):
        assert statuses[first + offset] == (2, verdict)
    split = indexer.proposals[first + 5]
    assert split.status == 1
    # No class reached the supermajority: it rolled to the next joinable round.
    assert len(split.rounds) == 2
    assert split.rounds[0] == scenario.round < split.rounds[1]


def test_sync__revealed_ballots__tally_is_the_stake_per_class(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    indexer.sync()
    first = scenario.proposal_ids[0]
    tally, votes = views.round_votes(indexer, scenario.round, first)
    assert tally == [9 * ETH, 1 * ETH, 0, 0, 0]
    by_validator = {v["validator"]: v["verdict_name"] for v in votes}
    assert by_validator[scenario.validators[0].address] == "fraud"
    assert sorted(by_validator.values()) == ["fraud", "legal", "legal", "legal"]


def test_sync__settlement__dissenter_is_slashed_and_the_majority_rewarded(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    indexer.sync()
    dissenter = indexer.validators[scenario.validators[0].address]
    assert dissenter.slashed > 0
    assert any(h.kind == "slashed" and h.detail == "incoherent" for h in dissenter.history)
    assert dissenter.active == STAKES_ETH[0] * ETH - dissenter.slashed
    honest = indexer.validators[scenario.validators[3].address]
    assert honest.rewards > 0 and honest.slashed == 0


def test_sync__nothing_new__returns_false_and_indexes_nothing_twice(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    indexer.sync()
    before = indexer.events_indexed
    assert indexer.sync() is False
    assert indexer.events_indexed == before


def test_sync__new_block__reads_only_the_new_events(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    indexer.sync()
    before, cursor = indexer.events_indexed, indexer.cursor
    new_id = scenario.submit(scenario.payload("rent for march"))
    assert indexer.sync() is True
    assert indexer.events_indexed == before + 1
    assert indexer.cursor > cursor
    assert indexer.proposals[new_id].status == 1


def test_overview__after_sync__reports_chain_model_and_counts(
    scenario: OracleScenario, indexer: Indexer
) -> None:
    indexer.sync()
    with indexer.lock:
        view = views.overview(indexer)
    assert view["chain_id"] == scenario.w3.eth.chain_id
    assert view["model_hash"] == "0x" + "ab" * 32
    assert view["proposals"]["Finalized"] == 5
    assert view["validators"] == 4
    assert view["parameters"]["supermajorityBps"] == "6667"
