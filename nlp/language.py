"""Language identification for zh / en / ja, by script.

Kana settle Japanese; Han characters settle Chinese unless the text is
overwhelmingly Latin. Chinese tech news is full of English model names
(H100, MI300X, Blackwell), so Latin letters are weighed per word, not per
letter: a Chinese article with many product names stays Chinese.
"""

from __future__ import annotations

import re

# Runs of kana and of Han characters, counted by their lengths (one match per run
# rather than per character).
_KANA = re.compile(r"[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9d]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

SUPPORTED = ("zh", "en", "ja")


def detect_language(text: str, sample: int = 20_000) -> str:
    """Return "zh", "en" or "ja" for `text` (only the first `sample` chars are read)."""
    head = text[:sample]
    kana = letters(_KANA, head)
    han = letters(_HAN, head)
    latin_words = len(_LATIN_WORD.findall(head))
    if kana >= 2 and kana >= 0.08 * (kana + han):
        return "ja"
    # One Han character carries about as much as one Latin word.
    if han and han >= 0.5 * latin_words:
        return "zh"
    return "en"


def letters(runs: re.Pattern[str], text: str) -> int:
    """How many characters of `text` the pattern's runs cover (a pattern of runs makes
    one match per run, where one per character would make a match per letter)."""
    return sum(map(len, runs.findall(text)))
