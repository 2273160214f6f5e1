"""The nonce book one key's blocking sender and transaction manager share."""

from __future__ import annotations

from oracle.chain.nonce import NonceBook


def test_take__consecutive__reads_the_chain_once() -> None:
    reads: list[int] = []
    book = NonceBook()
    taken = [book.take(lambda: reads.append(1) or 5) for _ in range(3)]
    assert taken == [5, 6, 7] and len(reads) == 1


def test_give_back__latest_unsent__is_taken_again_and_earlier_never() -> None:
    book = NonceBook()
    first, second = book.take(lambda: 0), book.take(lambda: 0)
    book.give_back(first)  # not the latest: giving it back would leave a gap at 1
    assert book.peek() == 2
    book.give_back(second)
    assert book.take(lambda: 0) == second


def test_at_least__in_flight_after_a_restart__later_takes_go_after_it() -> None:
    book = NonceBook()
    book.at_least(9)
    assert book.take(lambda: 3) == 9


def test_nonce_book__chain_count_learnt__is_not_counted_as_taken_here() -> None:
    # The doppelganger window compares the chain's count with what this process sent: a
    # count learnt from the chain (another process's transactions) must not hide them.
    book = NonceBook()
    book.at_least(7)
    assert book.taken_next() is None
    assert book.take(lambda: 0) == 7
    book.at_least(12)
    assert book.taken_next() == 8 and book.peek() == 12
