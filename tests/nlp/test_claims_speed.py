"""The claim stage stays linear: 1 MB of hostile text in a few seconds.

The stages before it run once on a short chunk; the megabyte is that chunk
repeated (its entities and figures shifted along), behind a hostile prefix:
unbalanced quote marks, thousands of brackets, a sea of whitespace, or no
sentence end at all.
"""

from __future__ import annotations

import time

import pytest

from nlp.sentences import split_sentences
from nlp.types import Analysis, Entity, Figure, Sentence

MEGABYTE = 1_000_000
# CPU seconds (not wall-clock, so that a busy machine does not fail the test) for
# one stage on 1 MB; about 2-3 s on a quiet two-core machine.
BUDGET = 8.0

# News at the figure density of the sample corpus (a figure every 40-50 characters).
CHUNK_ZH = (
    "据TrendForce数据，2024年第二季度英伟达在全球AI芯片市场的份额约为80%，位居第一，"
    "AMD的份额则在10%左右。该公司当季营收为300.4亿美元，同比增长122%，主要受数据中心业务"
    "带动。黄仁勋在随后的电话会上表示：“客户对Hopper的需求依然强劲，Blackwell的样品已经送到"
    "客户手中。”被称为“国产英伟达”的摩尔线程近日完成新一轮融资，金额超过25亿元，投资方包括"
    "多家产业基金。"
)
CHUNK_EN = (
    "Nvidia's revenue rose 122% to $30.04 billion in the second quarter, according to LSEG "
    'data, as demand for its Hopper chips held up. "Demand remains strong," Chief Executive '
    "Jensen Huang said on a call with analysts, while AMD held about 10% of the market for AI "
    "accelerators. Shares of the company fell 6.4% in extended trading, wiping roughly $200 "
    "billion off its market value. "
)
PREFIXES = {
    "unbalanced quotes": "“" * 200_000 + "「" * 100_000 + '"' * 100_000,
    "brackets": "(" * 200_000 + "（" * 200_000,
    "whitespace": " \t\u3000\n" * 100_000,
    "no sentence end": "",
}


def megabyte(analyzer, prefix: str, chunk: str, lang: str, one_sentence: bool) -> Analysis:
    """`prefix` then `chunk` repeated to 1 MB, with entities and figures shifted along."""
    if one_sentence:
        chunk = chunk.replace("。", "，").replace(". ", ", ")
    sample = analyzer.analyze(chunk, lang=lang)
    repeats = (MEGABYTE - len(prefix)) // len(chunk)
    text = prefix + chunk * repeats
    entities: list[Entity] = []
    figures: list[Figure] = []
    for index in range(repeats):
        shift = len(prefix) + index * len(chunk)
        entities += [Entity(e.text, e.start + shift, e.end + shift, e.label, e.canonical)
                     for e in sample.entities]  # fmt: skip
        figures += [_shifted(f, shift) for f in sample.figures]
    doc = Analysis(text=text, lang=lang, doc_date="2024-08-30")
    doc.sentences = [Sentence(0, len(text), text)] if one_sentence else split_sentences(text)
    doc.entities, doc.figures = entities, figures
    return doc


def _shifted(figure: Figure, shift: int) -> Figure:
    return Figure(figure.text, figure.start + shift, figure.end + shift, figure.kind,
                  figure.value, figure.low, figure.high, figure.unit, figure.currency,
                  figure.qualifier)  # fmt: skip


def run_stage(analyzer, name: str, doc: Analysis) -> float:
    step = dict(analyzer.pipeline.steps)[name]
    started = time.process_time()
    step(doc)
    return time.process_time() - started


@pytest.mark.slow
@pytest.mark.parametrize("prefix", list(PREFIXES))
@pytest.mark.parametrize(("chunk", "lang"), [(CHUNK_ZH, "zh"), (CHUNK_EN, "en")])
def test_claims_stage_on_a_hostile_megabyte(analyzer, prefix, chunk, lang):
    one_sentence = prefix == "no sentence end"
    doc = megabyte(analyzer, PREFIXES[prefix], chunk, lang, one_sentence)
    seconds = run_stage(analyzer, "claims", doc)
    assert seconds < BUDGET, f"claims took {seconds:.1f} CPU s on 1 MB ({prefix}, {lang})"
    assert len(doc.claims) > len(doc.figures) // 3  # it still found the claims
