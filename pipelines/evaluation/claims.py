"""Claims and quotes against the hand-checked gold (tests/golden, see its README).

Two sets: the short passages of `claims_{lang}.jsonl` (with their doc_date),
and the sample-corpus articles of `sample_corpus_{lang}.jsonl`, whose main
text is what `extract_html` makes of the page under samples/sites/ (the same
text `newsfacts ingest` stores). Both run through one `nlp.Analyzer`.

Scoring follows the golden README: a claim matches when subject (any of the
gold list), metric and value (or low/high) agree; a quote matches when the
spans overlap by half of the longer one or more and the speaker or its
canonical name agrees. A gold subject written as a surface the registry has
since learnt (キヤノン, now an alias of Canon) also accepts the canonical name.
Matching is one to one. A missed gold claim whose
figure the figure stage never found at all is counted apart
(`missing_figure`), so the claim stage is not blamed for the figure stage.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nlp import Analyzer
from nlp.aliases import AliasRegistry
from nlp.types import Analysis, Claim, Figure, Quote
from pipelines.decode import decode
from pipelines.evaluation import GOLDEN, REPO
from pipelines.extract_text import extract_html

SAMPLES = REPO / "samples" / "sites"
SETS = ("passages", "corpus")
LANGS = ("zh", "en", "ja")
_REL_TOL = 1e-6


# ---------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldClaim:
    subjects: tuple[str, ...]
    metric: str
    figure_text: str
    value: float | None
    low: float | None
    high: float | None
    direction: str | None = None
    period: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class GoldQuote:
    text: str
    speaker: str | None
    speaker_canonical: str | None
    anonymous: bool


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    lang: str
    set_name: str  # "passages" or "corpus"
    text: str
    doc_date: str | None
    claims: tuple[GoldClaim, ...]
    quotes: tuple[GoldQuote, ...]


def load_gold(
    langs: Sequence[str] = LANGS, sets: Sequence[str] = SETS, golden: Path = GOLDEN
) -> list[GoldDocument]:
    """The gold documents of the given languages and sets, passages first."""
    docs: list[GoldDocument] = []
    for lang in langs:
        if "passages" in sets:
            for row in _read_jsonl(golden / f"claims_{lang}.jsonl"):
                docs.append(_document(row, row["id"], lang, "passages", row["text"], row))
        if "corpus" in sets:
            for row in _read_jsonl(golden / f"sample_corpus_{lang}.jsonl"):
                page = SAMPLES / row["path"]
                html = decode(page.read_bytes()).text
                text = extract_html(html, page.resolve().as_uri(), lang).text
                docs.append(_document(row, row["path"], lang, "corpus", text, row))
    return docs


def _read_jsonl(path: Path) -> Iterable[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _document(
    row: dict, doc_id: str, lang: str, set_name: str, text: str, gold: dict
) -> GoldDocument:
    doc_date = row.get("doc_date") or (row.get("published_at") or "")[:10] or None
    claims = tuple(
        GoldClaim(
            subjects=tuple(c["subject"]) if isinstance(c["subject"], list) else (c["subject"],),
            metric=c["metric"],
            figure_text=c["figure_text"],
            value=c.get("value"),
            low=c.get("low"),
            high=c.get("high"),
            direction=c.get("direction"),
            period=c.get("period"),
            source=c.get("source"),
        )
        for c in gold.get("claims", [])
    )
    quotes = tuple(
        GoldQuote(q["text"], q.get("speaker"), q.get("speaker_canonical"), bool(q.get("anonymous")))
        for q in gold.get("quotes", [])
    )
    return GoldDocument(doc_id, lang, set_name, text, doc_date, claims, quotes)


# ---------------------------------------------------------------- scores


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(slots=True)
class ClaimScore(Score):
    missing_figure: int = 0  # misses whose gold figure the figure stage never found

    def add(self, other: Score) -> None:
        Score.add(self, other)
        if isinstance(other, ClaimScore):
            self.missing_figure += other.missing_figure


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """One document's matches and errors, for reading what went wrong."""

    doc: GoldDocument
    claims: ClaimScore
    quotes: Score
    missed_claims: tuple[tuple[GoldClaim, bool], ...]  # (gold, figure found at all)
    extra_claims: tuple[Claim, ...]
    missed_quotes: tuple[GoldQuote, ...]
    extra_quotes: tuple[Quote, ...]


@dataclass(slots=True)
class MetricRecall:
    gold: int = 0
    found: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


@dataclass(slots=True)
class ClaimsEvaluation:
    """Scores per (lang, set); `total(lang, set)` sums over either axis."""

    documents: list[DocumentResult] = field(default_factory=list)
    metric_recall: dict[str, MetricRecall] = field(default_factory=dict)

    def claims(self, lang: str | None = None, set_name: str | None = None) -> ClaimScore:
        total = ClaimScore()
        for result in self._select(lang, set_name):
            total.add(result.claims)
        return total

    def quotes(self, lang: str | None = None, set_name: str | None = None) -> Score:
        total = Score()
        for result in self._select(lang, set_name):
            total.add(result.quotes)
        return total

    def langs(self) -> list[str]:
        return [lang for lang in LANGS if any(r.doc.lang == lang for r in self.documents)]

    def sets(self) -> list[str]:
        return [s for s in SETS if any(r.doc.set_name == s for r in self.documents)]

    def _select(self, lang: str | None, set_name: str | None) -> Iterable[DocumentResult]:
        for result in self.documents:
            if (lang is None or result.doc.lang == lang) and (
                set_name is None or result.doc.set_name == set_name
            ):
                yield result


# ---------------------------------------------------------------- running


def evaluate_claims(
    documents: Sequence[GoldDocument], analyzer: Analyzer | None = None
) -> ClaimsEvaluation:
    """Run the pipeline over every gold document and score claims and quotes."""
    analyzer = analyzer or Analyzer()
    registry = analyzer.pipeline.resources.registry
    evaluation = ClaimsEvaluation()
    for doc in documents:
        analysis = analyzer.analyze(doc.text, lang=doc.lang, doc_id=doc.id, doc_date=doc.doc_date)
        result = score_document(doc, analysis, registry)
        evaluation.documents.append(result)
        missed = {id(gold) for gold, _ in result.missed_claims}
        for gold in doc.claims:
            recall = evaluation.metric_recall.setdefault(gold.metric, MetricRecall())
            recall.gold += 1
            recall.found += id(gold) not in missed
    return evaluation


def score_document(
    doc: GoldDocument, analysis: Analysis, registry: AliasRegistry | None = None
) -> DocumentResult:
    """Match one document's predictions to its gold, one to one."""
    claims, missed, extra = _score_claims(doc, analysis, registry)
    quotes, missed_quotes, extra_quotes = _score_quotes(doc, analysis)
    return DocumentResult(doc, claims, quotes, missed, extra, missed_quotes, extra_quotes)


def _score_claims(
    doc: GoldDocument, analysis: Analysis, registry: AliasRegistry | None
) -> tuple[ClaimScore, tuple[tuple[GoldClaim, bool], ...], tuple[Claim, ...]]:
    score = ClaimScore()
    unused = list(analysis.claims)
    missed: list[tuple[GoldClaim, bool]] = []
    # Longer figure surfaces go first, so that a repeated value (two 15% figures)
    # pairs with the prediction of the same surface.
    for gold in sorted(doc.claims, key=lambda g: -len(g.figure_text)):
        match = _pick(unused, gold, _accepted_subjects(gold, registry))
        if match is not None:
            unused.remove(match)
            score.tp += 1
            continue
        found = any(_same_number(f, gold) for f in analysis.figures)
        score.fn += 1
        score.missing_figure += not found
        missed.append((gold, found))
    score.fp = len(unused)
    return score, tuple(missed), tuple(unused)


def _score_quotes(
    doc: GoldDocument, analysis: Analysis
) -> tuple[Score, tuple[GoldQuote, ...], tuple[Quote, ...]]:
    score = Score()
    unused = list(analysis.quotes)
    missed: list[GoldQuote] = []
    for gold in doc.quotes:
        spans = _occurrences(doc.text, gold.text)
        hit = next((q for q in unused if _quote_matches(q, gold, spans)), None)
        if hit is not None:
            unused.remove(hit)
            score.tp += 1
        else:
            score.fn += 1
            missed.append(gold)
    score.fp = len(unused)
    return score, tuple(missed), tuple(unused)


def _accepted_subjects(gold: GoldClaim, registry: AliasRegistry | None) -> set[str]:
    accepted = set(gold.subjects)
    if registry is not None:
        accepted.update(c for c in map(registry.canonical, gold.subjects) if c)
    return accepted


def _pick(predicted: list[Claim], gold: GoldClaim, subjects: set[str]) -> Claim | None:
    candidates = [
        c
        for c in predicted
        if c.subject in subjects and c.metric == gold.metric and _same_number(c.figure, gold)
    ]
    if not candidates:
        return None
    same_surface = [c for c in candidates if c.figure.text == gold.figure_text]
    return (same_surface or candidates)[0]


def _same_number(figure: Figure, gold: GoldClaim) -> bool:
    if gold.value is not None:
        return _close(figure.value, gold.value)
    return _close(figure.low, gold.low) and _close(figure.high, gold.high)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=1e-9)


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if not needle:
        return spans
    start = text.find(needle)
    while start >= 0:
        spans.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return spans


def _quote_matches(quote: Quote, gold: GoldQuote, spans: list[tuple[int, int]]) -> bool:
    if not _same_speaker(quote, gold):
        return False
    for start, end in spans:
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap > 0 and overlap * 2 >= max(end - start, quote.end - quote.start):
            return True
    return False


def _same_speaker(quote: Quote, gold: GoldQuote) -> bool:
    if quote.speaker is not None and gold.speaker is not None:
        if _fold(quote.speaker) == _fold(gold.speaker):
            return True
    return bool(gold.speaker_canonical) and quote.speaker_canonical == gold.speaker_canonical


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()
