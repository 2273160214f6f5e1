"""Load docs/labels.md datasets (JSONL or CSV) with errors that name the line and field."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from oracle.chain.payload import PayloadError, TxRequest
from oracle.model.labels import Verdict

CSV_FIELDS = ("chain_id", "from", "to", "value", "data", "memo")


class DatasetError(ValueError):
    """A record in a dataset file is invalid; the message names file, line and field."""


@dataclass(frozen=True)
class LabeledRequest:
    tx: TxRequest
    label: Verdict | None  # None when the record has no label (prediction input)
    line: int


def load_dataset(path: Path) -> list[LabeledRequest]:
    """JSONL (`.jsonl`/`.json`) or CSV (`.csv`) by extension."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        return load_csv(path)
    return load_jsonl(path)


def load_jsonl(path: Path) -> list[LabeledRequest]:
    records = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(
                    f"{path}:{lineno}: not valid JSON ({exc.msg} at column {exc.colno})"
                ) from None
            if not isinstance(obj, dict) or "payload" not in obj:
                raise DatasetError(
                    f"{path}:{lineno}: expected an object with a 'payload' field "
                    '({"payload": {...}, "label": "legal"})'
                )
            records.append(_record(path, lineno, obj["payload"], obj.get("label")))
    return records


def load_csv(path: Path) -> list[LabeledRequest]:
    records = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in CSV_FIELDS if c not in (reader.fieldnames or [])]
        if missing:
            raise DatasetError(f"{path}:1: CSV header lacks column(s) {', '.join(missing)}")
        for row in reader:
            lineno = reader.line_num
            payload = {k: row[k] for k in CSV_FIELDS}
            records.append(_record(path, lineno, payload, row.get("label") or None))
    return records


def _record(path: Path, lineno: int, payload: object, label: object) -> LabeledRequest:
    where = f"{path}:{lineno}"
    if not isinstance(payload, dict):
        raise DatasetError(f"{where}: field 'payload' must be an object")
    tx = _parsed(TxRequest.from_json, payload, PayloadError, f"{where}: payload")
    verdict = None
    if label is not None:
        if not isinstance(label, str):
            raise DatasetError(f"{where}: field 'label' must be a string")
        verdict = _parsed(Verdict.from_label, label, ValueError, f"{where}: field 'label'")
    return LabeledRequest(tx, verdict, lineno)


_In = TypeVar("_In")
_Out = TypeVar("_Out")


def _parsed(parse: Callable[[_In], _Out], value: _In, error: type[Exception], where: str) -> _Out:
    """`parse(value)`, its `error` turned into a DatasetError that says `where`."""
    try:
        return parse(value)
    except error as exc:
        raise DatasetError(f"{where}: {exc}") from None


def file_hash(*paths: Path) -> str:
    """sha256 over the files' bytes, for the model card."""
    digest = hashlib.sha256()
    for p in paths:
        digest.update(Path(p).read_bytes())
    return "0x" + digest.hexdigest()
