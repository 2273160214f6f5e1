"""The next nonce of one key, shared by every sender of that key in this process.

The blocking `TxSender` (commit, reveal, the relayer, operator commands) and the
non-blocking `TxManager` (finalize, settle, claim) sign with the same key: each takes
its nonce here, so neither reuses one the other has in flight. Thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class NonceBook:
    def __init__(self) -> None:
        self._next: int | None = None
        # One past the last nonce this process took: what it has sent itself, never what
        # `at_least` learnt from the chain (the doppelganger window compares the two).
        self._taken_next: int | None = None
        self._lock = threading.Lock()

    def take(self, read_chain: Callable[[], int]) -> int:
        """The next nonce, reserved; `read_chain` (the node's count) seeds the first one."""
        with self._lock:
            if self._next is None:
                self._next = int(read_chain())
            n = self._next
            self._next = n + 1
            self._taken_next = n + 1
            return n

    def give_back(self, nonce: int) -> None:
        """A reserved nonce that was never sent: the next take gets it again (only the
        latest reserved one can be given back without leaving a gap)."""
        with self._lock:
            if self._next == nonce + 1:
                self._next = nonce
                if self._taken_next == nonce + 1:
                    self._taken_next = nonce if nonce > 0 else None

    def at_least(self, nonce: int) -> None:
        """Never hand out a nonce below `nonce` (one known to be used or in flight)."""
        with self._lock:
            if self._next is None or self._next < nonce:
                self._next = nonce

    def taken_next(self) -> int | None:
        """One past the last nonce this process took (None before its first)."""
        return self._taken_next

    def peek(self) -> int | None:
        """The nonce the next take returns (None before the first)."""
        return self._next

    def forget(self) -> None:
        """Re-read from the chain on the next take (the count was taken by someone else)."""
        with self._lock:
            self._next = None
