"""The shipped pre-trained MiniLM loads offline and runs a forward pass as a classifier."""

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from oracle.model.checkpoint import pretrained_minilm_path, quiet_transformers


def test_minilm__shipped_weights__load_offline_and_classify_a_batch():
    quiet_transformers()
    path = pretrained_minilm_path()
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    model = AutoModelForSequenceClassification.from_pretrained(str(path), num_labels=3).eval()
    assert model.config.num_hidden_layers == 6 and model.config.hidden_size == 384
    batch = tokenizer(
        ["transfer | memo: rent for june", "approve | memo: claim your reward"],
        padding=True,
        return_tensors="pt",
    )
    with torch.no_grad():
        logits = model(**batch).logits
    assert logits.shape == (2, 3)
    assert torch.isfinite(logits).all()
    # The encoder is pre-trained, not random: related texts embed closer than unrelated ones.
    with torch.no_grad():
        emb = model.bert(
            **tokenizer(
                ["pay the rent", "rent payment", "stolen credit cards"],
                padding=True,
                return_tensors="pt",
            )
        ).last_hidden_state[:, 0]
    cos = torch.nn.functional.cosine_similarity
    assert cos(emb[0], emb[1], dim=0) > cos(emb[0], emb[2], dim=0)
