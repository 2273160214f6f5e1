"""Where the project's outside evaluation set lives: `oracle/data/outside/`.

Built by `scripts/make_outside_set.py` from memos written independently of the
training generator. EVALUATION ONLY: only `evaluate.py`'s suite (and through it
`oracle eval --suite` and the model card) may import this module; training,
validation and model selection never read these files (a test checks both).
"""

from __future__ import annotations

from pathlib import Path

from oracle.model.address_book import DATA_DIR

OUTSIDE_DIR = DATA_DIR / "outside"
OUTSIDE_SETS: dict[str, Path] = {
    "outside": OUTSIDE_DIR / "main.jsonl",
    "outside_obfuscated": OUTSIDE_DIR / "obfuscated.jsonl",
    "outside_multilingual": OUTSIDE_DIR / "multilingual.jsonl",
}
