"""Chinese word segmentation with part-of-speech tags, on one private jieba tokenizer.

jieba's module-level tokenizer is global state shared with anything else in
the process; we build our own `jieba.Tokenizer`, teach it every Chinese alias
of the registry with the tag of its label (so 英伟达 and 昆仑芯 come out whole
as `nt`), and never touch the globals.

Words come from jieba's segmenter (with its HMM for new words); each word's
tag from jieba's dictionary and the registry. jieba.posseg's character-level
tagging HMM is not used: it runs at a few hundred characters a second on
ordinary news here. New words it would have called people (`nr`) are found by
family name instead (nlp/data/names.toml).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from importlib import resources

import jieba
import jieba.posseg

from nlp.aliases import AliasRegistry
from nlp.types import Token

_HAN = re.compile(r"[\u3400-\u9fff]+")
_TAG_FOR_LABEL = {"ORG": "nt", "PERSON": "nr", "GPE": "ns", "PRODUCT": "nz", "EVENT": "nz"}
# Aliases of three characters or more get a high frequency so that they win
# over jieba's own splits (英伟达, not 英/伟达); two-character ones only a
# modest one, so that ordinary words around them still win (并联电容 stays
# 并联/电容 rather than 并/联电/容).
_LONG_ALIAS_FREQ = 50_000
_SHORT_ALIAS_FREQ = 300
_NUMBER = re.compile(r"[0-9０-９.．]+")
# 256+ characters without a Han character (always a whole run: it ends where Han
# text or the document does, where jieba would cut too)
_NO_HAN_STRETCH = re.compile(r"[^\u3400-\u9fff]{256,}")
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+(?:\.[0-9]+)?%?|[\u3040-\u30ff]+")
_LATIN = re.compile(r"[A-Za-z]+")
MAX_KNOWN_TAGS = 100_000  # words whose tag a Segmenter remembers
# Han blocks (jieba's unit of work: a run of Han, Latin letters and digits) of up
# to this many characters have their words remembered: a word or two, which recur
# in any text (the kanji between kana in Japanese above all); a longer block is
# mostly a phrase seen once, and is cut each time.
SHORT_BLOCK = 4
MAX_KNOWN_BLOCKS = 100_000


@cache
def chinese_name_chars() -> tuple[frozenset[str], frozenset[str]]:
    """Family names, and characters that never follow one (nlp/data/names.toml)."""
    raw = tomllib.loads(resources.files("nlp").joinpath("data/names.toml").read_text("utf-8"))
    chinese = raw["chinese"]
    return frozenset(chinese["surnames"]), frozenset(chinese["not_in_given_names"])


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
        posseg = jieba.posseg.POSTokenizer(self.tokenizer)
        posseg.makesure_userdict_loaded()
        self._tags: dict[str, str] = posseg.word_tag_tab
        # Each word's tag as `_tag` gives it, however it got it (the dictionary, a
        # family name, the shape of a number): one lookup for a word seen before.
        self._known_tags: dict[str, str] = {}
        self._known_blocks: dict[str, tuple[str, ...]] = {}
        # jieba's cut of one Han block (dictionary, then HMM): a private method, but
        # jieba has not changed since 2020 and `words` is tested against its `cut`.
        cut_block = self.tokenizer._Tokenizer__cut_DAG  # type: ignore[attr-defined]
        self._cut_block: Callable[[str], Iterator[str]] = cut_block
        self._surnames, self._not_given = chinese_name_chars()

    def tokens(self, text: str) -> list[Token]:
        """Words with offsets and POS tags (jieba's tag set); whitespace is dropped.

        Long stretches without a Chinese character (an English passage, a table
        of numbers, 1 MB of `((((`) skip jieba, whose per-piece cost made them
        the slowest text of all: a regex takes their words the way jieba cuts
        them (runs of letters and digits, `75.1%` whole, kana runs); their
        punctuation, which no later step looks at, gives no tokens."""
        out: list[Token] = []
        done = 0
        tags: dict[str, str] = {}
        for stretch in _NO_HAN_STRETCH.finditer(text):
            self._cut_into(out, text, done, stretch.start())
            for m in _PLAIN_WORD.finditer(text, stretch.start(), stretch.end()):
                word = m.group()
                tag = tags.get(word) or tags.setdefault(word, self._tag(word))
                out.append(Token(m.start(), m.end(), word, tag))
            done = stretch.end()
        self._cut_into(out, text, done, len(text))
        return out

    def _cut_into(self, out: list[Token], text: str, begin: int, end: int) -> None:
        if begin >= end:
            return
        piece = text[begin:end]
        pos = 0
        known = self._known_tags
        for word in self.words(piece):
            # jieba yields the text piece by piece; look a little ahead in case it skipped
            start = pos if piece.startswith(word, pos) else piece.find(word, pos, pos + 64)
            if start < 0:
                continue
            pos = start + len(word)
            if word.strip():
                tag = known.get(word) or self._remember_tag(word)
                out.append(Token(begin + start, begin + pos, word, tag))

    def words(self, text: str) -> Iterator[str]:
        """jieba's `cut(text, HMM=True)`, the words of short Han blocks remembered.

        jieba splits the text into Han blocks, which its dictionary and HMM cut,
        and the rest, which it yields a whitespace run or a character at a time;
        this splits it the same way, with jieba's own expressions."""
        known = self._known_blocks
        for block in jieba.re_han_default.split(text):
            if not block:
                continue
            if jieba.re_han_default.match(block):
                words = known.get(block)
                if words is None:
                    words = tuple(self._cut_block(block))
                    if len(block) <= SHORT_BLOCK and len(known) < MAX_KNOWN_BLOCKS:
                        known[block] = words
                yield from words
                continue
            for part in jieba.re_skip_default.split(block):
                if jieba.re_skip_default.match(part):
                    yield part
                else:
                    yield from part

    def _remember_tag(self, word: str) -> str:
        """`_tag(word)`, kept for the next time while fewer than MAX_KNOWN_TAGS are."""
        tag = self._tag(word)
        if len(self._known_tags) < MAX_KNOWN_TAGS:
            self._known_tags[word] = tag
        return tag

    def _tag(self, word: str) -> str:
        tag = self._tags.get(word)
        if tag:
            return tag
        if _HAN.match(word):
            given = word[1:]
            if 2 <= len(word) <= 3 and word[0] in self._surnames and _HAN.fullmatch(given):
                if not any(ch in self._not_given for ch in given):
                    return "nr"  # a new word led by a family name: a person
            return "x"
        if _NUMBER.fullmatch(word):
            return "m"
        return "eng" if _LATIN.fullmatch(word) else "x"

    def search_words(self, text: str) -> str:
        """The text as space-separated words for the full-text index (fine-grained):
        jieba's `cut_for_search`."""
        return " ".join(self._with_parts([w for w in self.words(text) if w.strip()]))

    def search_words_of(self, tokens: Sequence[Token]) -> str:
        """`search_words` of text already cut into `tokens`, without cutting it again."""
        return " ".join(self._with_parts([token.text for token in tokens]))

    def _with_parts(self, words: list[str]) -> list[str]:
        """Each word, preceded by the dictionary words of two and three characters
        inside it (what jieba's cut_for_search adds)."""
        freq = self.tokenizer.FREQ
        out: list[str] = []
        for word in words:
            if len(word) > 2:
                out.extend(g for i in range(len(word) - 1) if freq.get(g := word[i : i + 2]))
                if len(word) > 3:
                    out.extend(g for i in range(len(word) - 2) if freq.get(g := word[i : i + 3]))
            out.append(word)
        return out
