"""The corpus generator: seeded, labels consistent with the rules, every docs/labels.md case."""

import json
from collections import Counter
from pathlib import Path

from oracle.chain.payload import encode_payload
from oracle.model.generate import CorpusGenerator, write_splits
from oracle.model.labels import Verdict
from oracle.model.render import render_transaction
from oracle.model.rules import (
    Decoded,
    RuleVerdict,
    SanctionsList,
    apply_rules,
    sample_sanctions_path,
)

SANCTIONS = [SanctionsList.from_file(sample_sanctions_path())]


def test_generator__same_seed__same_records():
    assert CorpusGenerator(3).records(50) == CorpusGenerator(3).records(50)
    assert CorpusGenerator(3).records(50) != CorpusGenerator(4).records(50)


def test_generator__rule_labels__agree_with_the_rules_exactly():
    for record in CorpusGenerator(1).records(1500):
        out = apply_rules(
            encode_payload(record.tx), chain_id=1, max_payload_size=4096, sanctions=SANCTIONS
        )
        if record.label in (Verdict.SANCTIONED, Verdict.MALFORMED):
            assert isinstance(out, RuleVerdict) and out.verdict is record.label
        elif isinstance(out, RuleVerdict):  # a call-shape rule: it must agree with the label
            assert out.verdict is record.label and out.reason.startswith(
                ("rule:address-poisoning", "rule:revoke")
            ), (record, out)
        else:
            assert isinstance(out, Decoded), (record, out)


def test_generator__corpus__covers_every_class_and_many_phrasings():
    records = CorpusGenerator(2).records(2000)
    counts = Counter(r.label for r in records)
    assert set(counts) == set(Verdict)
    memos = {r.tx.memo for r in records if r.label is Verdict.FRAUD}
    assert len(memos) > 300  # not a handful of templates


def test_generator__corpus__contains_hard_negatives_and_attack_patterns():
    texts = {}
    rule_reasons = []
    for r in CorpusGenerator(5).records(4000):
        out = apply_rules(
            encode_payload(r.tx), chain_id=1, max_payload_size=4096, sanctions=SANCTIONS
        )
        if isinstance(out, Decoded):
            texts.setdefault(r.label, []).append(render_transaction(out.tx, out.call))
        else:
            rule_reasons.append(out.reason)
    legal = "\n".join(texts[Verdict.LEGAL])
    fraud = "\n".join(texts[Verdict.FRAUD])
    assert "security audit" in legal and "pharmacy" in legal and "ransomware incident" in legal
    assert "amount: unlimited" in legal  # unlimited approval without lure: still legal
    assert any(r.startswith("rule:address-poisoning") for r in rule_reasons)
    assert "claim" in fraud
    assert any("amount: unlimited" in t and "unknown" in t for t in texts[Verdict.FRAUD])


def test_write_splits__writes_three_jsonl_files_in_labels_md_form(tmp_path: Path):
    paths = write_splits(tmp_path, 100, seed=0)
    lines = {k: p.read_text().splitlines() for k, p in paths.items()}
    assert [len(v) for v in lines.values()] == [80, 10, 10]
    row = json.loads(lines["train"][0])
    assert set(row) == {"payload", "label"}
    assert set(row["payload"]) == {"chain_id", "from", "to", "value", "data", "memo"}
