"""Dataset loaders: JSONL and CSV in the docs/labels.md format, line-numbered errors."""

import json
from pathlib import Path

import pytest

from oracle.model.dataset import DatasetError, load_dataset
from oracle.model.labels import Verdict
from tests.support.tx_factories import eth_transfer

GOOD = {"payload": eth_transfer("rent for june").to_json(), "label": "legal"}


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_load_jsonl__valid_records__parse_with_labels(tmp_path: Path):
    unlabelled = {"payload": GOOD["payload"]}
    recs = load_dataset(write_jsonl(tmp_path / "d.jsonl", [GOOD, unlabelled]))
    assert [r.label for r in recs] == [Verdict.LEGAL, None]
    assert recs[0].tx == eth_transfer("rent for june")


def test_load_csv__flattened_fields__parse_like_jsonl(tmp_path: Path):
    p = GOOD["payload"]
    path = tmp_path / "d.csv"
    path.write_text(
        "chain_id,from,to,value,data,memo,label\n"
        f'{p["chain_id"]},{p["from"]},{p["to"]},{p["value"]},{p["data"]},"rent for june",legal\n'
    )
    recs = load_dataset(path)
    assert recs[0].tx == eth_transfer("rent for june") and recs[0].label is Verdict.LEGAL


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", r"d.jsonl:2: not valid JSON"),
        ({"label": "legal"}, r"d.jsonl:2: expected an object with a 'payload'"),
        (
            {"payload": {**GOOD["payload"], "value": "1.5"}, "label": "legal"},
            r"d.jsonl:2: payload: value must be",
        ),
        (
            {"payload": {**GOOD["payload"], "to": "0xnope"}, "label": "legal"},
            r"d.jsonl:2: payload: to must be",
        ),
        (
            {"payload": GOOD["payload"], "label": "scam"},
            r"d.jsonl:2: field 'label': unknown label 'scam'",
        ),
    ],
)
def test_load_jsonl__bad_record__error_names_line_and_field(tmp_path: Path, bad, message):
    with pytest.raises(DatasetError, match=message):
        load_dataset(write_jsonl(tmp_path / "d.jsonl", [GOOD, bad]))


def test_load_csv__missing_column__error_names_it(tmp_path: Path):
    path = tmp_path / "d.csv"
    path.write_text("chain_id,from,to,value,data,label\n")
    with pytest.raises(DatasetError, match=r"lacks column.*memo"):
        load_dataset(path)


def test_load_csv__bad_value__error_names_the_line(tmp_path: Path):
    p = GOOD["payload"]
    path = tmp_path / "d.csv"
    path.write_text(
        f"chain_id,from,to,value,data,memo,label\n1,{p['from']},{p['to']},1,0x,a,legal\n1,{p['from']},{p['to']},x,0x,b,legal\n"
    )
    with pytest.raises(DatasetError, match=r"d.csv:3: payload: value must be"):
        load_dataset(path)
