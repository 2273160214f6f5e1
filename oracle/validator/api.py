"""The validator's HTTP service: health, readiness, status, proposals, metrics, admin, relay.

State-changing endpoints need the admin token (`Authorization: Bearer <token>`),
except the relay endpoints, whose bodies authorise themselves: a commit carries
its validator's EIP-712 signature, a reveal is the commitment's preimage.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel

from oracle.chain.client import Status
from oracle.model.labels import Verdict, vote_label
from oracle.relay.relayer import Relayer
from oracle.validator.doppelganger import doppelganger_line
from oracle.validator.funds import signer_funds_line
from oracle.validator.liveness import LivenessFacts, health_failures, stall_bound_s
from oracle.validator.readiness import ReadinessFacts, failing
from oracle.validator.service import Validator
from oracle.version import __version__

# SQLite stores signed 64-bit integers: a larger id would overflow in the query (500).
# No proposal id on chain reaches 2**63, so anything at or above it is a 422.
ProposalIdParam = Annotated[int, Path(ge=0, lt=2**63, description="proposal id, 0 <= id < 2**63")]
RoundParam = Annotated[int, Query(ge=0, lt=2**63, description="voting round, 0 <= round < 2**63")]


class RelayCommitIn(BaseModel):
    round: int
    validator: str
    commitment: str
    signature: str


class RelayRevealIn(BaseModel):
    round: int
    validator: str
    verdicts: str
    salt: str


def create_app(validator: Validator, *, start_engine: bool = True) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if start_engine:
            validator.start()
        yield
        validator.stop()

    app = FastAPI(title="verdict-oracle validator", lifespan=lifespan)
    engine = validator.engine
    token = validator.settings.admin_token

    def require_admin(authorization: Annotated[str | None, Header()] = None) -> None:
        if token is None:
            raise HTTPException(
                403, "admin endpoints are disabled: set admin_token (ORACLE_ADMIN_TOKEN)"
            )
        expected = f"Bearer {token.get_secret_value()}"
        if authorization is None or not hmac.compare_digest(authorization, expected):
            raise HTTPException(
                401, "missing or wrong admin token: send 'Authorization: Bearer <token>'"
            )

    admin = [Depends(require_admin)]

    @app.get("/health")
    def health() -> Response:
        """503 when the engine is dead or wedged, or its judge worker dead (liveness.py)."""
        alive = validator.thread is not None and validator.thread.is_alive()
        failed = health_failures(liveness_facts(validator))
        body = {"ok": not failed, "engine_running": alive, "failing": failed}
        return Response(
            json.dumps(body), status_code=503 if failed else 200, media_type="application/json"
        )

    @app.get("/ready")
    def ready() -> Response:
        """200 only when every condition holds (readiness.py); each failing one named."""
        facts = readiness_facts(validator)
        failed = failing(facts)
        body = {
            "ready": not failed,
            "failing": failed,
            "model_loaded": facts.model_loaded,
            # Proposals pinned to any other model are abstained on (no reward, no slash).
            "model_hashes": engine.judge.held_hashes,
            "chain_reachable": facts.chain_error is None,
            "stake_active": bool(facts.stake_active),
            "engine_ticking": engine.last_tick_ok,
            "mode": facts.mode.value,
        }
        return Response(
            json.dumps(body),
            status_code=200 if not failed else 503,
            media_type="application/json",
        )

    @app.get("/status")
    def status() -> dict[str, Any]:
        out = {"version": __version__, **engine.status()}
        if validator.facts is not None:
            # Validators judging with different lists vote apart: compare these across hosts.
            out["sanctions"] = validator.facts.sanctions.as_json()
            out["pinned_model_hash"] = validator.facts.pinned_model_hash
        try:
            out["stake"] = str(validator.client.validator_info(engine.operator).active)
        except Exception:
            out["stake"] = None
        return out

    @app.get("/proposals/{pid}")
    def proposal(pid: ProposalIdParam) -> dict[str, Any]:
        p = engine.store.proposal(pid)
        if p is None:
            raise HTTPException(404, f"proposal {pid} not seen by this validator (yet)")
        ballots = engine.store.ballots_with(pid)
        votes = []
        for b in ballots:
            pos = b.proposal_ids.index(pid)
            votes.append(
                {
                    "round": b.round,
                    "voted": vote_label(b.verdicts[pos]),
                    "state": b.state,
                    "commit_tx": b.commit_tx,
                    "reveal_tx": b.reveal_tx,
                    "settle_tx": b.settle_tx,
                }
            )
        return {
            "id": p.id,
            "payload_hash": "0x" + p.payload_hash.hex(),
            "requester": p.requester,
            "verdict": None if p.verdict is None else vote_label(p.verdict),
            "model_hash": None if p.model_hash is None else "0x" + p.model_hash.hex(),
            "confidence": p.confidence,
            "reason": p.reason,
            "votes": votes,
            "status": Status(p.status).name.lower(),
            "final_verdict": None
            if p.final_verdict is None or p.status != Status.FINALIZED
            else Verdict(p.final_verdict).label,
            "final_round": p.final_round,
        }

    @app.get("/verdicts")
    def verdicts(round: RoundParam) -> dict[str, Any]:
        """This validator's EIP-712 signed verdicts for the round (docs/protocol.md)."""
        signed = engine.verdicts.for_round(round)
        if signed is None:
            raise HTTPException(
                404,
                f"no signed verdicts for round {round}: none sealed, or its commit phase is "
                f"still open (served from {engine.verdicts.served_from(round)})",
            )
        return {"round": round, "verdicts": [s.as_json() for s in signed]}

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(validator.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.post("/admin/claim", dependencies=admin)
    def admin_claim() -> dict[str, Any]:
        return {"claimed_wei": str(engine.claim())}

    def drain_json() -> dict[str, Any]:
        status = engine.open_ballots()
        return {
            "mode": engine.drain.mode.value,
            "unrevealed_ballots": status.open_ballots,
            "next_reveal_deadline": status.next_reveal_deadline,
        }

    @app.post("/admin/pause", dependencies=admin)
    def admin_pause() -> dict[str, Any]:
        """Drain and stay up: no new commits; the open ballots are still revealed."""
        engine.drain.pause()
        return drain_json()

    @app.post("/admin/resume", dependencies=admin)
    def admin_resume() -> dict[str, Any]:
        if not engine.drain.resume():
            raise HTTPException(409, "the validator is stopping (SIGTERM): it cannot resume")
        if validator.thread is None or not validator.thread.is_alive():
            validator.start()
        return drain_json()

    def queue_for_relay(add: Callable[[Relayer], None]) -> dict[str, Any]:
        """404 unless this validator relays; a bad body (ValueError) is a 422."""
        if validator.relayer is None:
            raise HTTPException(404, "this validator is not a relayer (set relayer = true)")
        try:
            add(validator.relayer)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        return {"queued": True}

    @app.post("/relay/commit")
    def relay_commit(body: RelayCommitIn) -> dict[str, Any]:
        return queue_for_relay(
            lambda relayer: relayer.add_commit(
                body.round, body.validator, _hex(body.commitment, 32), _hex(body.signature, 65)
            )
        )

    @app.post("/relay/reveal")
    def relay_reveal(body: RelayRevealIn) -> dict[str, Any]:
        return queue_for_relay(
            lambda relayer: relayer.add_reveal(
                body.round, body.validator, _hex(body.verdicts), _hex(body.salt, 32)
            )
        )

    return app


def liveness_facts(validator: Validator) -> LivenessFacts:
    """What `/health` judges: the engine's thread, its loop's last beat, the judge worker."""
    engine = validator.engine
    thread = validator.thread
    beat = engine.loop_beat_at
    return LivenessFacts(
        engine_started=thread is not None,
        engine_alive=thread is not None and thread.is_alive(),
        drained=engine.drained.is_set(),
        judge_worker_alive=engine.judging.alive,
        since_last_beat_s=None if beat is None else time.monotonic() - beat,
        stall_bound_s=stall_bound_s(
            engine.config.poll_interval_s, engine.sender.config.give_up_after_s
        ),
    )


def readiness_facts(validator: Validator) -> ReadinessFacts:
    """What `/ready` judges, read from the engine, its store and the chain."""
    engine = validator.engine
    client = validator.client
    signer = engine.signer.address
    registered = stake_active = funded = pinned_held = None
    chain_error = None
    try:
        if not engine.config.observer:  # an observer holds no stake and sends nothing
            info = client.validator_info(engine.operator)
            registered = info.signer.lower() == signer.lower()
            stake_active = info.active > 0
            funded, _line = signer_funds_line(client.w3, signer)
        # Read each time: the owner may have pinned another model since the start.
        pinned = bytes(client.param("modelHash"))
        held = {bytes.fromhex(h.removeprefix("0x")) for h in engine.judge.held_hashes}
        # The zero hash pins the default model: any loaded model serves it.
        pinned_held = pinned in held or (pinned == b"\x00" * 32 and bool(held))
    except Exception as exc:  # unreachable, or a view refused: say which
        chain_error = f"{type(exc).__name__} reading the chain"
    try:
        with engine.store.transaction():
            pass  # BEGIN IMMEDIATE takes the write lock: a read-only or locked file fails
        db_writable = True
    except Exception:
        db_writable = False
    ok_at = engine.last_tick_ok_at
    seen = engine.seen
    return ReadinessFacts(
        model_loaded=validator.model_loaded,
        load_error=engine.judge.load_error,
        pinned_model_held=pinned_held,
        signer_registered=registered,
        stake_active=stake_active,
        signer_funded=funded,
        chain_error=chain_error,
        tick_age_s=None if ok_at is None else time.monotonic() - ok_at,
        db_writable=db_writable,
        chain_drift_s=None if seen.number == 0 else time.time() - seen.timestamp,
        mode=engine.drain.mode,
        doppelganger=doppelganger_line(engine.doppelganger),
    )


def _hex(value: str, size: int | None = None) -> bytes:
    try:
        raw = bytes.fromhex(value.removeprefix("0x"))
    except ValueError:
        raise ValueError(f"{value[:20]!r} is not hex") from None
    if size is not None and len(raw) != size:
        raise ValueError(f"expected {size} bytes of hex, got {len(raw)}")
    return raw
