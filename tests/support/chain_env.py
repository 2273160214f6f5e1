"""Shared helpers for the e2e tests: reading chain state, waiting on it, building payloads."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from oracle.chain.client import OracleClient, Status
from oracle.chain.payload import TxRequest, encode_payload
from oracle.model.generate import CorpusGenerator
from oracle.model.labels import Verdict

T = TypeVar("T")
CHAIN_ID = 31337


def wait_for(what: str, fn: Callable[[], T | None], timeout_s: float, interval_s: float = 0.2) -> T:
    """Poll `fn` until it returns something truthy; fail naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")
        time.sleep(interval_s)


def wait_committed(
    client: OracleClient, round_: int, operator: str, who: str, timeout_s: float
) -> None:
    """Until `operator`'s commit for `round_` is on chain (`who` names it in the failure)."""
    wait_for(
        f"{who} to commit round {round_}",
        lambda: client.ballot_of(round_, operator).committed,
        timeout_s,
        0.05,
    )


def payloads_of_every_class(per_class: int, seed: int) -> list[tuple[Verdict, bytes]]:
    """Generated requests of each class, moved to the local chain (malformed stay malformed)."""
    gen = CorpusGenerator(seed)
    out: list[tuple[Verdict, bytes]] = []
    for label in Verdict:
        for _ in range(per_class):
            tx: TxRequest = gen.record(label).tx
            if tx.chain_id == 1:
                tx = replace(tx, chain_id=CHAIN_ID)
            out.append((label, encode_payload(tx)))
    return out


def final_outcomes(client: OracleClient, ids: list[int]) -> dict[int, tuple[Status, int]]:
    return {pid: client.verdict_of(pid) for pid in ids}


def wait_final(
    client: OracleClient, ids: list[int], timeout_s: float
) -> dict[int, tuple[Status, int]]:
    def done() -> dict[int, tuple[Status, int]] | None:
        out = final_outcomes(client, ids)
        return out if all(s != Status.PENDING for s, _ in out.values()) else None

    return wait_for(f"proposals {ids[0]}..{ids[-1]} to be final", done, timeout_s)


def events(client: OracleClient, name: str, from_block: int) -> list[Any]:
    reader = client.event_reader(name, start_block=from_block)
    found, _ = reader.read(None)
    return found


def proposal_rounds(client: OracleClient, ids: list[int]) -> set[int]:
    return {client.proposal(pid).round for pid in ids}
