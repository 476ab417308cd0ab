"""Claims: a figure said of an entity, with a metric, a period, a source and a direction.

For each figure the claim stage asks four questions, each answered by its own
module over one sentence at a time:

- which measure (nlp/metrics.py, cue words in nlp/data/metrics.toml);
- whose (nlp/subjects.py: the subject of the figure's clause, back-references
  to the topic, shared figures, spec-table columns via nlp/tables.py);
- when (nlp/periods.py: the nearest period in the sentence, else the last one
  the document named; relative periods resolved with the document date);
- on whose word (nlp/attribution.py).

Direction, a choice recorded here: a change keeps its number as written and
the sign lives in `direction` — "up" for rises (增长20%, rose 20%), "down" for
falls and losses (下跌7%, fell 7%, 減少) — so that `value` is always the
figure's own reading and a fall of 7% and a rise of 7% share a value but not a
direction. Levels (a margin, a share, a price) have no direction; a change in
percentage points of a level (毛利率下降3.3个百分点) keeps the level's metric
and takes the direction.

A figure with no entity behind it is not a claim. Sentences longer than
`MAX_WINDOW` characters are read in windows so that the stage stays linear in
the text whatever its punctuation.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nlp.aliases import AliasRegistry
from nlp.attribution import Attribution, SourceFinder
from nlp.lexicon import load_claim_words
from nlp.metrics import CueContext, MetricChoice, choose_metric, direction_of, load_metric_lexicon
from nlp.periods import find_periods
from nlp.quotes import find_quote_spans
from nlp.spans import SpanSet
from nlp.subjects import SentenceSubjects, SubjectResolver, Topic, topic_after
from nlp.tables import TableCell, find_table_cells
from nlp.types import Claim, Entity, Figure, Sentence

MAX_WINDOW = 1000
# How far before a figure the words comparing it with another are looked for.
_COMPARISON_LEAD = 40
_FULL_STOPS = ("。", ".", "!", "?", "！", "？")
_ASIDES = "（）()"
_Item = TypeVar("_Item")
# Metrics that are changes: only these (and percentage-point changes) carry a direction.
_CHANGE_METRICS = frozenset(
    ["growth", "stock_change", "market_cap_change", "headcount", "net_profit", "price"]
)


@dataclass(frozen=True, slots=True)
class _Window:
    """A stretch of one sentence read at once (the whole sentence unless it is huge)."""

    sentence: Sentence
    start: int
    end: int
    text: str


class _Reading:
    """One document as the claim stage reads it: what is found by scanning the whole
    text once (cues, breaks, change words, attributions, periods, references,
    quotes, table cells), then looked up sentence by sentence with bisect, and what
    carries from one sentence to the next (topic, last period, recent metrics)."""

    def __init__(
        self,
        finder: ClaimFinder,
        text: str,
        lang: str,
        entities: Sequence[Entity],
        figures: Sequence[Figure],
        doc_date: str | None,
    ) -> None:
        self.text, self.lang = text, lang
        self.entities, self.figures = entities, figures
        self.entity_starts = [e.start for e in entities]
        self.figure_starts = [f.start for f in figures]
        self.cells = find_table_cells(text, entities)
        self.cell_starts = [c.start for c in self.cells]
        self.quoted = SpanSet(
            [(span.open, span.close + 1) for span in find_quote_spans(text) if span.depth == 0]
        )
        self.scan = finder.subjects.scan(text, lang)
        self.cues = CueContext(
            text,
            finder.metrics.cues(text, lang),
            # where each clause break begins; an aside is no clause break
            [b for b in self.scan.break_starts if text[b] not in _ASIDES],
            self.figure_starts,
            finder.metrics.directions(text, lang),
        )
        self.sources = finder.sources.find(text, lang)
        self.source_starts = [a.start for a in self.sources]
        self.periods = [(p.start, p.value) for p in find_periods(text, doc_date)]
        self.period_starts = [start for start, _ in self.periods]
        self.topic = Topic()
        self.last_period: str | None = None
        self.recent: dict[str, tuple[int, MetricChoice]] = {}  # figure kind -> last metric


class ClaimFinder:
    def __init__(self, registry: AliasRegistry) -> None:
        self.registry = registry
        self.metrics = load_metric_lexicon()
        words = load_claim_words()
        self.never = _NeverClaims(words.figures())
        self.subjects = SubjectResolver(registry, words)
        self.sources = SourceFinder(registry, words)

    def find(
        self,
        text: str,
        lang: str,
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
        figures: Sequence[Figure],
        doc_date: str | None = None,
    ) -> list[Claim]:
        """The claims of one document, sentence by sentence, in document order."""
        doc = _Reading(self, text, lang, entities, figures, doc_date)
        claims: list[Claim] = []
        for window in _windows(sentences):
            claims.extend(self._window_claims(doc, window))
        return _without_headline_repeats(text, claims)

    def _window_claims(self, doc: _Reading, window: _Window) -> list[Claim]:
        figures = _slice(doc.figures, doc.figure_starts, window.start, window.end)
        entities = _slice(doc.entities, doc.entity_starts, window.start, window.end)
        if not figures and not entities:
            return []  # nothing to claim and no new topic
        sources = _slice(doc.sources, doc.source_starts, window.start, window.end)
        periods = _slice(doc.periods, doc.period_starts, window.start, window.end)
        claims: list[Claim] = []
        if figures:
            subjects = self.subjects.prepare(
                window.text, doc.lang, window.start, entities, sources, doc.quoted, figures,
                doc.scan,
            )  # fmt: skip
            claims = self._figure_claims(doc, window, figures, sources, periods, subjects)
            mentions = subjects.mentions
        else:  # nothing to claim, but its mentions may name a new topic (no rules needed)
            mentions = self.subjects.mentions.find(
                window.text, doc.lang, window.start, entities, sources, doc.quoted, doc.scan
            ).mentions
        if periods:
            doc.last_period = periods[-1][1]
        doc.topic = topic_after(mentions, doc.topic)
        return claims

    def _figure_claims(
        self,
        doc: _Reading,
        window: _Window,
        figures: Sequence[Figure],
        sources: Sequence[Attribution],
        periods: list[tuple[int, str]],
        subjects: SentenceSubjects,
    ) -> list[Claim]:
        context = doc.cues.within(window.start, window.end)
        claims: list[Claim] = []
        for figure in figures:
            if self.never.skips(figure):
                continue
            cell = _cell_of(doc.cells, doc.cell_starts, figure)
            if cell is not None:
                claims.extend(self._table_claim(figure, cell, doc.lang, window))
                continue
            choice = self._metric(doc, figure, context, subjects)
            if choice is None:
                continue
            found = subjects.subjects_for(figure, choice.spec, doc.topic)
            if not found.entities or (choice.fallback and found.from_topic):
                continue  # a figure with no cue needs its owner named in the sentence
            direction = None
            if choice.spec.name in _CHANGE_METRICS or figure.kind == "percentage_point":
                direction = direction_of(figure, context)
            period = _nearest_period(periods, figure.start) or doc.last_period
            source = _source_for(sources, figure)
            claims.extend(
                _claim(owner, choice, figure, window.sentence, period, source, direction)
                for owner in found.entities
            )
        return claims

    def _metric(
        self, doc: _Reading, figure: Figure, context: CueContext, subjects: SentenceSubjects
    ) -> MetricChoice | None:
        """The figure's metric; with no cue of its own, a figure in the same sentence as
        another of its kind, compared with another (…, compared with estimates of $31.7
        billion) or standing in an elliptical clause (サムスン電子は40%程度) takes the
        metric of the figure of its kind before."""
        choice = choose_metric(figure, context, self.metrics)
        if choice is None:
            return None
        if not choice.fallback:
            if choice.cue is not None:
                doc.recent[figure.kind] = (figure.end, choice)
            return choice
        carried = doc.recent.get(figure.kind)
        if carried is None or figure.start - carried[0] > self.metrics.carry_reach:
            return choice
        lead = doc.text[max(0, figure.start - _COMPARISON_LEAD) : figure.start]
        same_sentence = (
            carried[0] >= subjects.offset
        )  # …, and networking the remaining $3.7 billion
        if same_sentence or self.metrics.compared(lead, doc.lang) or subjects.elliptical(figure):
            return carried[1]
        return choice

    def _table_claim(
        self, figure: Figure, cell: TableCell, lang: str, window: _Window
    ) -> list[Claim]:
        """A spec-table cell: the column's entity, the row label's metric (else `other`)."""
        if cell.subject is None:
            return []
        cues = self.metrics.cues(cell.row_label, lang, cell.row_label_start)
        spec = next(
            (s for cue in cues for s in cue.specs if figure.kind in s.kinds and s.name != "growth"),
            self.metrics.fallback,
        )
        if spec is None:
            return []
        return [_claim(cell.subject, MetricChoice(spec), figure, window.sentence, None, None, None)]


def _without_headline_repeats(text: str, claims: list[Claim]) -> list[Claim]:
    """A headline (a first line with no full stop) restates the body: keep the body's claims."""
    line_end = text.find("\n")
    if line_end < 0 or text[:line_end].rstrip().endswith(_FULL_STOPS):
        return claims
    body = {_fact(c) for c in claims if c.figure.start > line_end}
    return [c for c in claims if c.figure.start > line_end or _fact(c) not in body]


def _fact(claim: Claim) -> tuple[object, ...]:
    figure = claim.figure
    return (claim.metric, figure.value, figure.low, figure.high)


@dataclass(frozen=True)
class _NeverClaims:
    """Figures that are never claims (claims.toml [figures])."""

    raw: dict

    def skips(self, figure: Figure) -> bool:
        if figure.kind == "dimension" and figure.unit in self.raw.get("skip_units", []):
            return True  # 7nm, 12英寸: a process or a wafer named, not measured
        if figure.qualifier == "vague" and figure.kind in self.raw.get("skip_vague_kinds", []):
            return True
        small = figure.kind in ("count", "number") and figure.value is not None
        if small and figure.qualifier != "vague":
            return figure.value < self.raw.get("min_count", 0)
        return False


def _claim(
    owner: Entity,
    choice: MetricChoice,
    figure: Figure,
    sentence: Sentence,
    period: str | None,
    source: str | None,
    direction: str | None,
) -> Claim:
    return Claim(
        subject=owner.canonical or owner.text,
        metric=choice.spec.name,
        figure=figure,
        sentence=sentence,
        period=period,
        source=source,
        direction=direction,
        subject_canonical=owner.canonical,
    )


def _windows(sentences: Sequence[Sentence]) -> Iterator[_Window]:
    for sentence in sentences:
        if len(sentence.text) <= MAX_WINDOW:
            yield _Window(sentence, sentence.start, sentence.end, sentence.text)
            continue
        for lo in range(0, len(sentence.text), MAX_WINDOW):
            piece = sentence.text[lo : lo + MAX_WINDOW]
            yield _Window(sentence, sentence.start + lo, sentence.start + lo + len(piece), piece)


def _slice(items: Sequence[_Item], starts: list[int], lo: int, hi: int) -> list[_Item]:
    """The items that start in [lo, hi) (a figure running past a window's end stays in it)."""
    return list(items[bisect_left(starts, lo) : bisect_left(starts, hi)])


def _cell_of(cells: Sequence[TableCell], starts: list[int], figure: Figure) -> TableCell | None:
    index = bisect_left(starts, figure.start + 1) - 1
    if index >= 0 and cells[index].start <= figure.start and figure.end <= cells[index].end:
        return cells[index]
    return None


def _nearest_period(periods: list[tuple[int, str]], position: int) -> str | None:
    if not periods:
        return None
    before = [value for start, value in periods if start <= position]
    return before[-1] if before else periods[0][1]


def _source_for(sources: Sequence[Attribution], figure: Figure) -> str | None:
    """The attribution nearest before the figure, else the sentence's first."""
    before = [s for s in sources if s.end <= figure.start]
    if before:
        return before[-1].name
    return sources[0].name if sources else None
