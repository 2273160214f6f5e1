"""The validator's log formats: a JSON line per record for log shippers, or human text."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from oracle.validator.log_setup import configure_logging
from oracle.validator.settings import ConfigError, ValidatorSettings


@contextmanager
def bare_root_logger() -> Iterator[None]:
    """A root logger with no handler, as a fresh `oracle validator run` process has; pytest's
    handlers are put back afterwards, and the test's own (on a captured stream) closed."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers[:] = []
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)


def test_json_format__record_with_exception__one_parseable_line_with_its_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    log = logging.getLogger("oracle.validator.engine")
    with bare_root_logger():
        configure_logging("INFO", "json")
        try:
            raise RuntimeError("reveal reverted")
        except RuntimeError:
            log.exception("round %d: reveal failed", 7)
        log.debug("below the level: not written")
        lines = capsys.readouterr().err.splitlines()
        configure_logging("INFO", "text")  # a second call changes nothing: still JSON
        log.warning("second")
        assert json.loads(capsys.readouterr().err)["message"] == "second"

    assert len(lines) == 1, lines  # the traceback is inside the one line
    entry = json.loads(lines[0])
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "oracle.validator.engine"
    assert entry["message"] == "round 7: reveal failed"
    assert "RuntimeError: reveal reverted" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_text_format__human_line_with_level_and_logger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with bare_root_logger():
        configure_logging("INFO", "text")
        logging.getLogger("oracle.validator.engine").warning("signer balance low")
        line = capsys.readouterr().err.strip()
    assert line.endswith("WARNING oracle.validator.engine: signer balance low")
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_settings__log_format__json_accepted_and_unknown_refused_naming_the_choices(
    tmp_path: Path,
) -> None:
    cfg = tmp_path / "v.toml"
    cfg.write_text('signer_keystore = "k.json"\nlog_format = "json"\n')
    assert ValidatorSettings.from_file(cfg).log_format == "json"
    cfg.write_text('signer_keystore = "k.json"\nlog_format = "xml"\n')
    with pytest.raises(ConfigError) as err:
        ValidatorSettings.from_file(cfg)
    assert "log_format" in str(err.value) and "json" in str(err.value)
