"""One tiny from-scratch model per test session (~15 s), shared by the pipeline tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from oracle.model.pipeline import VerdictPipeline
from oracle.model.tiny import train_tiny_model


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_tiny_model(tmp_path_factory.mktemp("tiny") / "model", seed=0)


@pytest.fixture(scope="session")
def pipeline(tiny_model_dir: Path) -> VerdictPipeline:
    return VerdictPipeline.load(tiny_model_dir, device="cpu")
