"""`oracle train`'s recipe flags reach TrainConfig; bad values are one-line errors."""

import pytest
from typer.testing import CliRunner

import oracle.model.training_run as training_run
from oracle.cli import app
from oracle.model.train import TrainConfig


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[TrainConfig]:
    seen: list[TrainConfig] = []
    monkeypatch.setattr(training_run, "run_training", lambda cfg, log: seen.append(cfg.train))
    return seen


def test_train_flags__recipe_options__parsed_into_the_config(captured: list[TrainConfig]):
    result = CliRunner().invoke(
        app,
        [
            "train",
            "--label-smoothing",
            "0.1",
            "--unfreeze-embeddings",
            "--no-fused",
            "--no-calibrate",
        ],
    )
    assert result.exit_code == 0, result.output
    (config,) = captured
    assert config.label_smoothing == 0.1
    assert config.freeze_word_embeddings is False
    assert config.fused is False and config.calibrate is False


def test_train_flags__defaults__are_the_trainconfig_defaults(captured: list[TrainConfig]):
    assert CliRunner().invoke(app, ["train"]).exit_code == 0
    (config,) = captured
    default = TrainConfig()
    assert (config.fused, config.calibrate, config.label_smoothing) == (
        default.fused,
        default.calibrate,
        default.label_smoothing,
    )
    assert config.freeze_word_embeddings == default.freeze_word_embeddings


def test_train_flags__label_smoothing_out_of_range__one_line_error(captured: list[TrainConfig]):
    result = CliRunner().invoke(app, ["train", "--label-smoothing", "1.5"])
    assert result.exit_code != 0 and not captured
    assert "--label-smoothing must be in [0, 1)" in result.output
