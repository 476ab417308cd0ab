"""Find the figures in a text: numbers with their kind, unit, currency, range and qualifier.

The contract is ../shared/spec/extract.md (FIGURE). The scan runs over a
*shadow* of the text (full-width forms mapped to ASCII, one character for
one), so every offset found is an offset in the original. Steps, each linear
in the text:

1. fences (`nlp.figures.names`): dates, times, phone numbers, security codes,
   web addresses and names that begin with digits (36氪) are set aside, with
   the `blocked` spans the caller passes (entity names);
2. `nlp.figures.scan` finds the number cores (Arabic, Chinese numerals,
   English words, 百分之…, …分之…, vague 数万 / tens of thousands); numerals
   inside words (统一, 四川) and bare ones in prose (一些) are dropped;
3. each core grows over scale words, one unit and a currency sign
   (`nlp.figures.units`), or counts the noun after it (`nlp.figures.nouns`);
4. neighbours joined by a connector become one range or ratio
   (`nlp.figures.ranges`);
5. years, ordinals and digits inside names are dropped (`nlp.figures.names`)
   and the qualifier is read from the words around
   (`nlp.figures.qualifiers`).

`FigureExtractor(mode="numbers")` is for measuring the number reader against
number-recognition benchmarks only: it reports every numeral it reads
(dates, ordinals and bare words included) as a `number` figure whose surface
is the numeral alone. The product never uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from nlp.figures.candidate import Candidate, Cue
from nlp.figures.lexicon import LANGS, Lexicon, load_lexicon
from nlp.figures.names import NameRules
from nlp.figures.numerals import finite
from nlp.figures.qualifiers import QualifierReader
from nlp.figures.ranges import join_neighbours
from nlp.figures.scan import Page, Scanner
from nlp.figures.units import Units
from nlp.types import Figure

Mode = Literal["news", "numbers"]

_PRONOUN_ONE_BEFORE = frozenset(
    ["the", "this", "that", "which", "each", "every", "any", "no", "another"]
)
_YEAR = re.compile(r"[0-9]{4}")
_LONE_UNITS = frozenset("百佰千仟万萬亿億兆")
_BIG_UNITS = frozenset("万萬亿億兆")
_NO_UNIT_KINDS = frozenset(["money", "fraction", "number"])


@dataclass(frozen=True, slots=True)
class Reading:
    """A figure with where its parts stand: the numeral itself (scale words
    included, sign and unit not) and the qualifier word outside the surface."""

    figure: Figure
    number_start: int
    number_end: int
    number: float | None
    cue: Cue | None = None


class FigureExtractor:
    """Build once (it compiles the lexicon), call `extract` per text."""

    def __init__(self, lexicon: Lexicon | None = None, *, mode: Mode = "news") -> None:
        if mode not in ("news", "numbers"):
            raise ValueError(f"unknown figure mode {mode!r}: use 'news' or 'numbers'")
        self.lex = lexicon or load_lexicon()
        self.mode = mode
        self.scanner = Scanner(self.lex)
        self.names = NameRules(self.lex)
        self.qualifiers = QualifierReader(self.lex)
        self.units = Units(self.lex, numbers_mode=mode == "numbers")
        # What may follow a Chinese numeral that is more than prose: a unit, a
        # scale, a range connector, a qualifier (一些 and 一直 stop at the next
        # character).
        after = self.lex.qualifiers_after.first_chars() | _CONNECTOR_CHARS
        self._tails = {lang: self.lex.suffixes[lang].first_chars() | after for lang in LANGS}

    # ------------------------------------------------------------ public

    def extract(
        self, text: str, lang: str = "zh", blocked: list[tuple[int, int]] | None = None
    ) -> list[Figure]:
        """The figures of `text`; `blocked` spans (entity names) are skipped."""
        page, candidates = self._candidates(text, lang, blocked)
        if self.mode == "numbers":
            return [r.figure for c in candidates if (r := self._as_number(page, c)) is not None]
        return [f for c in candidates if (f := self._as_figure(page, c)) is not None]

    def read(
        self, text: str, lang: str = "zh", blocked: list[tuple[int, int]] | None = None
    ) -> list[Reading]:
        """Like `extract`, with the numeral and qualifier spans of each figure."""
        page, candidates = self._candidates(text, lang, blocked)
        if self.mode == "numbers":
            return [r for c in candidates if (r := self._as_number(page, c)) is not None]
        readings = []
        for cand in candidates:
            figure = self._as_figure(page, cand)
            if figure is not None:
                number = _clean(cand.number)
                readings.append(Reading(figure, cand.num_start, cand.num_end, number, cand.cue))
        return readings

    def _candidates(
        self, text: str, lang: str, blocked: list[tuple[int, int]] | None
    ) -> tuple[Page, list[Candidate]]:
        """Steps 1 to 4 of the module docstring: every candidate, grown and joined."""
        page = Page.of(text, lang if lang in LANGS else "zh")
        numbers = self.mode == "numbers"
        fences = self.names.fences(page, blocked, keep_dates=numbers)
        candidates: list[Candidate] = []
        tails = None if numbers else self._tails[page.lang]
        for core in self.scanner.cores(page, all_numbers=numbers, tails=tails):
            floor = candidates[-1].end if candidates else 0
            if core.start < floor:
                continue  # inside the unit of the previous figure (300mm2)
            if fences.stops(core.start, core.end):
                continue
            if not numbers and self._prose(page, core):
                continue
            if core.source == "cjk" and self.names.inside_word(page, core.start):
                continue
            self.units.grow(page, core, floor)
            candidates.append(core)
        is_name = (lambda c: False) if numbers else (lambda c: self._is_name(page, c))
        return page, join_neighbours(page.low, candidates, ranges=not numbers, is_name=is_name)

    def _prose(self, page: Page, core: Candidate) -> bool:
        """一些, 一直, 统一: a bare Chinese numeral with nothing after it that could
        make it a figure is prose; dropping it early keeps the scan fast."""
        if core.source != "cjk" or core.kind or core.scaled or core.qualifier:
            return False
        at = core.end + 1 if page.sh[core.end : core.end + 1] == " " else core.end
        if page.low[at : at + 1] in self._tails[page.lang]:
            return False
        return not self._qualified_words(page, core)  # 超过一千 is a figure

    def _is_name(self, page: Page, cand: Candidate) -> bool:
        """Digits in a name, an ordinal or a code (read once per candidate)."""
        if cand.name is None:
            cand.name = self.names.is_name_or_date(page, cand)
        return cand.name

    # ------------------------------------------------------------ finishing

    def _as_figure(self, page: Page, cand: Candidate) -> Figure | None:
        """Step 5: the figure, unless the candidate is no figure at all."""
        if cand.date or self._not_a_figure(page, cand):
            return None
        kind = cand.kind or self._bare_kind(page, cand)
        if kind is None and not self._qualified_words(page, cand):
            return None
        qualifier = cand.qualifier
        if qualifier is None:
            if cand.cue is None:
                cand.cue = self.qualifiers.read(page, cand)
            qualifier = cand.cue.qualifier if cand.cue is not None else "exact"
        kind = kind or "count"
        value = cand.value
        low = high = None
        if cand.first is not None:
            value, low, high = None, _clean(cand.low), _clean(cand.value)
        return Figure(
            page.text[cand.start : cand.end],
            cand.start,
            cand.end,
            kind,
            _clean(value),
            low,
            high,
            cand.unit if kind not in _NO_UNIT_KINDS else None,
            cand.currency if kind == "money" else None,
            qualifier,
            cand.error,
        )

    def _not_a_figure(self, page: Page, cand: Candidate) -> bool:
        """Digits in a name, a lone unit character, "one" as a pronoun, a year."""
        first = cand.first
        if self._is_name(page, cand) or (first is not None and self._is_name(page, first)):
            return True
        kind = cand.kind
        if (
            cand.source == "cjk"
            and kind not in ("money", "multiple")
            and self._unit_only(page, cand)
        ):
            return True
        if kind is None and cand.source == "english" and self._pronoun_one(page, cand):
            return True
        if kind is not None and kind != "count":
            return False
        return _looks_like_year(page, cand) or (first is not None and _looks_like_year(page, first))

    def _bare_kind(self, page: Page, cand: Candidate) -> str | None:
        """A number with no unit: prose when written in words, else a count
        (30,000) or, with decimals, a number (a PMI of 50.4)."""
        if cand.qualifier == "vague":
            return "count" if cand.scaled else None
        if cand.source in ("cjk", "english") and not cand.scaled:
            return None  # 一些, "one of": numerals in prose
        if cand.value is None and cand.error is None:
            return None
        if cand.scaled or (cand.value is not None and float(cand.value).is_integer()):
            return "count"
        return "number"

    def _qualified_words(self, page: Page, cand: Candidate) -> bool:
        """超过一千, 五百以上, more than thirty: a numeral in words is a figure, not
        prose, when a qualifier bounds it."""
        if cand.source not in ("cjk", "english") or cand.value is None or cand.value < 10:
            return False
        cand.cue = self.qualifiers.read(page, cand)
        return cand.cue is not None

    def _unit_only(self, page: Page, cand: Candidate) -> bool:
        """万家 (countless homes), 百度: a lone unit character is a word; 千亿元 and
        百万台 (two unit characters) are figures."""
        surface = page.sh[cand.num_start : cand.num_end]
        return cand.source == "cjk" and len(surface) < 2 and surface in _LONE_UNITS

    def _pronoun_one(self, page: Page, cand: Candidate) -> bool:
        """ "the one you mentioned", "which one": one as a pronoun."""
        if page.low[cand.num_start : cand.num_end] != "one":
            return False
        before = page.low[max(0, cand.num_start - 12) : cand.num_start].split()
        return bool(before) and before[-1] in _PRONOUN_ONE_BEFORE

    def _as_number(self, page: Page, cand: Candidate) -> Reading | None:
        """Numbers mode: the numeral alone, whatever it stands in (but 万 and 万万
        alone, with no digit to multiply, are words)."""
        if self._glued_numeral(page, cand) or (cand.kind is None and self._pronoun_one(page, cand)):
            return None
        if cand.source == "cjk" and set(page.sh[cand.num_start : cand.num_end]) <= _BIG_UNITS:
            return None
        if cand.number is None:
            return None
        figure = Figure(
            text=page.text[cand.num_start : cand.num_end],
            start=cand.num_start,
            end=cand.num_end,
            kind="number",
            value=_clean(cand.number),
            error=cand.error,
        )
        return Reading(figure, cand.num_start, cand.num_end, figure.value)

    def _glued_numeral(self, page: Page, cand: Candidate) -> bool:
        """Digits touching Latin letters (A100, 180ml, 4th) are part of a word."""
        sh = page.sh
        before = sh[cand.num_start - 1] if cand.num_start else ""
        after = sh[cand.num_end : cand.num_end + 1]
        glued_before = before.isascii() and before.isalpha()
        glued_after = after.isascii() and after.isalpha() and cand.source == "arabic"
        return glued_before or glued_after


_CONNECTOR_CHARS = frozenset("至到~-和与與と或从從多余餘 ")


def _looks_like_year(page: Page, cand: Candidate) -> bool:
    """A bare four-digit number from 1900 to 2100 is a year (in 2024, Computex 2024)."""
    value = cand.value
    return (
        value is not None
        and value.is_integer()
        and 1900 <= value <= 2100
        and not cand.scaled
        and _YEAR.fullmatch(page.sh[cand.num_start : cand.num_end]) is not None
    )


def _clean(number: float | None) -> float | None:
    """No NaN or infinity; 300.4 * 1e8 is 30040000000, not 30039999999.999996."""
    if number is None or (number.is_integer() and -(2**53) < number < 2**53):
        return number
    number = finite(number)
    return None if number is None else float(f"{number:.12g}")


@cache
def _shared_extractor() -> FigureExtractor:
    return FigureExtractor()


def extract_figures(
    text: str, lang: str = "zh", blocked: list[tuple[int, int]] | None = None
) -> list[Figure]:
    """The figures of `text` (see the module docstring); `blocked` spans are skipped."""
    return _shared_extractor().extract(text, lang, blocked)
