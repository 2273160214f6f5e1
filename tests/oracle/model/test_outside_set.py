"""The outside set: large, independent of the generator, consistent with the rules, eval only."""

import ast
import json
import sys
from collections import Counter
from pathlib import Path

from oracle.model.dataset import load_dataset
from oracle.model.generate import CorpusGenerator, write_splits
from oracle.model.outside_set import OUTSIDE_DIR, OUTSIDE_SETS
from oracle.model.rules import (
    RuleVerdict,
    SanctionsList,
    apply_rules_to_request,
    sample_sanctions_path,
)
from oracle.model.tiny import train_tiny_model

ROOT = Path(__file__).resolve().parents[3]
SANCTIONS = [SanctionsList.from_file(sample_sanctions_path())]
LANGS = {"zh", "es", "ru", "pt", "tr", "vi", "ko"}
# The only modules allowed to know where the outside set is: the module that names
# it and the evaluation suite (which the CLI and the model card call after training).
ALLOWED_IMPORTERS = {"oracle/model/outside_set.py", "oracle/model/evaluate.py"}


def test_outside_set__sizes_classes_and_languages():
    sets = {name: load_dataset(path) for name, path in OUTSIDE_SETS.items()}
    assert len(sets["outside"]) >= 1500
    assert len(sets["outside_obfuscated"]) == 450
    assert sum(len(s) for s in sets.values()) >= 1500
    for name, records in sets.items():
        counts = Counter(r.label.label for r in records)
        assert {"legal", "fraud", "illicit"} <= set(counts), name
    langs = {json.loads(line)["lang"] for line in OUTSIDE_SETS["outside_multilingual"].open()}
    assert langs == LANGS


def test_outside_set__rule_decided_records__agree_with_their_labels():
    for path in OUTSIDE_SETS.values():
        for record in load_dataset(path):
            out = apply_rules_to_request(record.tx, chain_id=1, sanctions=SANCTIONS)
            if isinstance(out, RuleVerdict):
                assert out.verdict is record.label, (path.name, record.line, out.reason)
            else:
                assert record.label.label in ("legal", "fraud", "illicit"), (path, record.line)


def test_outside_set__shares_no_memo_with_the_generator():
    generated = {r.tx.memo.lower() for r in CorpusGenerator(0).records(6000)}
    for path in OUTSIDE_SETS.values():
        memos = {r.tx.memo.lower() for r in load_dataset(path) if len(r.tx.memo) > 6}
        assert not memos & generated, (path.name, sorted(memos & generated)[:5])


def test_outside_set__builder_does_not_import_the_training_generator():
    sources = [
        ROOT / "scripts" / "make_outside_set.py",
        *(ROOT / "scripts" / "outside").glob("*.py"),
    ]
    for source in sources:
        tree = ast.parse(source.read_text())
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        ]
        assert not [m for m in names if m.startswith("oracle.model")], source


def _refers_to_outside_set(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "oracle.model.outside_set":
            return True
        if isinstance(node, ast.Name) and node.id in ("OUTSIDE_SETS", "OUTSIDE_DIR"):
            return True
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and "outside" in text and ".jsonl" in text:
            return True
    return False


def test_outside_set__only_evaluation_modules_import_it():
    for path in (ROOT / "oracle").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if _refers_to_outside_set(ast.parse(path.read_text())):
            assert rel in ALLOWED_IMPORTERS, f"{rel} refers to the outside set"
    # the check itself finds the module that does refer to it
    assert _refers_to_outside_set(ast.parse((ROOT / "oracle/model/evaluate.py").read_text()))


def test_training_and_selection__never_open_the_outside_set(tmp_path: Path):
    opened: list[str] = []
    recording = [True]

    def hook(event: str, args: tuple) -> None:
        if recording[0] and event == "open" and args and isinstance(args[0], (str, Path)):
            opened.append(str(Path(args[0]).resolve()))

    sys.addaudithook(hook)  # cannot be removed: it stops recording at the end instead
    try:
        paths = write_splits(tmp_path / "data", 300, seed=0)
        for path in paths.values():
            load_dataset(path)
        train_tiny_model(tmp_path / "tiny", n_records=300)  # fit, early stopping, baseline
    finally:
        recording[0] = False
    outside = str(OUTSIDE_DIR.resolve())
    assert opened, "the audit hook saw no file opens"
    assert not [p for p in opened if p.startswith(outside)]
