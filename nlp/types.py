"""The typed results that flow between NLP stages and out of `nlp`.

Every span carries `start`/`end` offsets into the text the analysis was run
on (Python `str` indices, end exclusive), so `text[start:end]` is always the
surface. These are frozen dataclasses: stages build new ones, never mutate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Lang = Literal["zh", "en", "ja"]
LANGS: tuple[str, ...] = ("zh", "en", "ja")

FIGURE_KINDS = (
    "percent",
    "percentage_point",
    "money",
    "count",
    "multiple",
    "fraction",
    "dimension",
    "duration",
    "number",
)
QUALIFIERS = ("exact", "about", "at_least", "at_most", "more_than", "less_than", "vague")
METRICS = (
    "gross_margin",
    "net_margin",
    "revenue",
    "net_profit",
    "market_share",
    "shipments",
    "units_owned",
    "market_cap",
    "market_cap_change",
    "stock_change",
    "price",
    "funding",
    "valuation",
    "headcount",
    "performance_ratio",
    "utilization",
    "growth",
    "other",
)
ENTITY_LABELS = ("ORG", "PERSON", "GPE", "PRODUCT", "EVENT")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Token:
    """A segmented word with its part-of-speech tag (jieba's tag set for zh).
    Not frozen: a Chinese page makes thousands, and a frozen dataclass's __init__
    costs three times a plain one's."""

    start: int
    end: int
    text: str
    pos: str = ""


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    start: int
    end: int
    label: str
    canonical: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Figure:
    text: str
    start: int
    end: int
    kind: str
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    currency: str | None = None
    qualifier: str = "exact"
    error: str | None = None

    @property
    def is_range(self) -> bool:
        return self.value is None and self.low is not None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "value": _plain(self.value),
            "low": _plain(self.low),
            "high": _plain(self.high),
            "unit": self.unit,
            "currency": self.currency,
            "qualifier": self.qualifier,
        }
        if self.error:
            data["error"] = self.error
        return data


@dataclass(frozen=True, slots=True)
class Claim:
    subject: str
    metric: str
    figure: Figure
    sentence: Sentence
    period: str | None = None
    source: str | None = None
    direction: str | None = None
    subject_canonical: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "figure": self.figure.to_json(),
            "period": self.period,
            "source": self.source,
            "direction": self.direction,
            "sentence": self.sentence.text,
            "start": self.sentence.start,
            "end": self.sentence.end,
        }


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int
    speaker: str | None
    speaker_canonical: str | None
    anonymous: bool
    cue: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Analysis:
    """What the stages know about one text; each stage fills its own fields."""

    text: str
    doc_id: str = ""
    lang: str = ""
    lang_hint: str | None = None
    doc_date: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object for one document (spec/extract.md)."""
        return {
            "id": self.doc_id,
            "lang": self.lang,
            "entities": [e.to_json() for e in self.entities],
            "figures": [f.to_json() for f in self.figures],
            "claims": [c.to_json() for c in self.claims],
            "quotes": [q.to_json() for q in self.quotes],
        }


def _plain(number: float | None) -> float | int | None:
    """Whole floats print as integers (199000000000, not 199000000000.0)."""
    if number is None:
        return None
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number
