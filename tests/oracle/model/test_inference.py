"""The inference engine: bucketing and batch size never change the argmax; order is kept."""

import numpy as np
import pytest

from oracle.model.inference import EngineConfig, InferenceEngine
from oracle.model.train import length_bucketed_batches

TEXTS = [
    "eth_transfer | memo: rent for june | to: unknown 0x2222..2222 | value: 1 ETH",
    "eth_transfer | memo: payment for cocaine | to: unknown 0x2222..2222 | value: 1 ETH",
    "transfer | memo: (none) | contract: known:USDC | value: 0 ETH | "
    "recipient: unknown 0x9999..9999 | amount: 0 USDC (zero-value)",
    "approve | memo: claim your reward now | contract: known:DAI | value: 0 ETH | "
    "spender: unknown 0xabcd..ef01 | amount: unlimited",
] * 7


@pytest.mark.parametrize("batch_size", [1, 3, 64])
def test_engine__any_batch_size__same_predictions_as_one_big_batch(tiny_model_dir, batch_size):
    reference = InferenceEngine.load(tiny_model_dir, "cpu", EngineConfig(batch_size=256)).predict(
        TEXTS
    )
    engine = InferenceEngine.load(
        tiny_model_dir, "cpu", EngineConfig(batch_size=batch_size, chunk_size=5)
    )
    classes, confidence = engine.predict(TEXTS)
    assert np.array_equal(classes, reference[0])
    assert np.allclose(confidence, reference[1], atol=1e-4)
    # rows of the same text get the same answer wherever the buckets put them
    assert len({int(c) for c in classes[0::4]}) == 1


def test_engine__empty_input__returns_empty_arrays(tiny_model_dir):
    classes, confidence = InferenceEngine.load(tiny_model_dir, "cpu").predict([])
    assert classes.shape == (0,) and confidence.shape == (0,)


def test_length_bucketed_batches__every_index_exactly_once():
    import random

    lengths = [random.Random(i).randrange(5, 90) for i in range(1000)]
    batches = length_bucketed_batches(lengths, 32, random.Random(0))
    flat = sorted(i for b in batches for i in b)
    assert flat == list(range(1000))
    assert max(len(b) for b in batches) == 32
