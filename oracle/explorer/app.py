"""The explorer's FastAPI app: one static page, JSON views and an update stream.

`explorer_router(indexer)` can be included in another app (the validator
service) together with the `sync_forever` task; `create_app` wires both into a
standalone app for `oracle explorer`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles

from oracle.explorer import views
from oracle.explorer.indexer import Indexer

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
KEEPALIVE_SECONDS = 15.0


class SyncStatus:
    """The last sync error, shown on the page instead of stale data passing as live."""

    def __init__(self) -> None:
        self.error: str | None = None


async def sync_forever(indexer: Indexer, status: SyncStatus, interval: float) -> None:
    """Index new blocks every `interval` seconds until cancelled; RPC errors are retried."""
    while True:
        try:
            await asyncio.to_thread(indexer.sync)
            status.error = None
        except Exception as exc:  # keep serving the last good state, say why it is stale
            if status.error != str(exc):
                log.warning("explorer sync failed: %s", exc)
            status.error = f"cannot read the chain: {exc}"
        await asyncio.sleep(interval)


def explorer_router(
    indexer: Indexer, status: SyncStatus, stream_interval: float = 0.5
) -> APIRouter:
    router = APIRouter()

    @router.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @router.get("/api/state")
    def state(limit: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
        """Overview, the most recent proposals and all validators: what the page shows."""
        with indexer.lock:
            now = indexer.chain_now()
            # Ids increase by one and are indexed in order: the dict is already sorted.
            recent = list(indexer.proposals.values())[-limit:][::-1]
            return {
                "overview": {**views.overview(indexer), "sync_error": status.error},
                "proposals": [views.proposal_summary(indexer, p, now) for p in recent],
                "validators": [
                    views.validator_view(v, now)
                    for v in sorted(indexer.validators.values(), key=lambda v: -v.active)
                ],
            }

    @router.get("/api/proposals/{proposal_id}")
    def proposal(proposal_id: int) -> dict[str, Any]:
        """One proposal with its decoded transaction and every round it went through."""
        with indexer.lock:
            record = indexer.proposals.get(proposal_id)
            if record is None:
                raise HTTPException(
                    404,
                    f"proposal {proposal_id} is not indexed (yet): check the id or wait a block",
                )
            return views.proposal_detail(indexer, record, indexer.chain_now())

    @router.get("/api/validators")
    def validators() -> list[dict[str, Any]]:
        with indexer.lock:
            now = indexer.chain_now()
            return [views.validator_view(v, now) for v in indexer.validators.values()]

    @router.get("/api/stream")
    async def stream(request: Request) -> StreamingResponse:
        """Server-sent events: `update` whenever the index moved, so the page refetches."""

        async def events() -> AsyncIterator[str]:
            last_version = -1
            quiet = 0.0
            while not await request.is_disconnected():
                version = indexer.version
                if version != last_version:
                    last_version, quiet = version, 0.0
                    data = json.dumps({"version": version, "head": indexer.head_block})
                    yield f"event: update\ndata: {data}\n\n"
                elif quiet >= KEEPALIVE_SECONDS:
                    quiet = 0.0
                    yield ": keepalive\n\n"
                await asyncio.sleep(stream_interval)
                quiet += stream_interval

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    @router.get("/health")
    def health() -> dict[str, Any]:
        return {"ok": status.error is None, "head_block": indexer.head_block, "error": status.error}

    return router


def create_app(indexer: Indexer, poll_interval: float = 1.0) -> FastAPI:
    """A standalone explorer app that indexes in the background while it serves."""
    status = SyncStatus()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(sync_forever(indexer, status, poll_interval))
        try:
            yield
        finally:
            task.cancel()

    app = FastAPI(title="Verdict oracle explorer", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.include_router(explorer_router(indexer, status))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
