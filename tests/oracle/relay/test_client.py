"""The validator side of relaying, against a relaying validator's real HTTP service and
the real contract: an offer is trusted until its fallback time, a refused one is sent
directly."""

from __future__ import annotations

from pathlib import Path

from eth_account import Account
from fastapi.testclient import TestClient

from oracle.chain.client import OracleClient
from oracle.relay.client import RelayClient
from oracle.relay.relayer import Relayer
from oracle.validator.api import create_app
from oracle.validator.ballot_state import BallotState
from oracle.validator.metrics import Metrics
from oracle.validator.service import Validator
from oracle.validator.settings import ValidatorSettings
from oracle.validator.store import StoredBallot
from tests.support.relay_round import three_staked_validators_in_a_commit_phase
from tests.support.validator_parts import engine_without_model, seal_for


def _relaying_service(client: OracleClient, tmp_path: Path) -> tuple[TestClient, Relayer]:
    """A validator with `relayer = true`, its API served in-process (no engine thread)."""
    signer = Account.create()
    client.w3.provider.make_request("anvil_setBalance", [signer.address, hex(10**21)])  # type: ignore[arg-type]
    metrics = Metrics()
    engine = engine_without_model(client, signer, tmp_path / "relayer.db", metrics)
    relayer = engine.relayer = Relayer(client, engine.tx, window_s=0.0)
    settings = ValidatorSettings(signer_keystore=tmp_path / "k.json", relayer=True)
    service = Validator(
        settings=settings, client=client, engine=engine, metrics=metrics, relayer=relayer
    )
    return TestClient(create_app(service, start_engine=False)), relayer


def _ballot(client: OracleClient, v, r: int, listed: list[int]) -> StoredBallot:  # type: ignore[no-untyped-def]
    verdicts = bytes([0] * len(listed))
    salt, c = seal_for(client, v, r, listed, verdicts)
    return StoredBallot(r, listed, verdicts, salt, c, BallotState.PREPARED, None, None, None)


def test_offer_commit__accepted__relayed_and_trusted_until_the_fallback_time(
    client: OracleClient, tmp_path: Path
) -> None:
    validators, _, r, listed = three_staked_validators_in_a_commit_phase(client, [b"\x0c" * 64])
    http, relayer = _relaying_service(client, tmp_path)
    v = validators[0]
    offers = RelayClient(
        "http://testserver", signer=v, domain=client.domain, operator=v.address, http=http
    )
    t = client.round_timing(r)
    b = _ballot(client, v, r, listed)

    assert offers.offer_commit(b, t, t.commit_start) is True  # queued at the relayer
    relayer.flush(t.commit_start)
    assert client.ballot_of(r, v.address).commitment == b.commitment
    fallback_at = t.commit_start + (t.reveal_start - t.commit_start) // 2
    assert offers.offer_commit(b, t, fallback_at - 1) is True  # still trusted: not sent again
    assert offers.offer_commit(b, t, fallback_at) is False  # the validator sends it itself


def test_offer_commit__relayer_refuses_the_offer__validator_sends_it_itself(
    client: OracleClient, tmp_path: Path
) -> None:
    validators, _, r, listed = three_staked_validators_in_a_commit_phase(client, [b"\x0d" * 64])
    http, relayer = _relaying_service(client, tmp_path)
    v, impostor = validators[0], validators[1]
    # Signed by another validator's key: the relayer's signature check refuses it (422).
    offers = RelayClient(
        "http://testserver", signer=impostor, domain=client.domain, operator=v.address, http=http
    )
    t = client.round_timing(r)
    assert offers.offer_commit(_ballot(client, v, r, listed), t, t.commit_start) is False
    relayer.flush(t.commit_start)
    assert relayer.sent == [] and not client.ballot_of(r, v.address).committed


def test_offer__no_relayer_at_the_url__validator_sends_it_itself(
    client: OracleClient, tmp_path: Path
) -> None:
    validators, _, r, listed = three_staked_validators_in_a_commit_phase(client, [b"\x0e" * 64])
    v = validators[0]
    # A port nothing listens on (loopback only).
    offers = RelayClient("http://127.0.0.1:9", signer=v, domain=client.domain, operator=v.address)
    t = client.round_timing(r)
    b = _ballot(client, v, r, listed)
    assert offers.offer_commit(b, t, t.commit_start) is False
    assert offers.offer_reveal(b, t, t.reveal_start) is False
