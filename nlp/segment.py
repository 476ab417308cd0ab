"""Chinese word segmentation with part-of-speech tags, on one private jieba tokenizer.

jieba's module-level tokenizer is global state shared with anything else in
the process; we build our own `jieba.Tokenizer`, teach it every Chinese alias
of the registry with the tag of its label (so 英伟达 and 昆仑芯 come out whole
as `nt`), and never touch the globals.
"""

from __future__ import annotations

import logging
import re

import jieba
import jieba.posseg

from nlp.aliases import AliasRegistry
from nlp.types import Token

_HAN = re.compile(r"[\u3400-\u9fff]")
_TAG_FOR_LABEL = {"ORG": "nt", "PERSON": "nr", "GPE": "ns", "PRODUCT": "nz", "EVENT": "nz"}
# Aliases of three characters or more get a high frequency so that they win
# over jieba's own splits (英伟达, not 英/伟达); two-character ones only a
# modest one, so that ordinary words around them still win (并联电容 stays
# 并联/电容 rather than 并/联电/容).
_LONG_ALIAS_FREQ = 50_000
_SHORT_ALIAS_FREQ = 300


class Segmenter:
    def __init__(self, registry: AliasRegistry) -> None:
        # jieba attaches a DEBUG stream handler to its logger at import; keep it quiet.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for name, record in registry.all_names():
            if _HAN.search(name) and " " not in name:
                freq = _LONG_ALIAS_FREQ if len(name) >= 3 else _SHORT_ALIAS_FREQ
                known = self.tokenizer.FREQ.get(name) or 0
                self.tokenizer.add_word(name, max(freq, known), _TAG_FOR_LABEL[record.label])
        self._pos = jieba.posseg.POSTokenizer(self.tokenizer)

    def tokens(self, text: str) -> list[Token]:
        """Words with offsets and jieba POS tags; whitespace is dropped."""
        out: list[Token] = []
        pos = 0
        for pair in self._pos.cut(text):
            word, flag = pair.word, pair.flag
            start = pos if text.startswith(word, pos) else text.find(word, pos)
            if start < 0:
                continue
            pos = start + len(word)
            if word.strip():
                out.append(Token(start, pos, word, flag))
        return out

    def search_words(self, text: str) -> str:
        """The text as space-separated words for the full-text index (fine-grained)."""
        return " ".join(w for w in self.tokenizer.cut_for_search(text) if w.strip())
