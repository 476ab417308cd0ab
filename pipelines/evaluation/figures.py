"""Figures measured two ways: the Recognizers-Text spec cases, and our own gold.

Recognizers-Text (../shared/eval/recognizers, Chinese and English)
-------------------------------------------------------------------

Each spec file covers one type; a case passes when the figures we map to
that type equal the case's `Results` exactly, as a set: the same spans
(their `End` is inclusive, ours is not) and the same values (relative
tolerance 1e-6), nothing missing and nothing extra. The Python port's rate
is the share of cases whose `NotSupported` field does not list "python".
A case marked `IgnoreResolution` is compared on spans only.

How our output maps to each file:

- `Number/NumberModel`: the extractor in its explicit ``mode="numbers"``
  (a benchmark-only option the product never uses, and the report says so):
  every numeral read, dates, ordinals and bare number words included, each
  compared by its numeral span (scale words in, sign of currency and units
  out: "$20" -> "20", "199个" -> "199", "百分之五十五点五七九" -> "五十五点五七九")
  and the numeral's own value (fractions as their ratio).
- `Number/PercentModel`: news-mode figures of kind `percent` and
  `percentage_point` (the spec resolves 个百分点 to %), by surface and value.
- `NumberWithUnit/CurrencyModel`: figures of kind `money`, by surface and
  value; the ISO code too when the case gives `isoCurrency`. Their value in
  a sub-unit (unit Cent, Pence, Penny) is taken as hundredths.
- `NumberWithUnit/DimensionModel`: figures of kind `dimension`; the value
  and the unit compared as one physical quantity through `UNIT_SIZES` (their
  unit name and our unit each mapped to a base unit and a factor, so that
  "六千字节" = 6 Kilobyte = 6000 B).
- `Number/NumberRange*` (the "ranges" files): news-mode figures that are a
  range or carry a bound. A range maps to "[low,high)" — the spec writes
  "20~100", "20 to 100" and "between 20 and 30" half-open; `at_least` to
  "[v,)", `more_than` to "(v,)", `at_most` to "(,v]", `less_than` to "(,v)";
  `exact`, `about` and `vague` figures map to nothing. The span compared is
  the numerals, from the qualifier word of a bound (超过了80, more than
  thirty, 五百以上) to the last digit or scale word; units left out.

Our gold (tests/golden/figures_{zh,en,ja}.jsonl, see its README)
-----------------------------------------------------------------

A predicted figure matches a gold one (one to one, in text order) when the
spans overlap and kind, value/low/high (relative tolerance 1e-6), currency
and qualifier agree, and for `dimension` and `duration` the unit too.
Precision, recall and F1 count those matches; the strict accuracy is the
share of sentences whose figures are all exactly right — same spans, every
field equal, nothing missing, nothing extra.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nlp.figures.extract import FigureExtractor, Reading
from nlp.types import Figure
from pipelines.evaluation import GOLDEN

RECOGNIZERS = Path("eval") / "recognizers"
LANG_FOLDERS = {"zh": "Chinese", "en": "English"}
CORE_FILES = (
    "Number/NumberModel.json",
    "Number/PercentModel.json",
    "NumberWithUnit/CurrencyModel.json",
    "NumberWithUnit/DimensionModel.json",
)
RANGE_FILES = ("Number/NumberRangeModel.json", "Number/NumberRangeModelExperimentalMode.json")
GOLD_LANGS = ("zh", "en", "ja")
REL_TOL = 1e-6

# Their unit names and our units, each as (base unit, factor to the base).
UNIT_SIZES: dict[str, tuple[str, float]] = {
    # length
    "nm": ("m", 1e-9), "Nanometer": ("m", 1e-9), "um": ("m", 1e-6), "Micrometer": ("m", 1e-6),
    "mm": ("m", 1e-3), "Millimeter": ("m", 1e-3), "cm": ("m", 1e-2), "Centimeter": ("m", 1e-2),
    "dm": ("m", 0.1), "Decimeter": ("m", 0.1), "m": ("m", 1.0), "Meter": ("m", 1.0),
    "km": ("m", 1e3), "Kilometer": ("m", 1e3), "inch": ("m", 0.0254), "Inch": ("m", 0.0254),
    "ft": ("m", 0.3048), "Foot": ("m", 0.3048), "mile": ("m", 1609.344), "Mile": ("m", 1609.344),
    # area
    "mm2": ("m2", 1e-6), "m2": ("m2", 1.0), "Square meter": ("m2", 1.0),
    "km2": ("m2", 1e6), "Square kilometer": ("m2", 1e6), "sqft": ("m2", 0.09290304),
    "Square foot": ("m2", 0.09290304), "ha": ("m2", 1e4), "Hectare": ("m2", 1e4),
    "acre": ("m2", 4046.8564224), "Acre": ("m2", 4046.8564224), "mu": ("m2", 666.6667),
    "Mu": ("m2", 666.6667),
    # volume
    "ml": ("L", 1e-3), "Milliliter": ("L", 1e-3), "L": ("L", 1.0), "Liter": ("L", 1.0),
    "gal": ("L", 3.785411784), "Gallon": ("L", 3.785411784), "bbl": ("L", 158.987294928),
    "Barrel": ("L", 158.987294928), "cuft": ("L", 28.316846592), "Cubic foot": ("L", 28.316846592),
    # mass
    "ug": ("g", 1e-6), "Microgram": ("g", 1e-6), "mg": ("g", 1e-3), "Milligram": ("g", 1e-3),
    "g": ("g", 1.0), "Gram": ("g", 1.0), "kg": ("g", 1e3), "Kilogram": ("g", 1e3),
    "t": ("g", 1e6), "Ton": ("g", 1e6), "Metric ton": ("g", 1e6), "lb": ("g", 453.59237),
    "Pound": ("g", 453.59237), "oz": ("g", 28.349523125), "Ounce": ("g", 28.349523125),
    "jin": ("g", 500.0), "Jin": ("g", 500.0),
    # information
    "bit": ("bit", 1.0), "Bit": ("bit", 1.0), "kbit": ("bit", 1e3), "Kilobit": ("bit", 1e3),
    "Megabit": ("bit", 1e6), "Mb": ("bit", 1e6), "Gb": ("bit", 1e9), "B": ("bit", 8.0), "Byte": ("bit", 8.0), "KB": ("bit", 8e3),
    "Kilobyte": ("bit", 8e3), "MB": ("bit", 8e6), "Megabyte": ("bit", 8e6), "GB": ("bit", 8e9),
    "Gigabyte": ("bit", 8e9), "TB": ("bit", 8e12), "Terabyte": ("bit", 8e12),
    # speed, power, frequency
    "mph": ("m/s", 0.44704), "Mile per hour": ("m/s", 0.44704), "km/h": ("m/s", 1 / 3.6),
    "Kilometer per hour": ("m/s", 1 / 3.6), "W": ("W", 1.0), "Watt": ("W", 1.0),
    "kW": ("W", 1e3), "Kilowatt": ("W", 1e3), "MW": ("W", 1e6), "Megawatt": ("W", 1e6),
    "Hz": ("Hz", 1.0), "Hertz": ("Hz", 1.0), "MHz": ("Hz", 1e6), "Megahertz": ("Hz", 1e6),
    "GHz": ("Hz", 1e9), "Gigahertz": ("Hz", 1e9),
}  # fmt: skip
# Currency sub-units the spec resolves in their own count: 50 cents -> 50 (Cent).
SUBUNITS = {"Cent": 0.01, "Pence": 0.01, "Penny": 0.01}

_INTERVAL = re.compile(r"^(?P<open>[\[(])(?P<low>[^,]*),(?P<high>[^\])]*)(?P<close>[\])])$")


# ---------------------------------------------------------------- Recognizers


@dataclass(frozen=True, slots=True)
class Expected:
    """One result of a spec case, End made exclusive; our readings take the same shape
    (`Found`) so that the two compare field by field."""

    text: str
    start: int
    end: int
    value: float | None
    iso: str | None = None
    unit: str | None = None
    interval: str | None = None


Found = Expected


@dataclass(frozen=True, slots=True)
class SpecCase:
    input: str
    expected: tuple[Expected, ...]
    python_supported: bool
    ignore_resolution: bool = False


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: SpecCase
    found: tuple[Found, ...]
    passed: bool


@dataclass(frozen=True, slots=True)
class FileScore:
    lang: str
    path: str  # relative to the recognizers folder, e.g. Chinese/Number/NumberModel.json
    group: str  # core | ranges
    results: tuple[CaseResult, ...]

    @property
    def cases(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def python_passed(self) -> int:
        return sum(r.case.python_supported for r in self.results)


@dataclass(frozen=True, slots=True)
class Tally:
    cases: int
    passed: int
    python_passed: int

    @property
    def rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0

    @property
    def python_rate(self) -> float:
        return self.python_passed / self.cases if self.cases else 0.0


@dataclass(frozen=True, slots=True)
class RecognizersReport:
    files: tuple[FileScore, ...]
    numbers_mode: bool  # NumberModel was read with FigureExtractor(mode="numbers")

    def tally(self, groups: Iterable[str] = ("core",), lang: str | None = None) -> Tally:
        wanted = set(groups)
        chosen = [f for f in self.files if f.group in wanted and (lang is None or f.lang == lang)]
        return Tally(
            cases=sum(f.cases for f in chosen),
            passed=sum(f.passed for f in chosen),
            python_passed=sum(f.python_passed for f in chosen),
        )


def recognizers_folder(shared: Path) -> Path:
    return shared / RECOGNIZERS


def load_spec(path: Path) -> list[SpecCase]:
    """The cases of one spec file."""
    raw = json.loads(path.read_text(encoding="utf-8-sig"))
    cases = []
    for item in raw:
        unsupported = str(item.get("NotSupported", "")).lower()
        expected = tuple(_expected(result) for result in item.get("Results", []))
        cases.append(
            SpecCase(
                input=item["Input"],
                expected=expected,
                python_supported="python" not in unsupported,
                ignore_resolution=bool(item.get("IgnoreResolution")),
            )
        )
    return cases


def _expected(result: dict[str, object]) -> Expected:
    resolution = result.get("Resolution") or {}
    assert isinstance(resolution, dict)
    raw_value = resolution.get("value")
    start = int(str(result["Start"]))
    end = int(str(result["End"])) + 1
    unit = resolution.get("unit")
    interval = None
    value = None
    if isinstance(raw_value, str) and _INTERVAL.match(raw_value):
        interval = raw_value
    else:
        value = _number(raw_value)
        if value is not None and isinstance(unit, str) and unit in SUBUNITS:
            value *= SUBUNITS[unit]
    iso = resolution.get("isoCurrency")
    return Expected(
        text=str(result.get("Text", "")),
        start=start,
        end=end,
        value=value,
        iso=str(iso) if iso else None,
        unit=str(unit) if unit else None,
        interval=interval,
    )


def _number(raw: object) -> float | None:
    if raw is None:
        return None
    text = str(raw).strip().rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None


def evaluate_recognizers(
    shared: Path,
    langs: Sequence[str] = ("zh", "en"),
    news: FigureExtractor | None = None,
    numbers: FigureExtractor | None = None,
) -> RecognizersReport:
    """Run the extractor over the core and range spec files of `langs`."""
    news = news or FigureExtractor()
    numbers = numbers or FigureExtractor(mode="numbers")
    folder = recognizers_folder(shared)
    files = []
    for lang in langs:
        for group, names in (("core", CORE_FILES), ("ranges", RANGE_FILES)):
            for name in names:
                path = folder / LANG_FOLDERS[lang] / name
                if not path.exists():
                    continue
                mapper = _mapper(name, lang, news, numbers)
                results = tuple(_score_case(case, mapper) for case in load_spec(path))
                files.append(FileScore(lang, f"{LANG_FOLDERS[lang]}/{name}", group, results))
    return RecognizersReport(tuple(files), numbers_mode=True)


def _mapper(
    name: str, lang: str, news: FigureExtractor, numbers: FigureExtractor
) -> Callable[[str], list[Found]]:
    model = Path(name).stem
    if model == "NumberModel":
        return lambda text: [_as_number(r) for r in numbers.read(text, lang)]
    if model.startswith("NumberRange"):
        return lambda text: [f for r in news.read(text, lang) if (f := _as_interval(text, r))]
    kinds = {
        "PercentModel": ("percent", "percentage_point"),
        "CurrencyModel": ("money",),
        "DimensionModel": ("dimension",),
    }[model]
    return lambda text: [
        _as_found(r.figure) for r in news.read(text, lang) if r.figure.kind in kinds
    ]


def _as_found(figure: Figure) -> Found:
    return Found(figure.text, figure.start, figure.end, figure.value, figure.currency, figure.unit)


def _as_number(reading: Reading) -> Found:
    figure = reading.figure
    return Found(figure.text, reading.number_start, reading.number_end, reading.number)


def _as_interval(text: str, reading: Reading) -> Found | None:
    figure = reading.figure
    interval = _interval_of(figure)
    if interval is None:
        return None
    start, end = reading.number_start, reading.number_end
    bound = reading.cue is not None and not figure.is_range
    if bound and reading.cue is not None and reading.cue.end <= reading.number_start:
        start = reading.cue.start
    if bound and reading.cue is not None and reading.cue.start >= figure.end:
        end = reading.cue.end
    return Found(text[start:end], start, end, None, interval=interval)


def _interval_of(figure: Figure) -> str | None:
    if figure.is_range:
        return f"[{_plain(figure.low)},{_plain(figure.high)})"
    value = _plain(figure.value)
    return {
        "at_least": f"[{value},)",
        "more_than": f"({value},)",
        "at_most": f"(,{value}]",
        "less_than": f"(,{value})",
    }.get(figure.qualifier)


def _plain(number: float | None) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else repr(number)


def _score_case(case: SpecCase, mapper: Callable[[str], list[Found]]) -> CaseResult:
    found = tuple(mapper(case.input))
    return CaseResult(case, found, _same_set(case, found))


def _same_set(case: SpecCase, found: Sequence[Found]) -> bool:
    if len(found) != len(case.expected):
        return False
    unmatched = list(found)
    for expected in case.expected:
        hit = next((f for f in unmatched if _agrees(case, expected, f)), None)
        if hit is None:
            return False
        unmatched.remove(hit)
    return True


def _agrees(case: SpecCase, expected: Expected, found: Found) -> bool:
    if (expected.start, expected.end) != (found.start, found.end):
        return False
    if case.ignore_resolution:
        return True
    if expected.interval is not None or found.interval is not None:
        return _same_interval(expected.interval, found.interval)
    if expected.iso is not None and expected.iso != found.iso:
        return False
    if expected.unit in UNIT_SIZES and found.unit is not None:
        return _same_quantity(expected, found)
    return close(expected.value, found.value)


def _same_quantity(expected: Expected, found: Found) -> bool:
    assert expected.unit is not None and found.unit is not None
    if found.unit not in UNIT_SIZES or expected.value is None or found.value is None:
        return False
    base, factor = UNIT_SIZES[expected.unit]
    our_base, our_factor = UNIT_SIZES[found.unit]
    return base == our_base and close(expected.value * factor, found.value * our_factor)


def _same_interval(theirs: str | None, ours: str | None) -> bool:
    if theirs is None or ours is None:
        return False
    a, b = _INTERVAL.match(theirs.replace(" ", "")), _INTERVAL.match(ours)
    if a is None or b is None:
        return False
    if (a["open"], a["close"]) != (b["open"], b["close"]):
        return False
    return all(close(_number(a[end]), _number(b[end])) for end in ("low", "high"))


def close(a: float | None, b: float | None) -> bool:
    """Equal within a relative tolerance of 1e-6 (both None counts as equal)."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


# ---------------------------------------------------------------- our gold


@dataclass(frozen=True, slots=True)
class GoldFigure:
    text: str
    start: int
    end: int
    kind: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    currency: str | None
    qualifier: str


@dataclass(frozen=True, slots=True)
class GoldSentence:
    lang: str
    line: int
    text: str
    figures: tuple[GoldFigure, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class SentenceResult:
    sentence: GoldSentence
    predicted: tuple[Figure, ...]
    missed: tuple[GoldFigure, ...]
    extra: tuple[Figure, ...]
    exact: bool


@dataclass(frozen=True, slots=True)
class GoldScore:
    lang: str
    results: tuple[SentenceResult, ...] = field(default=())

    @property
    def gold(self) -> int:
        return sum(len(r.sentence.figures) for r in self.results)

    @property
    def predicted(self) -> int:
        return sum(len(r.predicted) for r in self.results)

    @property
    def matched(self) -> int:
        return self.gold - sum(len(r.missed) for r in self.results)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def strict_accuracy(self) -> float:
        """Sentences whose figures are all exactly right (spans and every field)."""
        if not self.results:
            return 0.0
        return sum(r.exact for r in self.results) / len(self.results)


def load_gold(lang: str, folder: Path = GOLDEN) -> list[GoldSentence]:
    """The gold sentences of `figures_{lang}.jsonl`, each figure placed in its text."""
    sentences = []
    path = folder / f"figures_{lang}.jsonl"
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        text = item["text"]
        figures = tuple(_gold_figure(text, raw, path, number) for raw in item["figures"])
        sentences.append(GoldSentence(lang, number, text, figures, item.get("note", "")))
    return sentences


def _gold_figure(text: str, raw: dict[str, object], path: Path, line: int) -> GoldFigure:
    surface = str(raw["text"])
    start = -1
    for _ in range(int(str(raw.get("occurrence", 1)))):
        start = text.find(surface, start + 1)
    if start < 0:
        raise ValueError(f"{path.name}:{line}: {surface!r} does not occur in the sentence")
    return GoldFigure(
        text=surface,
        start=start,
        end=start + len(surface),
        kind=str(raw["kind"]),
        value=_number(raw.get("value")),
        low=_number(raw.get("low")),
        high=_number(raw.get("high")),
        unit=_optional(raw.get("unit")),
        currency=_optional(raw.get("currency")),
        qualifier=str(raw.get("qualifier", "exact")),
    )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


def score_gold(
    sentences: Sequence[GoldSentence], extractor: FigureExtractor | None = None
) -> GoldScore:
    """Our extractor (news mode, no entity spans) against the gold sentences."""
    extractor = extractor or FigureExtractor()
    lang = sentences[0].lang if sentences else ""
    results = []
    for sentence in sentences:
        predicted = tuple(extractor.extract(sentence.text, sentence.lang))
        results.append(_score_sentence(sentence, predicted))
    return GoldScore(lang, tuple(results))


def _score_sentence(sentence: GoldSentence, predicted: tuple[Figure, ...]) -> SentenceResult:
    unmatched = list(predicted)
    missed = []
    for gold in sentence.figures:
        hit = next((p for p in unmatched if matches(gold, p)), None)
        if hit is None:
            missed.append(gold)
        else:
            unmatched.remove(hit)
    exact = len(predicted) == len(sentence.figures) and all(
        any(_identical(gold, p) for p in predicted) for gold in sentence.figures
    )
    return SentenceResult(sentence, predicted, tuple(missed), tuple(unmatched), exact)


def matches(gold: GoldFigure, figure: Figure) -> bool:
    """Overlapping spans, same kind, values, currency and qualifier; unit for
    dimensions and durations."""
    if figure.start >= gold.end or gold.start >= figure.end or figure.kind != gold.kind:
        return False
    if not (close(figure.value, gold.value) and close(figure.low, gold.low)):
        return False
    if not close(figure.high, gold.high):
        return False
    if figure.currency != gold.currency or figure.qualifier != gold.qualifier:
        return False
    return gold.kind not in ("dimension", "duration") or figure.unit == gold.unit


def _identical(gold: GoldFigure, figure: Figure) -> bool:
    return (
        (figure.start, figure.end) == (gold.start, gold.end)
        and matches(gold, figure)
        and figure.unit == gold.unit
    )
