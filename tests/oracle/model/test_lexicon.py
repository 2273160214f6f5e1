"""The issue-10 generator material: seven languages in every class, disjoint across splits."""

import re

from oracle.model.generate import CorpusGenerator
from oracle.model.generator_split import SPLITS, GeneratorSplit
from oracle.model.lexicon import LANGUAGES, language_family
from oracle.model.phrases import FRAUD, ILLICIT, LEGAL, POOLS

BANKS = {"legal": LEGAL, "fraud": FRAUD, "illicit": ILLICIT}
SLOT = re.compile(r"\{(\w+)\}")


def test_lexicon__every_language__has_all_three_classes_in_every_split():
    for code in LANGUAGES:
        for label in BANKS:
            for split in SPLITS:
                family = language_family(code)
                assert family in GeneratorSplit.of(split).language_families(label)
                assert GeneratorSplit.of(split).templates(label, family), (code, label, split)


def test_lexicon__language_templates__split_disjointly():
    for code in LANGUAGES:
        for label in BANKS:
            parts = [
                set(GeneratorSplit.of(s).templates(label, language_family(code))) for s in SPLITS
            ]
            assert not parts[0] & parts[1] and not parts[0] & parts[2] and not parts[1] & parts[2]


def test_lexicon__every_slot__names_a_pool():
    for bank in BANKS.values():
        for templates in bank.values():
            for template in templates:
                assert set(SLOT.findall(template)) <= set(POOLS), template


def test_generator__language_families__kept_apart_from_english_families():
    split = GeneratorSplit.of("train")
    for label in BANKS:
        english, other = split.families(label), split.language_families(label)
        assert len(other) == len(LANGUAGES) and not set(english) & set(other)


def test_generator__validation_memos_in_other_languages__never_seen_in_train():
    def foreign(split: str) -> set[str]:
        rows = CorpusGenerator(5, split=split, obfuscation_rate=0.0).records(3000)
        return {r.tx.memo for r in rows if r.tx.memo and any(ord(ch) > 0x2FF for ch in r.tx.memo)}

    train, validation = foreign("train"), foreign("validation")
    assert len(validation) > 50
    assert not train & validation
