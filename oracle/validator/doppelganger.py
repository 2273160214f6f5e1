"""Doppelganger check: is another process voting with this signer key?

Two processes with one key (a copied machine, a fail-over that did not stop the old node)
commit different salts and sign verdicts from different stores: the reveals of one of them
fail (a non-reveal slash) and their signed verdicts can contradict (an equivocation slash).
So a starting validator first watches its signer's nonce for a window and sends no new
commit until the window has passed with no transaction it did not send.

What counts as evidence: the chain's nonce for the signer (`latest` or `pending`) moving
past both the `pending` nonce seen at start and the next nonce this process would use.
The start-up `pending` reading covers this process's own transactions still in flight
from before a restart (kill -9 just after a commit), which must not read as a twin.
Reveals of ballots already in the store are not held: they are this node's own, and a
restarted validator must reveal at once (a twin's commit makes them revert, harmlessly).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from web3 import Web3


class CheckState(Enum):
    WATCHING = "watching"  # window not over: new commits held
    CLEAR = "clear"  # window passed with no foreign transaction
    TWIN = "twin"  # a transaction this process did not send: never commit


def foreign_transactions(
    *, start_pending: int, chain_latest: int, chain_pending: int, local_next: int | None
) -> int:
    """How many transactions from the signer this process cannot account for."""
    accounted = max(start_pending, local_next or 0)
    return max(0, max(chain_latest, chain_pending) - accounted)


@dataclass(frozen=True)
class NonceReading:
    latest: int
    pending: int


def nonce_reader(w3: Web3, signer: str) -> Callable[[], NonceReading]:
    """Two reads of the signer's nonce: mined (`latest`) and with the node's pool (`pending`)."""
    address = Web3.to_checksum_address(signer)

    def read() -> NonceReading:
        return NonceReading(
            latest=int(w3.eth.get_transaction_count(address, "latest")),
            pending=int(w3.eth.get_transaction_count(address, "pending")),
        )

    return read


@dataclass(kw_only=True)
class DoppelgangerCheck:
    """The window's state, fed by the engine each tick (one nonce reading per poll)."""

    signer: str
    window_s: float
    read_nonces: Callable[[], NonceReading]
    local_next: Callable[[], int | None]  # the sender's next nonce (None before its first)
    clock: Callable[[], float] = time.monotonic
    state: CheckState = field(init=False)
    evidence: str | None = field(init=False, default=None)
    _started: float | None = field(init=False, default=None)
    _start_pending: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.state = CheckState.CLEAR if self.window_s <= 0 else CheckState.WATCHING

    def seconds_left(self) -> float:
        """Seconds until new commits may go out (0 once clear; the whole window before the
        first reading)."""
        if self.state is not CheckState.WATCHING:
            return 0.0
        if self._started is None:
            return self.window_s
        return max(0.0, self.window_s - (self.clock() - self._started))

    def poll(self) -> CheckState:
        """Read the signer's nonces once (while watching) and return the state."""
        if self.state is not CheckState.WATCHING:
            return self.state
        reading = self.read_nonces()
        if self._started is None:
            self._started = self.clock()
            self._start_pending = reading.pending
            return self.state
        local_next = self.local_next()
        extra = foreign_transactions(
            start_pending=self._start_pending,
            chain_latest=reading.latest,
            chain_pending=reading.pending,
            local_next=local_next,
        )
        if extra:
            self.state = CheckState.TWIN
            self.evidence = (
                f"signer {self.signer} sent {extra} transaction(s) that this validator did not "
                f"(chain nonce {max(reading.latest, reading.pending)}, expected at most "
                f"{max(self._start_pending, local_next or 0)}): another process is running "
                "with this key; stop it, then restart this one"
            )
        elif self.clock() - self._started >= self.window_s:
            self.state = CheckState.CLEAR
        return self.state


def doppelganger_line(check: DoppelgangerCheck | None) -> str | None:
    """What `/ready` says while new commits wait (None: clear, or no check)."""
    if check is None or check.state is CheckState.CLEAR:
        return None
    if check.state is CheckState.TWIN:
        return check.evidence
    return (
        f"watching signer {check.signer}'s nonce for another process with this key, "
        f"{check.seconds_left():.0f} s left (new commits wait)"
    )
