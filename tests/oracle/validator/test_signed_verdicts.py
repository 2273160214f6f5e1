"""Signed verdicts on a real Anvil: validators serve them, the watcher proves equivocation.

Three in-process validator engines (no model: their ballots are sealed by the test, as in
test_engine_settle_and_stake.py) stake, commit, and reveal through their own tick; each
serves `GET /verdicts?round=R` from the real FastAPI app. The watcher reads them through
that app (loopback, in process) and sends its reports to the real contracts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eth_account import Account
from fastapi.testclient import TestClient

from oracle.chain.client import OracleClient
from oracle.chain.eip712 import Verdict, sign_verdict
from oracle.chain.submitter import Submitter
from oracle.validator.api import create_app
from oracle.validator.engine import Engine
from oracle.validator.equivocation import EquivocationWatcher
from oracle.validator.metrics import Metrics
from oracle.validator.service import Validator
from oracle.validator.settings import ValidatorSettings
from oracle.validator.signed_verdicts import SignedVerdict
from tests.support.timetravel import advance_to
from tests.support.validator_parts import engine_without_model, seal_for

VOTE = 2  # every validator's (sealed) vote on the round's one proposal


def _funded(client: OracleClient) -> Any:
    acct = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [acct.address, hex(10**21)])  # type: ignore[arg-type]
    return acct


class Fleet:
    """Staked validators that voted VOTE in one round, each serving its API in process."""

    def __init__(self, client: OracleClient, tmp_path: Path, size: int = 3) -> None:
        self.client = client
        self.stake = int(client.param("minStake"))
        self.engines: list[Engine] = []
        self.apps: dict[str, TestClient] = {}
        for n in range(size):
            account = _funded(client)
            client.stake(client.make_sender(account), self.stake)
            engine = engine_without_model(client, account, tmp_path / f"v{n}.db", Metrics())
            settings = ValidatorSettings(signer_keystore=tmp_path / f"k{n}.json")
            validator = Validator(
                settings=settings,
                client=client,
                engine=engine,
                metrics=engine.metrics,
                relayer=None,
            )
            self.engines.append(engine)
            self.apps[f"http://validator-{n}"] = TestClient(
                create_app(validator, start_engine=False)
            )
        advance_to(client, client.round_timing(client.current_round() + 2).commit_start)
        submitted = Submitter(client, _funded(client)).submit([b"\x05" * 64])
        self.round = client.proposal(submitted[0].proposal_id).round
        self.ids = client.round_proposals(self.round)

    def vote(self) -> None:
        """Each commits VOTE (by hand) and reveals it through its own engine tick."""
        verdicts = bytes([VOTE] * len(self.ids))
        advance_to(self.client, self.client.round_timing(self.round).commit_start)
        for engine in self.engines:
            engine.ingest()
            salt, c = seal_for(
                self.client,
                engine.signer,
                self.round,
                self.ids,
                verdicts,
                validator=engine.operator,
            )
            engine.store.save_ballot(self.round, self.ids, verdicts, salt, c)
            self.client.commit(engine.sender, self.round, c)
            engine.store.set_ballot_state(self.round, "committed")
        advance_to(self.client, self.client.round_timing(self.round).reveal_start)
        for engine in self.engines:
            engine.tick()
            assert self.client.ballot_of(self.round, engine.operator).revealed

    def fetch(self, peer: str, round_: int) -> Any:
        reply = self.apps[peer].get("/verdicts", params={"round": round_})
        return None if reply.status_code == 404 else reply.json()


def _watcher(client: OracleClient, peers: list[str], fetch: Any) -> tuple[EquivocationWatcher, Any]:
    reporter = _funded(client)
    return EquivocationWatcher(client, client.make_sender(reporter), peers, fetch=fetch), reporter


def _one_validator_that_voted(client: OracleClient, tmp_path: Path) -> tuple[Fleet, Any]:
    """A fleet of one whose round is revealed, and its engine."""
    fleet = Fleet(client, tmp_path, size=1)
    fleet.vote()
    return fleet, fleet.engines[0]


def _first_proposals_verdict(client: OracleClient, fleet: Fleet, vote: int) -> Verdict:
    """A verdict `vote` on the fleet's first proposal, bound to its pinned payload and model."""
    pinned = client.proposal(fleet.ids[0])
    return Verdict(fleet.ids[0], fleet.round, pinned.payload_hash, pinned.model_hash, vote)


def _signed_by(client: OracleClient, engine: Any, verdict: Verdict) -> SignedVerdict:
    return SignedVerdict(verdict, sign_verdict(engine.signer, client.domain, verdict))


def _now(client: OracleClient) -> int:
    return int(client.w3.eth.get_block("latest")["timestamp"])


def test_verdicts_api__commit_phase_open__serves_nothing_yet(
    client: OracleClient, tmp_path: Path
) -> None:
    fleet = Fleet(client, tmp_path, size=1)
    advance_to(client, client.round_timing(fleet.round).commit_start)
    engine = fleet.engines[0]
    engine.store.save_ballot(fleet.round, fleet.ids, bytes([VOTE]), b"\x01" * 32, b"\x02" * 32)
    engine.observe_head()  # chain time: a block of the commit phase

    (http,) = fleet.apps.values()
    reply = http.get("/verdicts", params={"round": fleet.round})
    assert reply.status_code == 404 and "commit phase is still open" in reply.json()["detail"]


def test_verdicts_api__after_reveal__serves_the_revealed_votes_signed_by_the_signer(
    client: OracleClient, tmp_path: Path
) -> None:
    fleet, engine = _one_validator_that_voted(client, tmp_path)

    body = fleet.fetch("http://validator-0", fleet.round)

    (served,) = [SignedVerdict.from_json(item) for item in body["verdicts"]]
    assert served.verdict == _first_proposals_verdict(client, fleet, VOTE)
    assert served.signer(client.domain) == engine.signer.address


def test_watcher__honest_fleet__finds_nothing_to_report(
    client: OracleClient, tmp_path: Path
) -> None:
    fleet = Fleet(client, tmp_path)
    fleet.vote()
    watcher, _ = _watcher(client, list(fleet.apps), fleet.fetch)

    assert sum(len(v) for v in watcher.collect(fleet.round).values()) == len(fleet.engines)
    assert watcher.watch(fleet.round, _now(client)) == []
    for engine in fleet.engines:
        assert client.validator_info(engine.operator).active == fleet.stake


def test_watcher__validator_signed_two_verdicts__slashed_once_bounty_after_its_ballot_settles(
    client: OracleClient, tmp_path: Path
) -> None:
    fleet = Fleet(client, tmp_path)
    fleet.vote()
    liar = fleet.engines[0]
    # The liar also told someone else another verdict: that peer serves it.
    told = _signed_by(client, liar, _first_proposals_verdict(client, fleet, VOTE + 1))

    def fetch(peer: str, round_: int) -> Any:
        if peer == "http://gossip":
            return {"round": round_, "verdicts": [told.as_json()]}
        return fleet.fetch(peer, round_)

    watcher, reporter = _watcher(client, [*fleet.apps, "http://gossip"], fetch)

    (proof,) = watcher.watch(fleet.round, _now(client))
    assert (proof.validator, proof.kind) == (liar.operator, "double-signed")
    assert watcher.watch(fleet.round, _now(client)) == []  # once per round, whatever is found
    slash = fleet.stake * int(client.param("equivocationSlashBps")) // 10_000
    assert client.validator_info(liar.operator).active == fleet.stake - slash
    for honest in fleet.engines[1:]:
        assert client.validator_info(honest.operator).active == fleet.stake
    _, bounty, _ = client.equivocation_report(liar.operator, fleet.round)
    assert bounty == slash // 64
    assert client.claimable(reporter.address) == 0  # the liar's ballot is still open

    advance_to(client, client.round_timing(fleet.round).reveal_end + 1)
    client.finalize_many(liar.sender, fleet.ids)
    liar.tick()  # settles the liar's ballot
    assert client.open_ballots_of(liar.operator) == 0
    watcher.release_due(_now(client))
    assert client.claimable(reporter.address) == bounty


def test_watcher__signed_verdict_against_reveal__reported_as_mismatch(
    client: OracleClient, tmp_path: Path
) -> None:
    fleet, liar = _one_validator_that_voted(client, tmp_path)
    told = _signed_by(client, liar, _first_proposals_verdict(client, fleet, VOTE + 2))
    watcher, _ = _watcher(
        client, ["http://gossip"], lambda _peer, r: {"round": r, "verdicts": [told.as_json()]}
    )

    (proof,) = watcher.watch(fleet.round, _now(client))

    assert (proof.validator, proof.kind) == (liar.operator, "signed-vs-revealed")
    reporter, bounty, _ = client.equivocation_report(liar.operator, fleet.round)
    assert reporter == watcher.sender.address and bounty > 0


def test_watcher__peer_unreachable_or_garbage__skipped_with_a_line(
    client: OracleClient, tmp_path: Path, caplog: Any
) -> None:
    def fetch(peer: str, round_: int) -> Any:
        if peer == "http://down":
            raise OSError("connection refused")
        return {"verdicts": [{"proposalId": "x"}, 7]}

    watcher, _ = _watcher(client, ["http://down", "http://junk"], fetch)

    assert watcher.collect(1) == {}
    assert "peer http://down: cannot read its verdicts for round 1" in caplog.text
    assert "peer http://junk: skipping an entry" in caplog.text
