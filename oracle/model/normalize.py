"""Undo cheap character-level obfuscation in memos before the model sees them.

Scammers write "cl41m y0ur r3ward", "C L A I M" or "v.e.r.i.f.y" to dodge keyword
filters. A pre-trained tokenizer splits such strings into meaningless pieces, so
this deterministic pass maps them back: it runs identically in training and
inference (it is part of the rendering, hence of what the model hash pins).
"""

from __future__ import annotations

import re
import unicodedata

# Digits/symbols used for letters. Only applied inside words that also contain
# letters, so amounts ("2291", "1.5") and hex ("0x12ab") stay as written.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
_LEET_CHARS = set("013457@$")
_WORD = re.compile(r"[0-9A-Za-z@$]+")
# Three or more single characters separated by one space, dot, dash, underscore or star.
_SPACED = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Za-z@$][ .\-_*]){2,}[0-9A-Za-z@$](?![0-9A-Za-z])")
_SEPARATORS = re.compile(r"[ .\-_*]")
_WHITESPACE = re.compile(r"\s+")
_HEXLIKE = re.compile(r"^(?:0x[0-9a-fA-F]*|[0-9a-fA-F]*[0-9][0-9a-fA-F]*)$")
_VERSIONED = re.compile(r"^[A-Za-z]{3,}[0-9]$")  # web3, uniswap3: a name, not leet


def normalize_memo(memo: str) -> str:
    """Lower-case, NFKC, collapsed letter spacing, de-leeted words, single spaces."""
    text = unicodedata.normalize("NFKC", memo)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = _SPACED.sub(lambda m: _SEPARATORS.sub("", m.group(0)), text)
    text = _WORD.sub(_unleet, text)
    return _WHITESPACE.sub(" ", text).strip().lower()


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    if _HEXLIKE.match(word) or _VERSIONED.match(word):
        return word
    letters = sum(ch.isalpha() for ch in word)
    leet = sum(ch in _LEET_CHARS for ch in word)
    others = len(word) - letters - leet
    # "r3ward" -> "reward", but "usdc1000", "2fa", "v2" and "erc20" stay: the word
    # must be mostly letters and use no digit that is not a letter stand-in.
    if leet == 0 or others or letters < 2 or letters < leet:
        return word
    return word.translate(_LEET)
