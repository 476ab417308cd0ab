"""A figure in the making: a number as written, and what has been read around it.

The scanner (`nlp.figures.scan`) makes one per number core; the extractor
grows it over units and signs, joins neighbours into ranges, and turns what
is left into a `Figure`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds that say by themselves that a number is a quantity worth reporting.
STRONG_KINDS = frozenset(
    ["percent", "percentage_point", "money", "multiple", "fraction", "dimension", "duration"]
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A qualifier word read around a figure, with where it stands."""

    qualifier: str
    start: int
    end: int


class Candidate:
    """A number core and what has been read around it so far.

    A plain class rather than a dataclass: the scanner makes one per number in
    the text, and only the fields a core sets are written; the rest keep the
    class-level defaults below until something is read.
    """

    start: int  # the surface: sign, number, scale words, unit
    end: int
    num_start: int  # the numeral with its scale words, nothing else
    num_end: int
    value: float | None  # the figure's value (units applied: 5成 -> 50)
    number: float | None  # the numeral's own value (5成 -> 5), for number benchmarks
    source: str  # what read it: arabic | cjk | english | per_unit | fraction | half | vague
    kind: str | None = None  # percent or fraction when the core says so itself
    unit: str | None = None
    currency: str | None = None
    generic_currency: bool = False  # 元, $, dollars: a currency word written before may say more
    scaled: bool = False  # a scale word is part of it (1.2万, two million)
    scale: float = 1.0  # the scale it ends with, which the lower end of a range shares
    qualifier: str | None = None  # written inside the surface (3000多, 数万)
    date: bool = False  # a date, time, period or rank part: never a figure
    name: bool | None = None  # digits in a name, an ordinal or a code (None: not asked yet)
    error: str | None = None
    low: float | None = None  # set when the candidate is a range
    first: Candidate | None = None  # the lower end of a range
    cue: Cue | None = None  # the qualifier word read around it, once finished
    lead: int = -1  # where a currency word before the surface starts (新台幣25兆元), if any

    def __init__(
        self,
        start: int,
        end: int,
        num_start: int,
        num_end: int,
        value: float | None,
        number: float | None,
        source: str,
    ) -> None:
        self.start, self.end = start, end
        self.num_start, self.num_end = num_start, num_end
        self.value, self.number = value, number
        self.source = source

    def __repr__(self) -> str:
        return f"Candidate({self.start}:{self.end} {self.source} {self.kind} {self.value})"

    @staticmethod
    def core(
        start: int,
        end: int,
        value: float | None,
        source: str,
        kind: str | None = None,
        qualifier: str | None = None,
        scaled: bool = False,
        error: str | None = None,
        number: tuple[int, int, float | None] | None = None,
    ) -> Candidate:
        """A number core as the scanner reads it. `kind` is set when the core says
        it itself (百分之… is a percent, 三分之一 a fraction); `number` is the
        numeral inside when it is not the whole core (百分之十二: its span and 12)."""
        if number is None:
            cand = Candidate(start, end, start, end, value, value, source)
        else:
            cand = Candidate(start, end, number[0], number[1], value, number[2], source)
        if kind is not None:
            cand.kind = kind
        if qualifier is not None:
            cand.qualifier = qualifier
        if scaled:
            cand.scaled = True
        if error is not None:
            cand.error = error
        return cand

    @property
    def strong(self) -> bool:
        return self.kind in STRONG_KINDS or self.scaled

    @property
    def is_range(self) -> bool:
        return self.first is not None

    def scale_by(self, factor: float) -> None:
        if self.value is not None:
            self.value *= factor
        if self.number is not None:
            self.number *= factor
        self.scale *= factor
        self.scaled = True
