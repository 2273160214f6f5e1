"""`oracle eval` and `oracle classify`: docs/labels.md's output schema, real tiny model."""

import json
from pathlib import Path

from typer.testing import CliRunner

from oracle.chain.payload import encode_payload
from oracle.cli import app
from oracle.model.evaluate import compute_metrics
from oracle.model.labels import Verdict
from tests.support.tx_factories import eth_transfer


def write_dataset(path: Path) -> Path:
    rows = [
        (eth_transfer("salary for march"), "legal"),
        (eth_transfer("verify your wallet or your account gets suspended"), "fraud"),
        (eth_transfer("payment for cocaine"), "illicit"),
        (eth_transfer("rent", chain_id=99), "malformed"),
    ]
    path.write_text(
        "".join(json.dumps({"payload": t.to_json(), "label": label}) + "\n" for t, label in rows)
    )
    return path


def test_eval_cli__dataset__writes_labels_md_schema_with_baseline_and_png(
    tiny_model_dir, tmp_path: Path
):
    data = write_dataset(tmp_path / "d.jsonl")
    out = tmp_path / "metrics.json"
    result = CliRunner().invoke(
        app, ["eval", "--data", str(data), "--model", str(tiny_model_dir), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())
    for block in (metrics, metrics["baseline"]):
        assert {"accuracy", "macro_f1", "per_class", "confusion_matrix"} <= set(block)
        assert 0.0 <= block["macro_f1"] <= 1.0
        assert sum(map(sum, block["confusion_matrix"]["matrix"])) == 4
    assert metrics["per_class"]["malformed"]["recall"] == 1.0
    assert out.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"


def test_eval_cli__bad_record__exits_2_naming_the_line(tiny_model_dir, tmp_path: Path):
    data = tmp_path / "d.jsonl"
    data.write_text('{"payload": {"chain_id": 1}, "label": "legal"}\n')
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--data",
            str(data),
            "--model",
            str(tiny_model_dir),
            "--out",
            str(tmp_path / "m.json"),
        ],
    )
    assert result.exit_code == 2
    assert "d.jsonl:1" in result.output


def test_compute_metrics__known_predictions__exact_scores():
    truth = [Verdict.LEGAL, Verdict.LEGAL, Verdict.FRAUD, Verdict.FRAUD]
    pred = [Verdict.LEGAL, Verdict.FRAUD, Verdict.FRAUD, Verdict.FRAUD]
    m = compute_metrics(truth, pred)
    assert m["accuracy"] == 0.75
    assert m["confusion_matrix"] == {"labels": ["legal", "fraud"], "matrix": [[1, 1], [0, 2]]}
    assert m["per_class"]["legal"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    assert abs(m["macro_f1"] - (2 / 3 + 0.8) / 2) < 1e-12


def test_classify_cli__payload_hex_lines__one_verdict_each(tiny_model_dir, tmp_path: Path):
    inp = tmp_path / "payloads.txt"
    inp.write_text("0x" + encode_payload(eth_transfer("rent for june")).hex() + "\nzz\n")
    bad = CliRunner().invoke(app, ["classify", str(inp), "--model", str(tiny_model_dir)])
    assert bad.exit_code == 2 and "line 2" in bad.output
    inp.write_text("0x" + encode_payload(eth_transfer("rent for june")).hex() + "\n0xdeadbeef\n")
    ok = CliRunner().invoke(app, ["classify", str(inp), "--model", str(tiny_model_dir)])
    assert ok.exit_code == 0, ok.output
    rows = [json.loads(line) for line in ok.output.splitlines()]
    assert [r["label"] for r in rows] == ["legal", "malformed"]
    assert {"verdict", "confidence", "model_hash", "reason"} <= set(rows[0])


def test_classify_cli__jsonl_records__verdicts_in_order(tiny_model_dir, tmp_path: Path):
    data = write_dataset(tmp_path / "d.jsonl")
    out = tmp_path / "verdicts.jsonl"
    result = CliRunner().invoke(
        app, ["classify", str(data), "--model", str(tiny_model_dir), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 4 and rows[3]["label"] == "malformed"


def test_calibration__known_confidences__exact_ece_and_confident_accuracy():
    from oracle.model.evaluate import calibration

    truth = [Verdict.LEGAL, Verdict.LEGAL, Verdict.FRAUD, Verdict.FRAUD]
    pred = [Verdict.LEGAL, Verdict.FRAUD, Verdict.FRAUD, Verdict.FRAUD]
    out = calibration(truth, pred, [0.95, 0.95, 0.55, 0.55])
    # bin (0.9, 1.0]: accuracy 0.5 vs confidence 0.95; bin (0.5, 0.6]: 1.0 vs 0.55
    assert abs(out["ece"] - (0.5 * 0.45 + 0.5 * 0.45)) < 1e-12
    assert out["confident"] == {"threshold": 0.9, "coverage": 0.5, "accuracy": 0.5}


def test_eval_cli__suite__reports_outside_sets_model_and_baseline_with_calibration(
    tiny_model_dir, tmp_path: Path
):
    out = tmp_path / "suite" / "summary.json"
    result = CliRunner().invoke(
        app, ["eval", "--suite", "--model", str(tiny_model_dir), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text())
    sets = summary["sets"]
    assert {
        "outside",
        "outside_obfuscated",
        "outside_multilingual",
        "heldout_paraphrase",
    } <= set(sets)
    for name, entry in sets.items():
        for side in ("model", "baseline"):
            block = entry[side]
            assert 0.0 <= block["macro_f1"] <= 1.0 and 0.0 <= block["ece"] <= 1.0, name
            assert {"legal", "fraud", "illicit"} <= set(block["f1"]), name
            assert 0.0 <= block["confident"]["coverage"] <= 1.0
        assert (out.parent / f"eval-{name}.json").is_file()
    assert sets["outside"]["model"]["n"] >= 1500
    assert "| outside |" in result.output and "baseline macro-F1" in result.output


def test_eval_cli__suite_with_own_splits__includes_test_and_validation(
    tiny_model_dir, tmp_path: Path
):
    import shutil

    from oracle.model.evaluate import suite_sets
    from oracle.model.generate import write_splits

    model = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model)
    write_splits(model / "data", 60, seed=1)
    assert list(suite_sets(model))[:2] == ["test", "validation"]


def test_eval_cli__neither_data_nor_suite__exits_2(tiny_model_dir, tmp_path: Path):
    result = CliRunner().invoke(
        app, ["eval", "--model", str(tiny_model_dir), "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 2 and "exactly one of --data FILE or --suite" in result.output


def test_model_card__suite__shows_every_set_model_and_baseline(tiny_model_dir, tmp_path: Path):
    from oracle.model.evaluate import evaluate_suite
    from oracle.model.pipeline import VerdictPipeline
    from oracle.model.training_run import write_model_card

    pipeline = VerdictPipeline.load(tiny_model_dir)
    suite = evaluate_suite(tiny_model_dir, tmp_path / "suite.json", pipeline)
    summary = {
        "model_hash": suite["model_hash"],
        "data_hash": "0x00",
        "training": {"lora": False, "lora_r": 0},
        "result": {
            "trainable_params": 1,
            "total_params": 2,
            "best_val_macro_f1": 0.5,
            "best_step": 1,
            "steps": 2,
            "seconds": 1.0,
        },
        "suite": suite,
    }
    write_model_card(tmp_path, summary)
    card = (tmp_path / "README.md").read_text()
    for name in suite["sets"]:
        assert f"| {name} |" in card
    assert "generator-disjoint" in card and "baseline macro-F1" in card
