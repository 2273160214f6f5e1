"""Fixtures for the security tests: a real (tiny, trained) model and its verdict pipeline.

The tiny model has the real tokenizer, checkpoint format and inference path; only the
network is small, so every hostile payload goes through a real forward pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from oracle.model.pipeline import VerdictPipeline
from oracle.model.tiny import train_tiny_model

# The contract's hard cap on maxPayloadSize: the largest payload a proposal can carry.
CONTRACT_MAX_PAYLOAD = 65_536


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A small training set: these tests need a working model, not an accurate one.
    return train_tiny_model(tmp_path_factory.mktemp("tiny") / "model", seed=0, n_records=300)


@pytest.fixture(scope="session")
def pipeline(tiny_model_dir: Path) -> VerdictPipeline:
    return VerdictPipeline.load(
        tiny_model_dir, device="cpu", chain_id=1, max_payload_size=CONTRACT_MAX_PAYLOAD
    )
