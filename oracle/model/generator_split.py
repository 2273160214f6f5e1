"""Generator-disjoint splits: which templates, slot values and contracts each split may use.

Validation and test must measure wording and counterparties the model never saw in
training, or early stopping and model selection have no signal (a model that learnt
the templates scores 0.99 on its own validation split and worse than a bag of words
elsewhere). Every item (template, slot value, prefix, suffix, known contract) goes to
exactly one split by a stable hash of its text, about 70/15/15; every family and
pool keeps at least one item in each split so that all three can draw from it.
Families themselves stay shared: each class's categories appear in every split,
only their wording and counterparties differ.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from oracle.model.address_book import KnownContract
from oracle.model.lexicon import LANGUAGE_FAMILY_PREFIX
from oracle.model.phrases import FRAUD, ILLICIT, LEGAL, POOLS, PREFIXES, SUFFIXES

SPLITS: tuple[str, ...] = ("train", "validation", "test")
_SHARES = (70, 85)  # hash % 100 below 70 -> train, below 85 -> validation, else test
_BANKS: dict[str, dict[str, list[str]]] = {"legal": LEGAL, "fraud": FRAUD, "illicit": ILLICIT}
T = TypeVar("T")


def split_of(text: str) -> str:
    """The split an item belongs to, by a stable hash of its text."""
    bucket = int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") % 100
    return SPLITS[0] if bucket < _SHARES[0] else SPLITS[1] if bucket < _SHARES[1] else SPLITS[2]


def partition(items: Sequence[T], key: str = "", text: object = str) -> dict[str, list[T]]:
    """Items by split; a split left empty borrows nothing but gets one item moved to it.

    Small lists (a family of five templates) could hash entirely into one split; the
    repair moves the first item of the largest split into each empty one, so the
    splits stay disjoint and each can draw from every family.
    """
    by_split: dict[str, list[T]] = {s: [] for s in SPLITS}
    for item in items:
        by_split[split_of(f"{key}|{text(item)}")].append(item)  # type: ignore[operator]
    for name in SPLITS:
        if not by_split[name] and len(items) >= len(SPLITS):
            donor = max(SPLITS, key=lambda s: len(by_split[s]))
            by_split[name].append(by_split[donor].pop(0))
    return by_split


@dataclass(frozen=True)
class GeneratorSplit:
    """The phrase banks, pools and contracts one split may draw from (None: all)."""

    name: str | None

    @staticmethod
    @lru_cache(maxsize=4)
    def of(name: str | None) -> GeneratorSplit:
        if name is not None and name not in SPLITS:
            raise ValueError(f"unknown generator split {name!r}; expected one of {SPLITS}")
        return GeneratorSplit(name)

    def _pick(self, items: Sequence[T], key: str, text: object = str) -> list[T]:
        if self.name is None or len(items) < len(SPLITS):
            return list(items)
        return partition(items, key, text)[self.name]

    def families(self, label: str) -> list[str]:
        """The class's English families (the language families are drawn apart)."""
        return [f for f in _BANKS[label] if not f.startswith(LANGUAGE_FAMILY_PREFIX)]

    def language_families(self, label: str) -> list[str]:
        """The class's families in other languages (`lang_zh`, `lang_es`, ...)."""
        return [f for f in _BANKS[label] if f.startswith(LANGUAGE_FAMILY_PREFIX)]

    def templates(self, label: str, family: str) -> list[str]:
        return self._pick(_BANKS[label][family], f"{label}/{family}")

    def pool(self, slot: str) -> list[str]:
        return self._pick(POOLS[slot], f"pool/{slot}")

    @property
    def prefixes(self) -> list[str]:
        return self._pick(PREFIXES, "prefix")

    @property
    def suffixes(self) -> list[str]:
        return self._pick(SUFFIXES, "suffix")

    def counterparties(self, entries: Sequence[KnownContract]) -> list[KnownContract]:
        """Known contracts of this split, kind by kind (tokens, routers, NFT venues, ...)."""
        kinds = sorted({e.kind for e in entries})
        return [
            e
            for kind in kinds
            for e in self._pick(
                [e for e in entries if e.kind == kind], f"contract/{kind}", lambda e: e.address
            )
        ]
