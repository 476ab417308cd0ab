"""The stage registry: stages by name, their needs checked before anything runs."""

from __future__ import annotations

import pytest

from nlp import DEFAULT_STAGES, SPACY_STAGES, Analyzer, NlpError
from nlp.stages import STAGES, build_pipeline, check_order


def test_default_order_builds_and_runs():
    result = Analyzer(DEFAULT_STAGES).analyze("英伟达第二财季毛利率为75.1%。")
    assert result.lang == "zh"
    assert [(c.subject, c.metric) for c in result.claims] == [("NVIDIA", "gross_margin")]


def test_unknown_stage_is_named():
    with pytest.raises(NlpError, match=r"unknown stage 'sentiment'"):
        check_order(["language", "sentiment"])


def test_unmet_needs_are_named():
    with pytest.raises(NlpError) as failure:
        check_order(["language", "claims"])
    message = str(failure.value)
    assert "'claims'" in message and "sentences" in message and "figures" in message


def test_needs_must_come_from_an_earlier_stage():
    with pytest.raises(NlpError, match="quotes"):
        build_pipeline(["quotes", "language", "sentences", "segmentation", "entities"])


def test_a_shorter_pipeline_leaves_later_fields_empty():
    analyzer = Analyzer(("language", "sentences", "segmentation", "entities"))
    result = analyzer.analyze("英伟达和AMD")
    assert [e.canonical for e in result.entities] == ["NVIDIA", "AMD"]
    assert result.figures == [] and result.claims == []


def test_every_stage_declares_a_docstring_and_what_it_sets():
    for spec in STAGES.values():
        assert spec.doc, spec.name
        assert spec.sets, spec.name


def test_the_spacy_stage_is_optional_and_not_in_the_default_order():
    assert "entities_spacy" in STAGES
    assert "entities_spacy" not in DEFAULT_STAGES
    assert "entities_spacy" in SPACY_STAGES
    check_order(SPACY_STAGES)


def test_stages_are_built_once_per_pipeline():
    analyzer = Analyzer()
    first = analyzer.pipeline.resources.registry
    analyzer.analyze("英伟达")
    analyzer.analyze("Nvidia")
    assert analyzer.pipeline.resources.registry is first
