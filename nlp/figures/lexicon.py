"""The word tables of `nlp/data/figures.toml`, compiled for lookups at a position.

A lookup asks: which listed word starts (or ends) exactly here? The longest
one wins, and a word in the text's own letter case beats one matched
case-blind. Each lookup costs at most one comparison per listed word sharing
the first (or last) character, so scanning stays linear in the text.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LANGS = ("zh", "en", "ja")


@dataclass(frozen=True, slots=True)
class Word:
    surface: str
    category: str
    payload: Any = None
    case_sensitive: bool = True

    @property
    def latin(self) -> bool:
        return self.surface[:1].isascii() and self.surface[:1].isalpha()


def default_case_rule(surface: str) -> bool:
    """Short Latin symbols (GB, Gb, W, k, bn, pp) keep their case; words and
    phrases (million, Less than, U.S. dollars) match in any case."""
    if not surface.isascii():
        return True
    letters = surface.replace(" ", "").replace(".", "").replace("-", "")
    return len(surface) <= 3 or not letters.isalpha()


def blind_case_rule(surface: str) -> bool:
    """Currency prefixes match in any case (c $, hk $, usd)."""
    return False


def _exact_case(surface: str) -> bool:
    return True


def currency_case_rule(surface: str) -> bool:
    """ISO codes written after a number match in any case (10 rmb, 20 usd)."""
    if len(surface) >= 3 and surface.isascii() and surface.isalpha() and surface.isupper():
        return False
    return default_case_rule(surface)


class WordTable:
    """Words found by slicing the text at each length a listed word can have
    there, and looking the slice up: a few dictionary lookups per position,
    however many words are listed."""

    def __init__(self, words: Iterable[Word]) -> None:
        # Case-sensitive words under their surface, case-blind ones lower-cased.
        self._index: dict[str, list[_Entry]] = {}
        first_sizes: dict[str, set[int]] = {}
        last_sizes: dict[str, set[int]] = {}
        self._all: list[_Entry] = []
        for word in words:
            entry = _Entry.of(word)
            self._all.append(entry)
            key = entry.surface if entry.case_sensitive else entry.folded
            self._index.setdefault(key, []).append(entry)
            for first in _cases(entry, entry.surface[0]):
                first_sizes.setdefault(first, set()).add(entry.size)
            for last in _cases(entry, entry.surface[-1]):
                last_sizes.setdefault(last, set()).add(entry.size)
        self._first_sizes = {c: sorted(v, reverse=True) for c, v in first_sizes.items()}
        self._last_sizes = {c: sorted(v, reverse=True) for c, v in last_sizes.items()}

    def words(self, category: str) -> list[Word]:
        """Every word of one category."""
        return [e.word for e in self._all if e.category == category]

    def words_where(self, keep: Callable[[Word], bool]) -> list[Word]:
        """Every word `keep` accepts."""
        return [e.word for e in self._all if keep(e.word)]

    def first_chars(self) -> frozenset[str]:
        """The characters a listed word can start with (as written or lower-cased)."""
        return frozenset(self._first_sizes)

    def longest_at(
        self,
        text: str,
        lowered: str,
        pos: int,
        categories: frozenset[str] | None = None,
        digits_after: bool = False,
    ) -> Word | None:
        """The longest word of `categories` starting at `pos`, or None. A Latin word
        must not run on into letters (m in million), nor into digits unless
        `digits_after` (USD50, but not m2 in 24703m212)."""
        sizes = self._first_sizes.get(text[pos : pos + 1])
        if not sizes:
            return None
        for size in sizes:
            end = pos + size
            for entry in self._entries(text[pos:end], lowered[pos:end], categories):
                if entry.latin_tail:
                    after = text[end : end + 1]
                    if after.isascii() and (
                        after.isalpha() or (after.isdigit() and not digits_after)
                    ):
                        continue  # "m" in "million" is not the word "m"
                return entry.word
        return None

    def ending_at(
        self, text: str, lowered: str, end: int, categories: frozenset[str] | None = None
    ) -> Word | None:
        """The longest word ending exactly at `end` (words written before a number)."""
        if end <= 0 or end > len(text):
            return None
        sizes = self._last_sizes.get(text[end - 1])
        if not sizes:
            return None
        for size in sizes:
            start = end - size
            if start < 0:
                continue
            for entry in self._entries(text[start:end], lowered[start:end], categories):
                if entry.latin_head and start > 0 and _alnum_at(text, start - 1):
                    continue
                return entry.word
        return None

    def _entries(
        self, written: str, lowered: str, categories: frozenset[str] | None
    ) -> Iterator[_Entry]:
        """Index entries for a slice: as written first, then case-blind ones by its
        lowercase form, within `categories`."""
        index = self._index
        for entries, blind_only in ((index.get(written), False), (index.get(lowered), True)):
            for entry in entries or ():
                if blind_only and (entry.case_sensitive or written == lowered):
                    continue  # as written was tried first
                if categories is None or entry.category in categories:
                    yield entry


def _cases(entry: _Entry, char: str) -> set[str]:
    """The ways `char` can be written in the text for this entry to match."""
    return {char} if entry.case_sensitive else {char, char.lower(), char.upper()}


@dataclass(frozen=True, slots=True)
class _Entry:
    """A word with what its lookups need precomputed."""

    word: Word
    surface: str
    folded: str  # lower-cased, what case-blind matching compares
    size: int
    category: str
    case_sensitive: bool
    latin_head: bool  # must not be glued to a letter or digit before it
    latin_tail: bool  # must not run on into letters after it

    @staticmethod
    def of(word: Word) -> _Entry:
        surface = word.surface
        return _Entry(
            word=word,
            surface=surface,
            folded=surface.lower(),
            size=len(surface),
            category=word.category,
            case_sensitive=word.case_sensitive,
            latin_head=word.latin,
            latin_tail=word.latin and surface[-1].isalnum(),
        )


def _alnum_at(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and text[pos].isascii() and text[pos].isalnum()


@dataclass(frozen=True)
class Lexicon:
    """Everything figures.toml says, ready for lookups (see the comments there)."""

    suffixes: dict[str, WordTable]  # per language: scale words, units, currencies, dates
    prefixes: WordTable  # currency signs and words written before a number
    qualifiers_before: WordTable  # category = the qualifier
    qualifiers_after: WordTable
    per_unit: dict[str, float]  # 百分之 -> 1.0, 千分之 -> 0.1
    yen_by_lang: dict[str, str]  # ¥ is CNY in Chinese text, JPY otherwise
    yen_marked: dict[str, str]  # JP¥, CN¥
    subunits: dict[str, float]  # cents -> 0.01, 角 -> 0.1
    count_multipliers: dict[str, float]  # 打 -> 12
    pounds_code: str  # "pounds" as money
    pounds_weight: str  # "pounds" as a weight
    vague_cjk: tuple[str, ...]  # 数, 几, 十几: before unit characters
    shang_not_after: tuple[str, ...]  # 站上千亿元 is no vague 上千
    vague_plurals: tuple[str, ...]  # tens, hundreds (of thousands)
    vague_some: tuple[str, ...]  # several, a few
    halves: tuple[str, ...]  # 一半, 半数: a fraction of 0.5
    half_more_than: frozenset[str]  # 过半
    half_percent: dict[str, float]  # 半成 -> 5, 半折 -> 50
    half_percent_after_da: dict[str, float]  # 打对折 -> 50
    en_not_nouns: frozenset[str]  # words after a number that are not what it counts
    en_between: frozenset[str]  # "more", "new": between a number and its noun
    zh_verbs: tuple[str, ...]  # 约占, 最多可: verbs a Chinese qualifier reaches over
    joiners: frozenset[str]  # 约为, 超过了: one character between qualifier and number
    not_qualifiers: tuple[str, ...]  # 最近, 附近: words that end in a qualifier
    span_words: frozenset[str]  # "over five years": no bound before a duration
    name_families: WordTable  # RTX, Gaudi, Computex: a number after them is a name
    names_after: WordTable  # series, 系列: a number before them is a name
    names_glued: tuple[str, ...]  # 36氪, 3M: names that begin with digits
    months_en: WordTable
    marks_before: WordTable  # ordinal (第), id (股票代码) and time (下午) words before a number
    cjk_words: tuple[str, ...]  # 统一, 四川: words written with numerals


@cache
def load_lexicon() -> Lexicon:
    raw = tomllib.loads(
        resources.files("nlp").joinpath("data/figures.toml").read_text(encoding="utf-8")
    )
    common = _suffix_words(raw)
    suffixes = {}
    for lang in LANGS:
        scoped = raw["duration_by_language"].get(lang, {})
        words = [*common, *(_word(s, "duration", unit) for s, unit in scoped.items())]
        if scoped:
            words = [w for w in words if not (w.category == "score" and w.surface in scoped)]
        suffixes[lang] = WordTable(words)
    yen = raw["currency"]["yen_sign"]
    prefixes = [
        _word(s, "currency", c, blind_case_rule) for s, c in raw["currency"]["prefix"].items()
    ]
    prefixes += [_word(s, "yen") for s in (*yen["signs"], *yen["marked"])]
    qualifier = raw["qualifier"]
    verbs = qualifier["verbs_zh"]
    names = raw["names"]
    return Lexicon(
        suffixes=suffixes,
        prefixes=WordTable(prefixes),
        qualifiers_before=_table_of_lists(qualifier["before"]),
        qualifiers_after=_table_of_lists(qualifier["after"]),
        per_unit=dict(raw["percent"]["per_unit"]),
        yen_by_lang={lang: yen[lang] for lang in LANGS},
        yen_marked=dict(yen["marked"]),
        subunits=dict(raw["currency"]["subunits"]),
        count_multipliers=dict(raw["count"]["multipliers"]),
        pounds_code=raw["currency"]["pounds"]["code"],
        pounds_weight=raw["currency"]["pounds"]["weight_unit"],
        vague_cjk=tuple(raw["vague"]["cjk_prefix"]),
        shang_not_after=tuple(raw["vague"]["cjk_shang_not_after"]),
        vague_plurals=tuple(raw["vague"]["latin_plurals"]),
        vague_some=tuple(raw["vague"]["latin_some"]),
        halves=tuple(raw["half"]["fraction"]),
        half_more_than=frozenset(raw["half"]["more_than"]),
        half_percent=dict(raw["half"]["percent"]),
        half_percent_after_da=dict(raw["half"]["percent_after_da"]),
        en_not_nouns=frozenset(raw["count"]["en_not_nouns"]),
        en_between=frozenset(raw["count"]["en_between"]),
        zh_verbs=tuple(verbs["verbs"]),
        joiners=frozenset(verbs["joiners"]),
        not_qualifiers=tuple(verbs["not_qualifiers"]),
        span_words=frozenset(verbs["span_words"]),
        name_families=WordTable(_word(s, "family", rule=_exact_case) for s in names["families"]),
        names_after=WordTable(_word(s, "name") for s in names["after"]),
        names_glued=tuple(names["glued"]),
        months_en=WordTable(_word(s, "month", rule=blind_case_rule) for s in names["months_en"]),
        marks_before=WordTable(
            [
                *(_word(s, "ordinal") for s in names["ordinal_before"]),
                *(_word(s, "id") for s in names["ids_before"] if s not in names["ordinal_before"]),
                *(_word(s, "time") for s in names["times_before"]),
            ]
        ),
        cjk_words=tuple(names["cjk_words"]),
    )


def _word(
    surface: str, category: str, payload: Any = None, rule: Callable[[str], bool] | None = None
) -> Word:
    return Word(surface, category, payload, (rule or default_case_rule)(surface))


def _table_of_lists(section: dict[str, list[str]]) -> WordTable:
    return WordTable(_word(s, name) for name, words in section.items() for s in words)


def _suffix_words(raw: dict[str, Any]) -> list[Word]:
    """Everything that can be written right after a number, with its category."""
    words: list[Word] = []

    def add(category: str, items: Iterable[Any]) -> None:
        rule = currency_case_rule if category == "currency" else None
        for item in items:
            surface, payload = item if isinstance(item, tuple) else (item, None)
            words.append(_word(surface, category, payload, rule))

    add("scale", raw["scale"]["cjk"].items())
    add("scale", raw["scale"]["latin"].items())
    add("money_scale", raw["scale"]["money_only"].items())
    add("currency", raw["currency"]["suffix"].items())
    add("pounds", raw["currency"]["pounds"]["words"])
    add("percent", raw["percent"]["suffix"])
    add("percent_tenths", raw["percent"]["tenths"])
    add("percentage_point", raw["percentage_point"]["suffix"])
    add("basis_point", raw["percentage_point"]["basis"])
    add("multiple", raw["multiple"]["suffix"])
    add("score", raw["score"]["suffix"])
    add("dimension", raw["dimension"].items())
    add("dimension_symbol", raw["dimension_symbols"].items())
    add("duration", raw["duration"].items())
    add("count", raw["count"]["cjk"])
    add("date", raw["dates"]["cjk_after"])
    add("ordinal", raw["dates"]["en_ordinal"])
    add("date", raw["dates"]["en_times"])
    add("inside_more", ["多", "余", "餘", "有余", "有餘", "+"])
    return words


def alternation(words: Iterable[str]) -> str:
    """A regex that matches any of `words`, the longest one first, written as a
    trie: 一(?:切|看|些) tries 一 once, where 一切|一看|一些 would try it three times."""
    trie: dict[str, dict] = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(trie) or "(?!)"


def _trie_node(node: dict[str, dict]) -> str:
    children = sorted((char, sub) for char, sub in node.items() if char)
    ends = [char for char, sub in children if list(sub) == [""]]
    parts = [re.escape(char) + _trie_node(sub) for char, sub in children if list(sub) != [""]]
    if ends:
        parts.append(re.escape(ends[0]) if len(ends) == 1 else f"[{''.join(map(re.escape, ends))}]")
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in node else body
