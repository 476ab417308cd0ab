"""Which measure a figure is: the metric cue lexicon (nlp/data/metrics.toml) and the choice.

The lexicon is data: per metric its accepted figure kinds, the entity labels
that can own it, and cue words per language. The choice is a distance score:
the nearest cue of an accepted kind wins, a cue across a clause break, after
the figure or past another figure costs more, and the generic `growth` gives
way to a specific metric. Two refinements that are about meaning, not
distance: a change in percentage points keeps the *level* metric it changes
(毛利率…下降3.3个百分点 is a gross margin), and a level with `on_change`
becomes its change metric when a change word stands between cue and figure
(市值蒸发2000亿美元 is a market-cap change).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nlp.errors import NlpError
from nlp.lexicon import alternation
from nlp.phrases import PhraseMatcher
from nlp.types import ENTITY_LABELS, FIGURE_KINDS, METRICS, Figure

LANGS = ("zh", "en", "ja")
# Cues farther than this (in characters, after penalties) say nothing about a figure.
MAX_CUE_SCORE = 120
_AFTER_PENALTY = 8
_BREAK_PENALTY = 30
_FIGURE_BETWEEN_PENALTY = 14
_GROWTH_PENALTY = 25
_MAX_LENGTH_BONUS = 3
_FAR = 10**9
# A change metric's cue (股价, shares) this close beats a nearer generic growth cue.
_CHANGE_REACH = 70
# A change word this close before a figure makes a level metric its change metric.
_CHANGE_WORD_REACH = 16
_TO_LEVEL = re.compile(r"\s*(?:至|到|to\b|from\b|から|より|まで|に|へ)")


@dataclass(frozen=True, slots=True)
class MetricSpec:
    name: str
    kinds: frozenset[str]
    owners: tuple[str, ...]  # entity labels that can own it, preferred first
    level: bool = False
    on_change: str | None = None
    change: bool = False  # itself a change (a stock move): beats a generic growth cue
    units: tuple[str, ...] = ()  # count units that settle the metric (名 -> headcount)
    recipient: bool = False  # its owner may stand as an object (funding: who receives it)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word found in a text (document offsets) and the metrics it can signal."""

    start: int
    end: int
    text: str
    specs: tuple[MetricSpec, ...]


@dataclass(frozen=True, slots=True)
class DirectionMark:
    start: int
    end: int
    direction: str  # "up" or "down"


@dataclass(frozen=True, slots=True)
class MetricChoice:
    spec: MetricSpec
    cue: Cue | None = None
    fallback: bool = False  # no cue and no unit said it: the lexicon's fallback metric


class MetricLexicon:
    """The cue words of every metric, per language, and the change-direction words."""

    def __init__(self, raw: dict) -> None:
        raw = dict(raw)
        direction = raw.pop("direction", {})
        fallback = raw.pop("fallback", {})
        not_cues = raw.pop("not_cues", {})
        carry = raw.pop("carry", {})
        self.carry_reach = int(carry.get("reach", 0))
        self._compared = {
            lang: re.compile(
                rf"(?:{alternation(carry.get(lang, []))})", re.I if lang == "en" else 0
            )
            for lang in LANGS
        }
        self.specs: dict[str, MetricSpec] = {}
        phrases: dict[str, dict[str, list[MetricSpec]]] = {lang: {} for lang in LANGS}
        for table, entry in raw.items():
            spec = _spec(table, entry)
            self.specs[table] = spec
            for lang in LANGS:
                # Chinese cues also read Japanese kanji text and vice versa (words of
                # two characters or more: a lone 同 or 増 means something else there).
                borrowed = entry.get({"zh": "ja", "ja": "zh"}.get(lang, ""), [])
                words = entry.get(lang, []) + [w for w in borrowed if len(w) >= 2]
                for word in words:
                    bucket = phrases[lang].setdefault(word, [])
                    if spec not in bucket:
                        bucket.append(spec)
        for spec in self.specs.values():
            if spec.on_change and spec.on_change not in self.specs:
                raise NlpError(f"metrics.toml: {spec.name}.on_change {spec.on_change!r} is unknown")
        self.fallback: MetricSpec | None = None
        if fallback:
            base = self.specs[fallback["metric"]]
            self.fallback = MetricSpec(base.name, frozenset(fallback["kinds"]), base.owners)
        self.by_unit: dict[str, MetricSpec] = {
            unit: spec for spec in self.specs.values() for unit in spec.units
        }
        for lang in LANGS:
            for word in not_cues.get(lang, []):
                phrases[lang][word] = []  # matched (longest wins) and then ignored
        self._cues = {
            lang: PhraseMatcher((word, tuple(specs)) for word, specs in phrases[lang].items())
            for lang in LANGS
        }
        self._directions = {
            lang: PhraseMatcher(
                [(w, "down") for w in direction.get(f"down_{lang}", [])]
                + [(w, "up") for w in direction.get(f"up_{lang}", [])]
            )
            for lang in LANGS
        }

    def cues(self, text: str, lang: str, offset: int = 0) -> list[Cue]:
        """Leftmost-longest cue words in `text`, with offsets shifted by `offset`."""
        matcher = self._cues.get(lang, self._cues["zh"])
        return [
            Cue(m.start + offset, m.end + offset, m.text, m.payload)
            for m in matcher.find(text)
            if m.payload
        ]

    def compared(self, lead: str, lang: str) -> bool:
        """Whether `lead` (the words right before a figure) compares it with another figure."""
        return bool(self._compared.get(lang, self._compared["zh"]).search(lead))

    def directions(self, text: str, lang: str, offset: int = 0) -> list[DirectionMark]:
        matcher = self._directions.get(lang, self._directions["zh"])
        return [
            DirectionMark(m.start + offset, m.end + offset, m.payload) for m in matcher.find(text)
        ]


def _spec(table: str, entry: dict) -> MetricSpec:
    name = entry.get("metric", table)
    if name not in METRICS:
        raise NlpError(f"metrics.toml: [{table}] {name!r} is not a metric of the contract")
    kinds = frozenset(entry.get("kinds", []))
    unknown = kinds - set(FIGURE_KINDS)
    if unknown:
        raise NlpError(f"metrics.toml: [{table}] kinds {sorted(unknown)} are not figure kinds")
    owners = tuple(entry.get("owners", ["ORG", "PRODUCT"]))
    if any(label not in ENTITY_LABELS for label in owners):
        raise NlpError(f"metrics.toml: [{table}] owners {owners} are not entity labels")
    return MetricSpec(
        name,
        kinds,
        owners,
        bool(entry.get("level")),
        entry.get("on_change"),
        bool(entry.get("change")),
        tuple(entry.get("units", [])),
        bool(entry.get("recipient")),
    )


@cache
def load_metric_lexicon() -> MetricLexicon:
    text = resources.files("nlp").joinpath("data/metrics.toml").read_text("utf-8")
    return MetricLexicon(tomllib.loads(text))


# ---------------------------------------------------------------- choosing


class CueContext:
    """What the metric choice reads: a document's cues, clause breaks, figures and
    change words (document offsets, sorted), found once and read within the bounds
    of one sentence at a time (`within`)."""

    def __init__(
        self,
        text: str,
        cues: Sequence[Cue],
        breaks: Sequence[int],
        figure_starts: Sequence[int],
        directions: Sequence[DirectionMark],
        lo: int = 0,
        hi: int | None = None,
    ) -> None:
        self.text = text
        self.cues = cues
        self.breaks = breaks
        self.figure_starts = figure_starts
        self.directions = directions
        self.cue_starts = [c.start for c in cues]
        self.direction_starts = [m.start for m in directions]
        self.lo, self.hi = lo, len(text) if hi is None else hi

    def within(self, lo: int, hi: int) -> CueContext:
        """The same context, read only between `lo` and `hi` (one sentence). A shallow
        copy made by hand: `copy.copy` goes through pickling's protocol, ten times slower."""
        view = CueContext.__new__(CueContext)
        view.__dict__ = {**self.__dict__, "lo": lo, "hi": hi}
        return view

    def cues_near(self, lo: int, hi: int) -> Sequence[Cue]:
        return self.cues[self._range(self.cue_starts, lo, hi)]

    def directions_near(self, lo: int, hi: int) -> Sequence[DirectionMark]:
        return self.directions[self._range(self.direction_starts, lo, hi)]

    def _range(self, starts: Sequence[int], lo: int, hi: int) -> slice:
        """Items starting in [lo, hi], and never outside the sentence [self.lo, self.hi)."""
        first = bisect_left(starts, max(lo, self.lo))
        last = bisect_right(starts, hi) if hi < self.hi else bisect_left(starts, self.hi)
        return slice(first, last)

    def figure_between(self, lo: int, hi: int) -> bool:
        return bisect_left(self.figure_starts, hi) > bisect_left(self.figure_starts, lo)

    def leads_to_level(self, position: int) -> bool:
        """A change word followed by 至 / to (增至, rose to): what follows is a level."""
        return bool(_TO_LEVEL.match(self.text, position, min(position + 8, self.hi)))


def choose_metric(
    figure: Figure, context: CueContext, lexicon: MetricLexicon, window: int = 160
) -> MetricChoice | None:
    """The metric of `figure`, or None when no cue fits and there is no fallback."""
    if figure.kind == "count" and figure.unit:
        by_unit = lexicon.by_unit.get(figure.unit.strip())
        if by_unit is not None:
            return MetricChoice(by_unit)
    if figure.kind == "percentage_point":
        level = _level_before(figure, context)
        if level is not None:
            return level
    best: tuple[float, MetricSpec, Cue] | None = None
    best_change: tuple[float, MetricSpec, Cue] | None = None
    # Nearest cues first; a cue's score is never below its raw distance minus the
    # length bonus, so the walk stops once no farther cue can win (a generic growth
    # cue may still give way to a change metric's cue within _CHANGE_REACH).
    for raw, cue in _cues_by_distance(figure, context, window):
        if best is None:
            bar: float = MAX_CUE_SCORE
        elif best[1].name == "growth" and best_change is None:
            bar = best[0] if best[0] > _CHANGE_REACH else _CHANGE_REACH
        else:
            bar = best[0]
        if raw - _MAX_LENGTH_BONUS > bar:
            break
        distance = _distance(figure, cue, context)
        for spec in cue.specs:
            score = _score(figure, cue, spec, distance, context)
            if score is None:
                continue
            if best is None or score < best[0]:
                best = (score, spec, cue)
            if spec.change and (best_change is None or score < best_change[0]):
                best_change = (score, spec, cue)
    if best is not None and best[1].name == "growth" and best_change is not None:
        if best_change[0] <= _CHANGE_REACH:
            best = best_change  # 股价…下跌7%: the stock move, not a generic growth
    if best is None or best[0] > MAX_CUE_SCORE:
        fallback = lexicon.fallback
        if fallback and figure.kind in fallback.kinds:
            return MetricChoice(fallback, None, fallback=True)
        return None
    _, spec, cue = best
    if spec.on_change and _change_between(cue, figure, context):
        spec = lexicon.specs[spec.on_change]
    return MetricChoice(spec, cue)


def _cues_by_distance(
    figure: Figure, context: CueContext, window: int
) -> Iterator[tuple[int, Cue]]:
    """The cues around `figure` with their raw distance, nearest first (a merge of the
    cues before it, walked backwards, and the cues after it)."""
    near = context.cues_near(figure.start - window, figure.end + window)
    split = bisect_left([c.start for c in near], figure.start)
    before = [c for c in reversed(near[:split]) if c.end <= figure.start]
    after = [c for c in near[split:] if c.start >= figure.end]  # not part of the figure
    i = j = 0
    while i < len(before) or j < len(after):
        left = figure.start - before[i].end if i < len(before) else _FAR
        right = after[j].start - figure.end if j < len(after) else _FAR
        if left <= right:
            yield left, before[i]
            i += 1
        else:
            yield right, after[j]
            j += 1


def _score(
    figure: Figure, cue: Cue, spec: MetricSpec, distance: float, context: CueContext
) -> float | None:
    """How well `cue` says `figure` is `spec` (lower is better), None when it cannot."""
    if figure.kind not in spec.kinds:
        return None
    score = distance - min(len(cue.text), 6) / 2
    if spec.name == "growth":
        if cue.end <= figure.start and context.leads_to_level(cue.end):
            return None  # 下降至60%, rose to 57.8%: a level, not the change
        level_kind = figure.kind != "multiple"  # 2.7倍に拡大 is still growth
        if level_kind and cue.start >= figure.end and context.leads_to_level(figure.end):
            return None  # 78.4%から低下, 10%まで低下: the level before or after
        score += _GROWTH_PENALTY
    return score


def _distance(figure: Figure, cue: Cue, context: CueContext) -> float:
    if cue.end <= figure.start:
        lo, hi, distance = cue.end, figure.start, figure.start - cue.end
    else:
        gap = cue.start - figure.end
        lo, hi, distance = figure.end, cue.start, gap + (_AFTER_PENALTY if gap > 1 else 1)
    crossings = bisect_left(context.breaks, hi) - bisect_left(context.breaks, lo)
    between = bisect_left(context.figure_starts, hi) - bisect_right(context.figure_starts, lo)
    return distance + _BREAK_PENALTY * crossings + _FIGURE_BETWEEN_PENALTY * max(0, between)


def _level_before(figure: Figure, context: CueContext) -> MetricChoice | None:
    """The nearest level metric (margin, share, utilisation) named before a pp change."""
    for cue in reversed(context.cues_near(figure.start - 100, figure.start)):
        if cue.end > figure.start or figure.start - cue.end > 80:
            continue
        for spec in cue.specs:
            if spec.level and "percentage_point" in spec.kinds:
                return MetricChoice(spec, cue)
    return None


def _change_between(cue: Cue, figure: Figure, context: CueContext) -> bool:
    """A change word between the cue and the figure, or right after the figure (2790億ドル減少)."""
    lo, hi = (cue.end, figure.start) if cue.end <= figure.start else (figure.end, cue.start)
    for mark in context.directions_near(lo, hi):
        if mark.end <= hi and not context.leads_to_level(mark.end):
            return True
    if context.directions_near(figure.end, figure.end + 2):
        return True  # 2790億ドル減少
    if cue.start < figure.end:
        return False
    # adding about $30 billion to its market value: the change word before the figure
    before = context.directions_near(figure.start - _CHANGE_WORD_REACH, figure.start)
    return any(
        not context.leads_to_level(mark.end) and not context.figure_between(mark.end, figure.start)
        for mark in before
    )


def direction_of(figure: Figure, context: CueContext, reach: int = 14) -> str | None:
    """ "up" / "down" from the nearest change word before (or just after) the figure."""
    best: tuple[int, str] | None = None
    for mark in context.directions_near(figure.start - reach - 40, figure.end + reach):
        if mark.end <= figure.start:
            distance = figure.start - mark.end
        elif mark.start >= figure.end:
            distance = mark.start - figure.end + 4
        else:
            continue
        if distance <= reach and (best is None or distance < best[0]):
            best = (distance, mark.direction)
    return best[1] if best else None
