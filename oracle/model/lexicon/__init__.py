"""Generator material added for issue 10, one small data module per job.

- `compositional.py`: English memos built from parts (intent x object x register x
  channel), so the model sees sentence shapes rather than fixed templates.
- `slang.py`: a street-slang / euphemism lexicon per illicit category.
- `hard_negatives.py`: legal memos that carry every fraud/illicit keyword.
- `zh.py`, `es.py`, `ru.py`, `pt.py`, `tr.py`, `vi.py`, `ko.py`: memos in seven
  languages for all three model classes.

Each module exports `LEGAL`, `FRAUD`, `ILLICIT` (family -> templates) and `POOLS`
(slot -> values); `phrases.py` merges them into its banks, so the generator-disjoint
split (`generator_split.py`) hashes every new template and slot value into one
split like the rest. Written from docs/labels.md alone.
"""

from __future__ import annotations

from types import ModuleType

from oracle.model.lexicon import (
    compositional,
    es,
    hard_negatives,
    ko,
    pt,
    ru,
    slang,
    tr,
    vi,
    zh,
)

# Language code -> its module; family names in the banks are "lang_<code>".
LANGUAGES: dict[str, ModuleType] = {
    "zh": zh,
    "es": es,
    "ru": ru,
    "pt": pt,
    "tr": tr,
    "vi": vi,
    "ko": ko,
}
ENGLISH_MODULES: tuple[ModuleType, ...] = (compositional, slang, hard_negatives)
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
