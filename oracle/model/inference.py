"""Batched inference: length bucketing, tokenization in a separate thread, bf16 on GPU.

Throughput comes from (1) never padding to max_length: texts are sorted by token
count and each batch is padded only to its own longest row; (2) the Rust
tokenizer running in a producer thread (it releases the GIL) while the main
thread drives the model; (3) bf16 weights + SDPA attention on CUDA, or optional
dynamic int8 quantization on CPU; (4) argmax and confidence computed on the
device so only two small vectors come back.

Validators agree on the argmax, not the floats: on CPU, batch size, padding
and thread count move logits by ~1e-6 (see oracle/model/README.md); bf16 and int8 move them
by ~1e-2, which flips only inputs whose top-2 margin is that small. Operators
who need bit-identical outputs run fp32 with the same batching.
"""

from __future__ import annotations

import os
import queue
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from oracle.model.checkpoint import LabelMap, quiet_transformers


@dataclass(frozen=True)
class EngineConfig:
    batch_size: int = 256  # rows per forward pass
    chunk_size: int = 8192  # texts tokenized (and length-sorted) together by the producer
    pad_multiple: int = 8  # tensor-core friendly shapes on GPU
    quantize_int8: bool = False  # CPU only: dynamic int8 Linear layers
    compile: bool = False  # torch.compile the forward (GPU; first call is slow)


def pick_device(device: str | None) -> torch.device:
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


class InferenceEngine:
    """Texts in, (class index, confidence) out; batched and bucketed."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        label_map: LabelMap,
        device: torch.device,
        config: EngineConfig,
    ) -> None:
        self.label_map = label_map
        self.device = device
        self.config = config
        if device.type == "cuda":
            # Let the Rust tokenizer use every core: on a GPU box tokenization, not the
            # model, is what caps throughput (~10k sequences/s on one thread).
            os.environ["TOKENIZERS_PARALLELISM"] = "true"
        self._tokenizer = tokenizer.backend_tokenizer  # the Rust `tokenizers.Tokenizer`
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=label_map.max_length)
        self._pad_id = int(tokenizer.pad_token_id or 0)
        model.eval()
        if device.type == "cuda":
            model = model.to(device=device, dtype=torch.bfloat16)
        elif config.quantize_int8:
            with warnings.catch_warnings():  # torch.ao is deprecated for torchao (not installed)
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(
                    model, {torch.nn.Linear}, dtype=torch.qint8
                )
        self.model = torch.compile(model, dynamic=True) if config.compile else model

    @classmethod
    def load(
        cls, model_dir: Path, device: str | None = None, config: EngineConfig | None = None
    ) -> InferenceEngine:
        quiet_transformers()
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        label_map = LabelMap.read(model_dir)
        dev = pick_device(device)
        model = AutoModelForSequenceClassification.from_pretrained(
            str(model_dir), attn_implementation="sdpa"
        )
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        return cls(model, tokenizer, label_map, dev, config or EngineConfig())

    def predict(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Class index and softmax confidence per text, in input order."""
        n = len(texts)
        classes = np.zeros(n, dtype=np.int64)
        confidence = np.zeros(n, dtype=np.float32)
        if n == 0:
            return classes, confidence
        # Results stay on the device until the end: a per-batch .cpu() would make the
        # host wait for every batch instead of queueing the next one.
        pending = [
            (index, *_top(self._forward(ids, mask))) for index, ids, mask in self._batches(texts)
        ]
        for index, pred, conf in pending:
            classes[index] = pred.cpu().numpy()
            confidence[index] = conf.cpu().numpy()
        return classes, confidence

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Raw logits (n, classes) in input order, for fusion and calibration (fused.py)."""
        out = np.zeros((len(texts), len(self.label_map.classes)), dtype=np.float32)
        if not texts:
            return out
        pending = [(index, self._forward(ids, mask)) for index, ids, mask in self._batches(texts)]
        for index, logits in pending:
            out[index] = logits.cpu().numpy()
        return out

    @torch.inference_mode()
    def _forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        non_blocking = self.device.type == "cuda"
        ids = ids.to(self.device, non_blocking=non_blocking)
        mask = mask.to(self.device, non_blocking=non_blocking)
        logits: torch.Tensor = self.model(input_ids=ids, attention_mask=mask).logits.float()
        return logits

    def _batches(
        self, texts: Sequence[str]
    ) -> Iterator[tuple[np.ndarray, torch.Tensor, torch.Tensor]]:
        """Producer thread tokenizes and pads chunk k+1 while the caller runs chunk k."""
        out: queue.Queue[Any] = queue.Queue(maxsize=4)
        stop = threading.Event()

        def produce() -> None:
            try:
                for start in range(0, len(texts), self.config.chunk_size):
                    chunk = list(texts[start : start + self.config.chunk_size])
                    for batch in self._tokenize_chunk(chunk, start):
                        while not stop.is_set():
                            try:
                                out.put(batch, timeout=0.1)
                                break
                            except queue.Full:
                                continue
                        if stop.is_set():
                            return
                out.put(None)
            except BaseException as exc:  # surface tokenizer errors in the caller
                out.put(exc)

        worker = threading.Thread(target=produce, name="tokenizer", daemon=True)
        worker.start()
        try:
            while True:
                item = out.get()
                if item is None:
                    break
                if isinstance(item, BaseException):
                    raise item
                yield item
        finally:
            stop.set()
            worker.join()

    def _tokenize_chunk(
        self, chunk: list[str], offset: int
    ) -> list[tuple[np.ndarray, torch.Tensor, torch.Tensor]]:
        encodings = self._tokenizer.encode_batch(chunk)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
        order = np.argsort(lengths, kind="stable")
        pin = self.device.type == "cuda"
        batches = []
        for start in range(0, len(order), self.config.batch_size):
            rows = order[start : start + self.config.batch_size]
            width = int(lengths[rows].max())
            if pin:
                width = -(-width // self.config.pad_multiple) * self.config.pad_multiple
            ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, row in enumerate(rows):
                seq = encodings[row].ids
                ids[r, : len(seq)] = seq
                mask[r, : len(seq)] = 1
            ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
            if pin:
                ids_t, mask_t = ids_t.pin_memory(), mask_t.pin_memory()
            batches.append((rows + offset, ids_t, mask_t))
        return batches


@torch.inference_mode()
def _top(logits: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(argmax, softmax probability of it), computed where the logits are."""
    conf, pred = torch.softmax(logits, dim=-1).max(dim=-1)
    return pred, conf
