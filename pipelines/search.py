"""Search words for the full-text index: segmented the way the index was written."""

from __future__ import annotations

import re
from functools import cache

from nlp.aliases import default_registry
from nlp.segment import Segmenter

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@cache
def _segmenter() -> Segmenter:
    return Segmenter(default_registry())


def search_words(text: str) -> list[str]:
    """Words of a query: jieba words for CJK text, whitespace words otherwise."""
    text = text.strip()
    if not text:
        return []
    if _CJK.search(text):
        return [w for w in _segmenter().tokenizer.cut(text) if w.strip()]
    return re.findall(r"[\w'-]+", text)
