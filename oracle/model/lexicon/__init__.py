"""Generator material added for issue 10: data files, one per job, loaded as `Lexicon`s.

- `english/compositional.json`: English memos built from parts (intent x object x register
  x channel), so the model sees sentence shapes rather than fixed templates.
- `english/slang.json`: a street-slang / euphemism lexicon per illicit category.
- `english/hard_negatives.json`: legal memos that carry every fraud/illicit keyword.
- `languages/<code>.json` (zh, es, ru, pt, tr, vi, ko): memos in seven languages for all
  three model classes.

Each file gives `legal`, `fraud`, `illicit` (family -> templates) and `pools` (slot ->
values), and says in `about` what it holds; `phrases.py` merges them into its banks, so
the generator-disjoint split (`generator_split.py`) hashes every new template and slot
value into one split like the rest. Written from docs/labels.md alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

Bank = dict[str, list[str]]
FOLDER = Path(__file__).resolve().parent
LANGUAGE_CODES: tuple[str, ...] = ("zh", "es", "ru", "pt", "tr", "vi", "ko")
# Merged in this order (phrases.py): a family or pool defined twice is an error.
ENGLISH_FILES: tuple[str, ...] = ("compositional", "slang", "hard_negatives")


@dataclass(frozen=True)
class Lexicon:
    """One source of generator material: templates per class and family, and slot pools."""

    name: str
    legal: Bank
    fraud: Bank
    illicit: Bank
    pools: Bank

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        data = json.loads(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(FOLDER))
        return cls(name, data["legal"], data["fraud"], data["illicit"], data["pools"])


# Language code -> its material; family names in the banks are "lang_<code>".
LANGUAGES: dict[str, Lexicon] = {
    code: Lexicon.load(FOLDER / "languages" / f"{code}.json") for code in LANGUAGE_CODES
}
ENGLISH: tuple[Lexicon, ...] = tuple(
    Lexicon.load(FOLDER / "english" / f"{name}.json") for name in ENGLISH_FILES
)
LANGUAGE_FAMILY_PREFIX = "lang_"
# Every memo in another language is wrapped in one of these (`{memo}` is the filled
# template): short natural phrases ("rent for december") are otherwise likely to be
# written word for word by anyone, the outside set's authors included, and a memo the
# generator shares verbatim with an evaluation set inflates that set's score.
LANGUAGE_WRAPPERS: list[str] = [
    "{memo} (ref {n})",
    "{n}: {memo}",
    "{memo} #{n}",
    "[{n}] {memo}",
    "{memo} / {n}",
    "{memo}, ref {n}",
    "{memo} ✅ {n}",
    "#{n} {memo} 🙏",
]
POOLS: dict[str, list[str]] = {"lang_wrapper": LANGUAGE_WRAPPERS}


def language_family(code: str) -> str:
    return f"{LANGUAGE_FAMILY_PREFIX}{code}"
