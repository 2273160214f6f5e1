"""The HTTP service: read endpoints, admin token, relay endpoints off unless a relayer."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from eth_account import Account
from fastapi.testclient import TestClient
from pydantic import SecretStr

import oracle
from oracle.chain.client import OracleClient
from oracle.chain.sender import SenderConfig
from oracle.validator.api import create_app
from oracle.validator.engine import Engine
from oracle.validator.metrics import Metrics
from oracle.validator.service import Validator
from oracle.validator.settings import ValidatorSettings
from tests.support.validator_parts import engine_without_model

WAIT_S = 60  # how long /health may take to change on a loaded machine


def _app(client: OracleClient, tmp_path: Path, token: str | None) -> TestClient:
    signer = Account.create()
    metrics = Metrics()
    engine = engine_without_model(client, signer, tmp_path / "v.db", metrics)
    settings = ValidatorSettings(
        signer_keystore=tmp_path / "k.json", admin_token=SecretStr(token) if token else None
    )
    validator = Validator(
        settings=settings, client=client, engine=engine, metrics=metrics, relayer=None
    )
    return TestClient(create_app(validator, start_engine=False))


def test_read_endpoints__answer_without_a_token(client: OracleClient, tmp_path: Path) -> None:
    with _app(client, tmp_path, "t0ken") as http:
        assert http.get("/health").json()["ok"] is True
        ready = http.get("/ready")
        assert ready.status_code == 503 and ready.json()["model_loaded"] is False
        # Each failing condition named: no model, a fresh operator without stake, no tick.
        failing = ready.json()["failing"]
        assert any(f.startswith("model_loaded: still loading") for f in failing)
        assert any(f.startswith("stake_active") for f in failing)
        assert any(f.startswith("engine_ticking") for f in failing)
        status = http.get("/status").json()
        assert status["proposals"] == 0 and status["stake"] == "0"
        assert status["version"] == oracle.__version__
        assert http.get("/proposals/12345").status_code == 404
        assert "oracle_rpc_errors_total" in http.get("/metrics").text


def test_admin_endpoints__need_the_token(client: OracleClient, tmp_path: Path) -> None:
    with _app(client, tmp_path, "t0ken") as http:
        assert http.post("/admin/claim").status_code == 401
        assert (
            http.post("/admin/claim", headers={"Authorization": "Bearer wrong"}).status_code == 401
        )
        ok = http.post("/admin/claim", headers={"Authorization": "Bearer t0ken"})
        assert ok.status_code == 200 and ok.json() == {"claimed_wei": "0"}


def test_admin_endpoints__without_a_configured_token__are_disabled(
    client: OracleClient, tmp_path: Path
) -> None:
    with _app(client, tmp_path, None) as http:
        assert http.post("/admin/pause", headers={"Authorization": "Bearer x"}).status_code == 403


def test_relay_endpoints__on_a_validator_that_does_not_relay__are_not_found(
    client: OracleClient, tmp_path: Path
) -> None:
    with _app(client, tmp_path, None) as http:
        body = {
            "round": 1,
            "validator": "0x" + "11" * 20,
            "commitment": "0x" + "22" * 32,
            "signature": "0x" + "33" * 65,
        }
        assert http.post("/relay/commit", json=body).status_code == 404


def _validator(client: OracleClient, engine: Engine, tmp_path: Path) -> Validator:
    """A service around `engine` whose engine thread the app's lifespan starts."""
    settings = ValidatorSettings(signer_keystore=tmp_path / "k.json")
    return Validator(
        settings=settings, client=client, engine=engine, metrics=engine.metrics, relayer=None
    )


def _until_health(http: TestClient, status: int) -> dict[str, object]:
    """Poll /health until it answers `status` (at most WAIT_S), and return its body."""
    deadline = time.monotonic() + WAIT_S
    while True:
        reply = http.get("/health")
        if reply.status_code == status:
            return dict(reply.json())
        assert time.monotonic() < deadline, f"/health stayed {reply.status_code}: {reply.text}"
        time.sleep(0.05)


def test_health__engine_wedged_then_ticking_again__503_naming_it_then_200(
    client: OracleClient, tmp_path: Path
) -> None:
    signer = Account.create()
    engine = engine_without_model(client, signer, tmp_path / "v.db")
    engine.config.poll_interval_s = 0.01
    engine.sender.config = SenderConfig(give_up_after_s=1.0)  # the stall bound: 1.01 s
    validator = _validator(client, engine, tmp_path)
    with TestClient(create_app(validator)) as http:
        assert _until_health(http, 200)["failing"] == []
        # Another connection holds the store's write lock: the engine's next ingest waits on
        # it (SQLite's busy timeout), so no tick finishes: a wedged engine, thread alive.
        other = sqlite3.connect(tmp_path / "v.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            client.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            body = _until_health(http, 503)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert body["engine_running"] is True
        (line,) = body["failing"]  # type: ignore[misc]
        assert str(line).startswith("engine_wedged: no tick finished for")
        assert _until_health(http, 200)["ok"] is True


def test_health__engine_thread_ended__503_engine_dead(client: OracleClient, tmp_path: Path) -> None:
    validator = _validator(
        client, engine_without_model(client, Account.create(), tmp_path / "v.db"), tmp_path
    )
    with TestClient(create_app(validator)) as http:
        assert validator.thread is not None and validator.stop_event is not None
        validator.stop_event.set()  # the loop returns: the thread ends without a drain
        validator.thread.join(WAIT_S)
        body = _until_health(http, 503)
    assert body["failing"] == ["engine_dead: its thread ended"]
