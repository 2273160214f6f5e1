"""Event reader with a persisted cursor and a confirmations setting.

Reads the oracle's logs from `cursor + 1` up to `head - confirmations` in chunks,
decodes the events named in the ABI, and only then advances the cursor (the
caller persists it after it has stored what it read), so a crash re-reads
rather than skips.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from eth_utils import event_abi_to_log_topic
from hexbytes import HexBytes
from web3 import Web3
from web3._utils.events import get_event_data

log = logging.getLogger(__name__)


class CursorStore(Protocol):
    def get_cursor(self, name: str) -> int | None: ...
    def set_cursor(self, name: str, block: int) -> None: ...


def log_chunks(
    w3: Web3,
    *,
    address: str | Sequence[str],
    from_block: int,
    to_block: int,
    chunk_size: int,
    topics: list[Any] | None = None,
    max_chunks: int | None = None,
) -> Iterator[tuple[int, list[Any]]]:
    """`eth_getLogs` over [from_block, to_block] in ranges of `chunk_size` blocks.

    Yields (last block of the range, its logs) in block order, so the caller can move
    its cursor after each range it has applied. Nodes cap the range one request may
    cover; `max_chunks` bounds one call's work.
    """
    frm, chunks = from_block, 0
    while frm <= to_block and (max_chunks is None or chunks < max_chunks):
        to = min(to_block, frm + chunk_size - 1)
        query: dict[str, Any] = {"address": address, "fromBlock": frm, "toBlock": to}
        if topics is not None:
            query["topics"] = topics
        yield to, list(w3.eth.get_logs(query))  # type: ignore[arg-type]
        frm = to + 1
        chunks += 1


@dataclass(frozen=True)
class ChainEvent:
    name: str
    args: dict[str, Any]
    block_number: int
    tx_hash: str
    log_index: int


class EventReader:
    def __init__(
        self,
        w3: Web3,
        *,
        address: str,
        abi: list[dict[str, Any]],
        event_names: Iterable[str],
        start_block: int,
        confirmations: int = 0,
        chunk_size: int = 2000,
        cursor_name: str = "events",
    ) -> None:
        self.w3 = w3
        self.address = Web3.to_checksum_address(address)
        self.confirmations = confirmations
        self.chunk_size = chunk_size
        self.start_block = start_block
        self.cursor_name = cursor_name
        self._by_topic: dict[bytes, dict[str, Any]] = {}
        wanted = set(event_names)
        for item in abi:
            if item.get("type") == "event" and item["name"] in wanted:
                self._by_topic[bytes(event_abi_to_log_topic(item))] = item  # type: ignore[arg-type]
        missing = wanted - {e["name"] for e in self._by_topic.values()}
        if missing:
            raise ValueError(
                f"events {sorted(missing)} are not in the contract ABI; is the ABI current?"
            )

    def safe_head(self, head: int | None = None) -> int:
        """The last block to read: `head` (the latest block number; read from the node when
        not given) less the confirmations."""
        latest = int(self.w3.eth.block_number) if head is None else head
        return max(-1, latest - self.confirmations)

    def read(
        self, cursor: int | None, *, safe_head: int | None = None, max_chunks: int = 50
    ) -> tuple[list[ChainEvent], int]:
        """Events after `cursor` (None: from the start block) up to `safe_head` (by default
        `self.safe_head()`, one request) and the new cursor to persist."""
        frm = self.start_block if cursor is None else cursor + 1
        head = self.safe_head() if safe_head is None else safe_head
        out: list[ChainEvent] = []
        new_cursor = frm - 1
        for to, logs in log_chunks(
            self.w3,
            address=self.address,
            from_block=frm,
            to_block=head,
            chunk_size=self.chunk_size,
            topics=[[HexBytes(t) for t in self._by_topic]],
            max_chunks=max_chunks,
        ):
            out.extend(self._decode(entry) for entry in logs)
            new_cursor = to
        out.sort(key=lambda e: (e.block_number, e.log_index))
        return out, max(new_cursor, (cursor if cursor is not None else self.start_block - 1))

    def find(
        self, name: str, indexed: list[Any], *, from_block: int, to_block: int
    ) -> list[ChainEvent]:
        """Events `name` in [from_block, to_block] whose first indexed arguments are `indexed`
        (as 32-byte topics), in block order; no cursor involved."""
        topic = next(t for t, abi in self._by_topic.items() if abi["name"] == name)
        out: list[ChainEvent] = []
        for _to, logs in log_chunks(
            self.w3,
            address=self.address,
            from_block=max(self.start_block, from_block),
            to_block=to_block,
            chunk_size=self.chunk_size,
            topics=[HexBytes(topic), *indexed],
        ):
            out.extend(self._decode(entry) for entry in logs)
        return sorted(out, key=lambda e: (e.block_number, e.log_index))

    def _decode(self, entry: Any) -> ChainEvent:
        abi = self._by_topic[bytes(entry["topics"][0])]
        data = get_event_data(self.w3.codec, abi, entry)
        return ChainEvent(
            name=str(data["event"]),
            args=dict(data["args"]),
            block_number=int(data["blockNumber"]),
            tx_hash="0x" + HexBytes(data["transactionHash"]).hex().removeprefix("0x"),
            log_index=int(data["logIndex"]),
        )
