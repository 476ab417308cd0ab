"""From an `nlp.Analysis` to the rows `db.store` writes, with stable content ids.

Ids come from content, not from offsets: a figure is named by its document,
its sentence's text (and which repeat of that sentence), its surface and
which repeat of that surface in the sentence. Editing another paragraph of an
article therefore keeps the ids, and the reviews, of every claim it did not
touch.
"""

from __future__ import annotations

import bisect
from collections import Counter

from db.ids import child_id, stable_id
from db.store import ClaimRow, Extraction, FigureRow, MentionRow, QuoteRow
from nlp.segment import Segmenter
from nlp.types import Analysis, Figure, Sentence

_CJK_LANGS = ("zh", "ja")


def fact_key(subject: str, metric: str, period: str | None) -> str:
    """Claims of one fact share subject, metric and period (values are compared later)."""
    return stable_id(subject.casefold(), metric, period or "")


def build_extraction(
    analysis: Analysis, doc_id: str, title: str | None, segmenter: Segmenter | None
) -> Extraction:
    figure_keys = _figure_keys(analysis, doc_id)
    mentions = [
        MentionRow(
            child_id(doc_id, stable_id(doc_id, "m", e.start, e.end)),
            e.canonical,
            e.text,
            e.label,
            e.start,
            e.end,
        )
        for e in analysis.entities
    ]
    figures = [
        FigureRow(
            child_id(doc_id, figure_keys[(f.start, f.end)]),
            f.start,
            f.end,
            f.text,
            f.kind,
            f.value,
            f.low,
            f.high,
            f.unit,
            f.currency,
            f.qualifier,
            f.error,
        )
        for f in analysis.figures
    ]
    claims: list[ClaimRow] = []
    seen: set[str] = set()
    for claim in analysis.claims:
        key = figure_keys[(claim.figure.start, claim.figure.end)]
        fid = child_id(doc_id, key)
        cid = child_id(doc_id, stable_id(key, claim.subject, claim.metric))
        if cid in seen:
            continue
        seen.add(cid)
        claims.append(
            ClaimRow(
                cid,
                fid,
                claim.subject,
                claim.subject_canonical,
                claim.metric,
                claim.direction,
                claim.period,
                claim.source,
                claim.sentence.text,
                claim.sentence.start,
                claim.sentence.end,
                fact_key(claim.subject, claim.metric, claim.period),
            )
        )
    quote_seen: Counter[str] = Counter()
    quotes = []
    for q in analysis.quotes:
        quote_seen[q.text] += 1
        quotes.append(
            QuoteRow(
                child_id(doc_id, stable_id(doc_id, "q", q.text, quote_seen[q.text])),
                q.start,
                q.end,
                q.text,
                q.speaker,
                q.speaker_canonical,
                q.anonymous,
                q.cue,
            )
        )
    cjk = analysis.lang in _CJK_LANGS and segmenter is not None
    search = segmenter.search_words if cjk and segmenter else (lambda s: s)
    if segmenter is not None and analysis.tokens:  # cut once: reuse the segmentation's words
        body = segmenter.search_words_of(analysis.tokens)
    else:
        body = search(analysis.text)
    return Extraction(
        mentions=mentions,
        figures=figures,
        claims=claims,
        quotes=quotes,
        search_title=search(title or ""),
        search_body=body,
    )


def _figure_keys(analysis: Analysis, doc_id: str) -> dict[tuple[int, int], str]:
    """Each figure's digest: its document, sentence and text, and which repeat it is.
    (A claim's digest is made from its figure's, so both stay what they were before
    ids were given their document's prefix.)"""
    ids: dict[tuple[int, int], str] = {}
    sentence_repeat: Counter[str] = Counter()
    sentence_of: dict[int, tuple[Sentence, int]] = {}
    for sent in analysis.sentences:
        sentence_repeat[sent.text] += 1
        sentence_of[sent.start] = (sent, sentence_repeat[sent.text])
    starts = sorted(sentence_of)
    surface_repeat: Counter[tuple[int, str]] = Counter()
    for figure in analysis.figures:
        sentence, repeat = _containing(figure, starts, sentence_of)
        key = (sentence.start if sentence else -1, figure.text)
        surface_repeat[key] += 1
        ids[(figure.start, figure.end)] = stable_id(
            doc_id, sentence.text if sentence else "", repeat, figure.text, surface_repeat[key]
        )
    return ids


def _containing(
    figure: Figure, starts: list[int], sentence_of: dict[int, tuple[Sentence, int]]
) -> tuple[Sentence | None, int]:
    idx = bisect.bisect_right(starts, figure.start) - 1
    if idx >= 0:
        sentence, repeat = sentence_of[starts[idx]]
        if sentence.start <= figure.start < sentence.end:
            return sentence, repeat
    return None, 0
