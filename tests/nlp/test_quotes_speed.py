"""The quote stage stays linear: 1 MB of hostile text in a few seconds."""

from __future__ import annotations

import pytest

from tests.nlp.test_claims_speed import BUDGET, CHUNK_EN, CHUNK_ZH, PREFIXES, megabyte, run_stage


@pytest.mark.slow
@pytest.mark.parametrize("prefix", list(PREFIXES))
@pytest.mark.parametrize(("chunk", "lang"), [(CHUNK_ZH, "zh"), (CHUNK_EN, "en")])
def test_quote_stage_on_a_hostile_megabyte(analyzer, prefix, chunk, lang):
    doc = megabyte(analyzer, PREFIXES[prefix], chunk, lang, prefix == "no sentence end")
    seconds = run_stage(analyzer, "quotes", doc)
    assert seconds < BUDGET, f"quotes took {seconds:.1f} CPU s on 1 MB ({prefix}, {lang})"
    assert doc.quotes  # the real quotes after the hostile prefix are still found


def test_a_lone_mark_every_few_characters_never_swallows_text(analyzer):
    text = "“英伟达营收为300亿美元。" * 2000 + "黄仁勋表示：“需求依然强劲。”"
    result = analyzer.analyze(text, lang="zh")
    assert [q.text for q in result.quotes] == ["需求依然强劲。"]
    assert len(result.claims) == 2000
