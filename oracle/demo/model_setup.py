"""Find or build the model the demo's validators run.

`default` trains MiniLM into `models/default` once (`oracle train`, with its
progress bar) and reuses it afterwards; `tiny` trains the small test network
into the work folder in seconds (cached too). A folder that exists but does not
load is reported as corrupt with the command that fixes it, never silently reused.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

DEFAULT_MODEL_DIR = Path("models/default")


class ModelSetupError(RuntimeError):
    """The model is missing or corrupt and could not be (re)built."""


def ensure_model(choice: str, workdir: Path, log: Callable[[str], None]) -> tuple[Path, str]:
    """The checkpoint folder to use and its model hash."""
    if choice == "tiny":
        folder = workdir / "tiny-model"
        if not _looks_complete(folder):
            log(f"training the tiny test model into {folder} (seconds; cached afterwards)")
            from oracle.model.tiny import train_tiny_model

            train_tiny_model(folder)
        return folder, checked_hash(folder, fix=f"rm -rf {folder} and run the demo again")
    if choice == "default":
        folder = DEFAULT_MODEL_DIR
        if not folder.exists():
            log(f"{folder} is missing: training the default MiniLM model (once; cached afterwards)")
            result = subprocess.run([sys.executable, "-m", "oracle.cli", "train"], check=False)
            if result.returncode != 0:
                raise ModelSetupError(
                    f"`oracle train` failed with status {result.returncode}: read its output "
                    "above, fix it, then run `make demo` again (or try ORACLE_DEMO_MODEL=tiny)"
                )
        return folder, checked_hash(
            folder, fix=f"rm -rf {folder} and run `make demo` again to retrain"
        )
    folder = Path(choice)
    if not folder.is_dir():
        raise ModelSetupError(
            f"ORACLE_DEMO_MODEL={choice!r} is neither 'default', 'tiny' nor a checkpoint folder"
        )
    return folder, checked_hash(
        folder, fix="point ORACLE_DEMO_MODEL at a folder `oracle train` wrote"
    )


def checked_hash(folder: Path, *, fix: str) -> str:
    """The model hash, or a ModelSetupError that calls the folder corrupt and says how to fix it."""
    from oracle.model.checkpoint import model_hash

    needed = ("config.json", "model.safetensors", "label_map.json", "vocab.txt")
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise ModelSetupError(
            f"model folder {folder} is corrupt (missing {', '.join(missing)}): {fix}"
        )
    try:
        return model_hash(folder)
    except Exception as exc:
        raise ModelSetupError(f"model folder {folder} is corrupt ({exc}): {fix}") from None


def _looks_complete(folder: Path) -> bool:
    return (folder / "model.safetensors").is_file() and (folder / "label_map.json").is_file()
