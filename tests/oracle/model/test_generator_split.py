"""Generator-disjoint splits: validation and test use wording and contracts training never sees."""

import json
from pathlib import Path

import pytest

from oracle.model.address_book import default_address_book
from oracle.model.generate import CorpusGenerator, write_splits
from oracle.model.generator_split import SPLITS, GeneratorSplit, partition
from oracle.model.phrases import FRAUD, ILLICIT, LEGAL, POOLS, PREFIXES, SUFFIXES

BANKS = {"legal": LEGAL, "fraud": FRAUD, "illicit": ILLICIT}
WETH = "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"  # the swap generator's fixed leg


def _lists() -> list[tuple[str, list[str], object]]:
    out: list[tuple[str, list[str], object]] = []
    for label, bank in BANKS.items():
        for family, items in bank.items():
            out.append(
                (f"{label}/{family}", items, lambda s, lab=label, f=family: s.templates(lab, f))
            )
    for slot, items in POOLS.items():
        out.append((f"pool/{slot}", items, lambda s, k=slot: s.pool(k)))
    out.append(("prefix", PREFIXES, lambda s: s.prefixes))
    out.append(("suffix", SUFFIXES, lambda s: s.suffixes))
    return out


@pytest.mark.parametrize(("key", "items", "pick"), _lists(), ids=[k for k, _, _ in _lists()])
def test_generator_split__every_list__splits_disjoint_complete_and_nonempty(key, items, pick):
    parts = [pick(GeneratorSplit.of(s)) for s in SPLITS]
    flat = [x for p in parts for x in p]
    if len(items) < len(SPLITS):  # too small to split: shared (e.g. the empty memo)
        assert all(p == list(items) for p in parts)
        return
    assert sorted(flat) == sorted(items)  # each item in exactly one split
    assert all(parts), f"{key}: a split has nothing to draw from"


def test_partition__is_stable_and_keyed():
    items = [f"item {i}" for i in range(50)]
    assert partition(items, "k") == partition(items, "k")
    assert partition(items, "k") != partition(items, "other key")


def test_generator_split__unknown_name__error_lists_the_splits():
    with pytest.raises(ValueError, match="train"):
        GeneratorSplit.of("holdout")


def test_write_splits__validation_and_test__share_no_memo_or_known_contract_with_train(
    tmp_path: Path,
):
    paths = write_splits(tmp_path, 3000, seed=0)
    rows = {k: [json.loads(x) for x in p.read_text().splitlines()] for k, p in paths.items()}
    book = default_address_book()

    def memos(split: str) -> set[str]:
        return {r["payload"]["memo"].lower() for r in rows[split] if len(r["payload"]["memo"]) > 8}

    def known(split: str) -> set[str]:
        return {
            r["payload"]["to"].lower()
            for r in rows[split]
            if r["label"] != "sanctioned" and book.get(r["payload"]["to"]) is not None
        } - {WETH}

    for held in ("validation", "test"):
        assert memos(held) and not memos(held) & memos("train"), held
        assert known(held) and not known(held) & known("train"), held
    assert not memos("validation") & memos("test")


def test_generator__split_generator__draws_only_its_own_templates():
    train_templates = {
        t
        for lab, bank in BANKS.items()
        for f in bank
        for t in GeneratorSplit.of("train").templates(lab, f)
    }
    held = GeneratorSplit.of("validation")
    assert not (train_templates - {""}) & {
        t for lab, bank in BANKS.items() for f in bank for t in held.templates(lab, f)
    }
    assert CorpusGenerator(1, split="validation").records(20) != CorpusGenerator(1).records(20)
