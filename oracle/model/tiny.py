"""A tiny from-scratch BERT for tests and the CI demo: seconds to train, never the product.

Same tokenizer and vocabulary as MiniLM, so the checkpoint folder, the hash and
the whole inference path are the real ones; only the network is small.
"""

from __future__ import annotations

from pathlib import Path

import torch

from oracle.model.baseline import save_baseline, train_baseline
from oracle.model.checkpoint import (
    LabelMap,
    pretrained_minilm_path,
    quiet_transformers,
    save_checkpoint,
)
from oracle.model.dataset import LabeledRequest
from oracle.model.features import model_examples
from oracle.model.generate import CorpusGenerator
from oracle.model.labels import MODEL_CLASSES
from oracle.model.rules import SanctionsList, sample_sanctions_path
from oracle.model.train import TrainConfig, set_seed, train_classifier

TINY_MAX_LENGTH = 64


def train_tiny_model(out_dir: Path, *, seed: int = 0, n_records: int = 2000) -> Path:
    """Train a 2-layer, hidden-64 BERT on the generated corpus and save it to `out_dir`."""
    quiet_transformers()
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    set_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(pretrained_minilm_path()))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        max_position_embeddings=TINY_MAX_LENGTH,
        hidden_dropout_prob=0.0,  # dropout only slows a model this small down
        attention_probs_dropout_prob=0.0,
    )
    config.num_labels = len(MODEL_CLASSES)
    model = BertForSequenceClassification(config)
    generator = CorpusGenerator(seed)
    records = [LabeledRequest(r.tx, r.label, i) for i, r in enumerate(generator.records(n_records))]
    sanctions = [SanctionsList.from_file(sample_sanctions_path())]
    split = int(0.9 * len(records))
    train = model_examples(records[:split], chain_id=1, sanctions=sanctions)
    val = model_examples(records[split:], chain_id=1, sanctions=sanctions)
    train_config = TrainConfig(
        epochs=3,
        batch_size=16,
        lr=2e-3,
        warmup_ratio=0.05,
        max_length=TINY_MAX_LENGTH,
        patience=4,
        freeze_word_embeddings=False,
        seed=seed,
        device="cpu",
        progress=False,
    )
    # One thread: a model this small gains nothing from two, and under CPU
    # contention (tests beside anvil) two threads ran 7x slower per step.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model, _ = train_classifier(model, tokenizer, train, val, train_config, log=lambda _m: None)
    finally:
        torch.set_num_threads(threads)
    save_checkpoint(model, tokenizer, Path(out_dir), LabelMap.default(TINY_MAX_LENGTH))
    # The baseline beside it, so `oracle eval` on a tiny checkpoint shows both too.
    save_baseline(train_baseline(train.texts, train.labels, seed=seed), Path(out_dir))
    return Path(out_dir)
