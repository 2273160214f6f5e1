"""Scenarios 1 and 6: every class reaches the pipeline's verdict on chain; rule verdicts;
a payload whose bytes do not match its hash is reported and voted malformed."""

from __future__ import annotations

import httpx

from oracle.chain.client import OracleClient, Status
from oracle.chain.submitter import Submitter
from oracle.model.labels import Verdict
from oracle.validator.fleet import Fleet
from oracle.validator.judge import HASH_MISMATCH_REASON
from tests.support.chain_env import events, payloads_of_every_class, wait_final
from tests.support.treasury_execution import execute_judged_transfers, request_transfers

FINAL_TIMEOUT_S = 60


def test_twenty_proposals_of_every_class__final_verdicts_equal_the_pipelines(
    client: OracleClient,
    honest_fleet: Fleet,
    pipeline,
    requester,
    proxies,  # type: ignore[no-untyped-def]
) -> None:
    labelled = payloads_of_every_class(per_class=4, seed=7)
    payloads = [p for _, p in labelled]
    first_id = client.proposal_count() + 1
    tampered_id = first_id  # validator 2's endpoint lies about this payload's bytes
    proxies[2].tamper_payloads({tampered_id})
    from_block = client.w3.eth.block_number

    ids = [s.proposal_id for s in Submitter(client, requester).submit(payloads)]
    assert ids == list(range(first_id, first_id + 20))
    expected = pipeline.judge_payloads(payloads)
    outcomes = wait_final(client, ids, FINAL_TIMEOUT_S)

    for pid, (label, _), want in zip(ids, labelled, expected, strict=True):
        status, verdict = outcomes[pid]
        assert status == Status.FINALIZED, f"proposal {pid} ({label.label}) ended {status.name}"
        assert verdict == int(want.verdict), (
            f"proposal {pid}: chain {verdict}, pipeline {want.verdict}"
        )
        if label in (Verdict.SANCTIONED, Verdict.MALFORMED):
            assert want.verdict == label, f"rule class {label.label} judged {want.verdict.label}"
    assert {Verdict(v) for _, v in outcomes.values()} >= {Verdict.SANCTIONED, Verdict.MALFORMED}

    # The lying endpoint: validator 2 reported the mismatch and voted malformed; consensus held.
    v2 = honest_fleet.members[2]
    report = httpx.get(f"{v2.url}/proposals/{tampered_id}", timeout=5).json()
    assert report["reason"] == HASH_MISMATCH_REASON
    assert report["verdict"] == "malformed"
    assert report["votes"][0]["voted"] == "malformed"
    revealed = [
        e
        for e in events(client, "VotesRevealed", from_block)
        if e.args["validator"] == v2.address and e.args["round"] == report["votes"][0]["round"]
    ]
    position = client.round_proposals(report["votes"][0]["round"]).index(tampered_id)
    assert revealed and revealed[0].args["verdicts"][position] == int(Verdict.MALFORMED)
    assert outcomes[tampered_id] == (Status.FINALIZED, int(expected[0].verdict))
    metrics = httpx.get(f"{v2.url}/metrics", timeout=5).text
    assert "oracle_payload_hash_mismatches_total 1.0" in metrics
    proxies[2].tampered_ids.clear()


def test_guarded_treasury__executes_exactly_the_legal_transfers(
    client: OracleClient,
    honest_fleet: Fleet,
    pipeline,
    deployment,
    anvil,  # type: ignore[no-untyped-def]
) -> None:
    memos = [
        "invoice 2291 for design work",
        "monthly payroll for the support team",
        "rent for the office, march",
        "urgent: verify your wallet now or your account will be suspended, send funds to support",
        "payment for stolen credit card dumps and fresh fullz",
    ]
    req = request_transfers(client, deployment, memos)
    expected = pipeline.judge_payloads(req.payloads)
    outcomes = wait_final(client, req.ids, FINAL_TIMEOUT_S)

    execute_judged_transfers(
        client.w3, req.sender, req.treasury, req.ids, req.recipients, outcomes, expected
    )
