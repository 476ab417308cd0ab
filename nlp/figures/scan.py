"""Where the numbers are: the number cores of a text, each read to a value.

Two patterns (`nlp.figures.patterns`) find the cores in one pass each: one
over the shadow text for digits and Chinese numerals (3,000, 1.2万, 一千二百亿,
百分之十二, 三分之一, 3/4, 一半, 数万), one over the lower-cased text for
English number words. A reader per kind of match turns it into a `Candidate`
with its value; a core is only the number itself, and units, currencies,
ranges and qualifiers are read around it by `nlp.figures.extract`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from nlp.figures import english
from nlp.figures.candidate import Candidate
from nlp.figures.lexicon import Lexicon
from nlp.figures.numerals import (
    CN_BIG_UNITS,
    CN_SMALL_UNITS,
    CN_VAGUE_MARKS,
    MAX_DIGITS,
    MAX_INTEGER_DIGITS,
    parse_arabic,
    parse_chinese,
    same_length_lower,
    shadow,
)
from nlp.figures.patterns import (
    CN_DIGIT,
    CN_MARK,
    CN_UNIT,
    VULGAR_FRACTIONS,
    cjk_pattern,
    english_pattern,
)


@dataclass(frozen=True, slots=True)
class Page:
    """One text in the three forms the scan reads; all share offsets."""

    text: str  # as given
    sh: str  # full-width forms mapped to ASCII, one character for one
    low: str  # `sh` lower-cased, same length
    lang: str

    @staticmethod
    def of(text: str, lang: str) -> Page:
        sh = shadow(text)
        return Page(text, sh, same_length_lower(sh), lang)


Reader = Callable[[Page, re.Match[str], bool], Iterator[Candidate]]


class Scanner:
    """Finds and reads the number cores of a page; built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self._cjk = cjk_pattern(lexicon)
        self._english = english_pattern(lexicon)
        self._bounds = frozenset(
            w.surface.split()[-1].lower()
            for w in lexicon.qualifiers_before.words_where(lambda w: w.latin)
        )
        self._readers: dict[str, Reader] = {
            "list": self._read_list,
            "per_unit": self._read_per_unit,
            "fraction": self._read_fraction,
            "half": self._read_half,
            "vague": self._read_vague,
            "slash": self._read_slash,
            "numeral": self._read_numeral,
            "en_vague": self._read_en_vague,
            "english": self._read_english,
        }

    def cores(
        self, page: Page, all_numbers: bool = False, tails: frozenset[str] | None = None
    ) -> Iterator[Candidate]:
        """Cores left to right, none overlapping. `all_numbers` keeps every number
        of a list (1,2,3) and of a run of words (three nought four). With `tails`,
        a lone Chinese digit followed by none of these characters is prose (一些,
        一直) and is skipped before it is read."""
        taken = 0
        sh = page.sh
        for match in _merged(self._cjk.finditer(sh), self._english.finditer(page.low)):
            start, end = match.span()
            if start < taken:
                continue
            group = match.lastgroup or ""
            if group == "numeral":
                surface = sh[start:end]
                if _plain_number(surface):
                    taken = end  # plain digits, the common case, are read right here
                    yield Candidate.core(start, end, float(surface), "arabic")
                    continue
                if (
                    tails is not None
                    and end - start == 1
                    and _lone_digit_in_prose(page, end, tails)
                ):
                    continue
            for core in self._readers[group](page, match, all_numbers):
                if core.start >= taken:
                    taken = core.end
                    yield core

    # ------------------------------------------------------------ readers

    def _read_numeral(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """3,000 / 12.5 / 2e5 / 1.2万 / 一千二百亿 / 负三十二."""
        start, end = match.span()
        cut = _cut_chinese_comma(page.text, start, end)
        surface = page.sh[start:cut]
        if len(surface) > MAX_DIGITS * 2:
            yield Candidate.core(start, cut, None, "arabic", error=_TOO_LONG)
        elif not surface.isascii() and _CJK_NUMERAL_CHAR.search(surface):
            yield from _chinese_core(page, start, self._before_unit_word(page, start, cut))
        else:
            value = parse_arabic(surface)
            yield Candidate.core(
                start, cut, value, "arabic", error=None if value is not None else _TOO_LONG
            )
        if cut < end:  # $20，300美圆: what follows the comma is read again
            for rest in self._cjk.finditer(page.sh, cut + 1, end):
                yield from self._readers[rest.lastgroup or ""](page, rest, all_numbers)

    def _before_unit_word(self, page: Page, start: int, end: int) -> int:
        """150兆瓦, 3千米, 一百千瓦: the last unit characters begin a unit word, not a scale."""
        table = self.lex.suffixes[page.lang]
        for size in (1, 2):
            at = end - size
            if at <= start or page.sh[at] not in _CN_UNIT_SET:
                break
            word = table.longest_at(page.sh, page.low, at)
            if word is not None and len(word.surface) > size and word.category not in _SCALES:
                return at
        return end

    def _read_list(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """22,24,26,31 or 192.168.1.2: a list or an address, not one quantity
        (but 1,234,567 is one)."""
        if _THOUSANDS.fullmatch(match.group()):
            yield from self._read_numeral(page, match, all_numbers)
        elif all_numbers:
            for part in _DIGITS.finditer(page.sh, match.start(), match.end()):
                yield Candidate.core(part.start(), part.end(), float(part.group()), "arabic")

    def _read_per_unit(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """百分之十二 -> 12 %, 千分之三 -> 0.3 %: the numeral is the part after 之."""
        start, end = match.span()
        num_start = page.sh.index("之", start) + 1
        while page.sh[num_start] == " ":
            num_start += 1
        numeral = next(_chinese_core(page, num_start, end, lone_ok=True), None)
        if numeral is None or numeral.value is None:
            return
        factor = self.lex.per_unit.get(re.sub(r"\s", "", page.sh[start:num_start]), 1.0)
        percent = Candidate.core(
            start, numeral.end, numeral.value * factor, "per_unit", kind="percent",
            number=(num_start, numeral.end, numeral.value),
        )  # fmt: skip
        percent.unit = "%"
        yield percent

    def _read_fraction(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """三分之一, 三百五又三分之一, 3分の1."""
        surface = match.group()
        if "分の" in surface:
            den_text, _, num_text = surface.partition("分の")
            den = float(den_text)
            value = float(num_text) / den if den else None
        else:
            value = parse_chinese(surface)
        if value is not None:
            yield Candidate.core(match.start(), match.end(), value, "fraction", kind="fraction")

    def _read_half(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """一半, 过半 (more than half), 半成 (5 %), 半折 / 打对折 (50 % of the price)."""
        surface = match.group()
        start, end = match.span()
        percent = self.lex.half_percent.get(surface) or self.lex.half_percent_after_da.get(surface)
        if percent is not None:
            core = Candidate.core(start, end, percent, "half", kind="percent")
            core.unit, core.number = "%", 0.5
            yield core
        else:
            qualifier = "more_than" if surface in self.lex.half_more_than else None
            yield Candidate.core(start, end, 0.5, "half", kind="fraction", qualifier=qualifier)

    def _read_vague(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """数万 -> 10000, 几百 -> 100, 上万 -> 10000: qualifier vague; 十几 -> more than 10."""
        surface = match.group()
        scale = 1.0
        for ch in surface:
            scale *= CN_SMALL_UNITS.get(ch, 1) * CN_BIG_UNITS.get(ch, 1)
        if all_numbers and scale < 10:
            return  # 数 alone (数量, 数据) is no number
        qualifier = "more_than" if surface.startswith(("十几", "十幾")) else "vague"
        start, end = match.span()
        yield Candidate.core(start, end, scale, "vague", qualifier=qualifier, scaled=scale >= 10)

    def _read_slash(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        """1/3, 2 1/4, -3/2, ½. In prose only proper fractions with a small
        denominator: 24/7 and 9/11 are no fractions."""
        surface = match.group()
        whole_text, _, ratio = surface.rpartition(" ")
        if ratio[-1] in VULGAR_FRACTIONS:
            whole_text, ratio = ratio[:-1] or whole_text, ratio[-1]
            num, den = unicodedata.numeric(ratio), 1.0
        else:
            num_text, _, den_text = ratio.partition("/")
            num, den = float(num_text), float(den_text)
        if not den:
            return
        value = abs(num) / den
        if not all_numbers and (value >= 1 or (den > 10 and den not in (100, 1000))):
            return
        total = (abs(float(whole_text)) if whole_text.strip() else 0.0) + value
        signed = -total if surface.lstrip().startswith("-") else total
        yield Candidate.core(match.start(), match.end(), signed, "fraction", kind="fraction")

    def _read_en_vague(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        yield english.read_vague(match.start(), match.end(), match.group().split())

    def _read_english(
        self, page: Page, match: re.Match[str], all_numbers: bool
    ) -> Iterator[Candidate]:
        yield from english.read_run(page.low, match.start(), match.end(), all_numbers, self._bounds)


# ---------------------------------------------------------------- helpers

_TOO_LONG = "number too long to read"
_SCALES = ("scale", "money_scale")
_CJK_NUMERAL_CHAR = re.compile(f"[{CN_DIGIT}{CN_UNIT}点點负負]")
_THOUSANDS = re.compile(
    r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]{1,2}(?:,[0-9]{2})+,[0-9]{3}(?:\.[0-9]+)?"
)
_DIGITS = re.compile(r"[0-9]+")
# Banker's numerals standing alone are words: 陆地, 收拾, 队伍, 放肆.
_FINANCIAL = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
_CN_UNIT_SET = frozenset(CN_UNIT)
_CN_DIGIT_SET = frozenset(CN_DIGIT) - frozenset("零〇○")
# Two neighbouring digits before a unit: 三四百 is "three or four hundred".
_APPROXIMATE_PAIR = re.compile(f"[一二两三四五六七八九][二三四五六七八九][{CN_UNIT}]")


def _merged(
    first: Iterator[re.Match[str]], second: Iterator[re.Match[str]]
) -> Iterator[re.Match[str]]:
    """Two streams of matches as one, by start (the longer first on a tie). The
    second (English words) is the sparse one, so it is held in a list."""
    pending = list(second)
    i = 0
    for match in first:
        start = match.start()
        while i < len(pending) and (
            pending[i].start() < start
            or (pending[i].start() == start and pending[i].end() > match.end())
        ):
            yield pending[i]
            i += 1
        yield match
    yield from pending[i:]


def _plain_number(surface: str) -> bool:
    """2024, 75.1: ASCII digits with at most one decimal point, short enough to read."""
    return (
        surface.isascii()
        and len(surface) <= MAX_DIGITS
        and len(surface.partition(".")[0].lstrip("0")) <= MAX_INTEGER_DIGITS
        and surface[-1] != "."
        and surface.replace(".", "", 1).isdigit()
    )


def _lone_digit_in_prose(page: Page, end: int, tails: frozenset[str]) -> bool:
    """一 in 一些: one Chinese digit (ending at `end`) followed by nothing a figure needs."""
    if page.sh[end - 1] not in _CN_DIGIT_SET:
        return False
    at = end + 1 if page.sh[end : end + 1] == " " else end
    return page.low[at : at + 1] not in tails


def _chinese_core(page: Page, start: int, end: int, lone_ok: bool = False) -> Iterator[Candidate]:
    """A Chinese numeral (maybe mixed with digits); trailing units that make it
    ill-formed are left out (五十千 -> 五十). `lone_ok`: a lone banker's numeral
    counts (万分之肆)."""
    surface = _cut_mixed_digits(page.sh[start:end])
    if _APPROXIMATE_PAIR.search(surface):
        return  # 二三十, 三四百: "twenty or thirty", no single number
    value = parse_chinese(surface)
    while value is None and surface and surface[-1] in _CN_UNIT_SET:
        surface = surface[:-1].rstrip()
        value = parse_chinese(surface)
    if value is None or (len(surface) == 1 and surface in _FINANCIAL and not lone_ok):
        return
    inside = surface.strip(CN_MARK + " ")
    qualifier = "more_than" if any(ch in CN_VAGUE_MARKS for ch in inside) else None
    digits = surface.lstrip("负負-")
    scaled = any(ch in CN_BIG_UNITS for ch in digits) or (
        digits[:1].isdigit() and any(ch in CN_SMALL_UNITS for ch in digits)
    )
    core = Candidate.core(
        start, start + len(surface), value, "cjk", qualifier=qualifier, scaled=scaled
    )
    core.scale = _trailing_scale(digits)
    yield core


def _trailing_scale(surface: str) -> float:
    """5千万 -> 1e7: the unit characters a numeral ends with, which the lower end
    of a range shares (3至5千万)."""
    scale = 1.0
    for ch in reversed(surface.rstrip(" ")):
        unit = CN_BIG_UNITS.get(ch) or CN_SMALL_UNITS.get(ch)
        if unit is None:
            break
        scale *= unit
    return scale


def _cut_mixed_digits(surface: str) -> str:
    """3四半期: an Arabic digit right before a Chinese digit ends the number."""
    for i in range(1, len(surface)):
        prev, ch = surface[i - 1], surface[i]
        if (prev.isascii() and prev.isdigit() and ch in _CN_DIGIT_SET) or (
            prev in _CN_DIGIT_SET and ch.isascii() and ch.isdigit()
        ):
            return surface[:i]
    return surface


def _cut_chinese_comma(text: str, start: int, end: int) -> int:
    """A full-width comma separates thousands only between full-width digits (３，０００)."""
    cut = text.find("，", start, end)
    while cut >= 0:
        if not ("０" <= text[cut - 1] <= "９" and "０" <= text[cut + 1 : cut + 2] <= "９"):
            return cut
        cut = text.find("，", cut + 1, end)
    return end
