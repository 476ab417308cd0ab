"""Entities: the registry across scripts, product patterns, names by rule, user entity files."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import Analyzer, NlpError
from nlp.aliases import AliasRegistry, default_registry
from nlp.entities import PRODUCT_PATTERN, find_entities


def canonicals(analyzer, text: str, lang: str | None = None) -> list[str | None]:
    return [e.canonical for e in analyzer.analyze(text, lang=lang).entities]


@pytest.mark.parametrize(
    ("text", "lang", "canonical"),
    [
        ("英伟达", "zh", "NVIDIA"),
        ("英偉達", "zh", "NVIDIA"),
        ("輝達", "zh", "NVIDIA"),
        ("辉达", "zh", "NVIDIA"),
        ("Nvidia", "en", "NVIDIA"),
        ("NVIDIA", "en", "NVIDIA"),
        ("エヌビディア", "ja", "NVIDIA"),
        ("华为", "zh", "Huawei"),
        ("華為", "zh", "Huawei"),
        ("ファーウェイ", "ja", "Huawei"),
        ("台积电", "zh", "TSMC"),
        ("台積電", "zh", "TSMC"),
        ("寒武纪", "zh", "Cambricon"),
        ("昆仑芯", "zh", "Kunlunxin"),
        ("联想", "zh", "Lenovo"),
        ("黃仁勳", "zh", "Jensen Huang"),
        ("ジェンスン・フアン", "ja", "Jensen Huang"),
        ("昇騰910B", "zh", "Ascend 910B"),
    ],
)
def test_registry_matches_across_scripts(analyzer, text, lang, canonical):
    assert canonicals(analyzer, f"{text}", lang) == [canonical]


def test_registry_size_and_shape():
    registry = default_registry()
    assert len(registry.records) >= 150
    labels = {r.label for r in registry.records.values()}
    assert labels == {"ORG", "PERSON", "GPE", "PRODUCT", "EVENT"}
    assert registry.record("Reuters").role == "media"
    assert registry.record("TrendForce").role == "research"


def test_latin_aliases_keep_word_boundaries(analyzer):
    # ARM inside ARMY, Intel inside Intelligence: no match
    assert canonicals(analyzer, "The ARMY uses Intelligence tools.", "en") == []


def test_short_chinese_alias_does_not_fire_inside_a_word(analyzer):
    # 联电 (UMC) inside 并联电容 is cut out by jieba's word boundaries
    assert "UMC" not in canonicals(analyzer, "这款电源采用并联电容设计。", "zh")
    assert "UMC" in canonicals(analyzer, "联电第二季度营收增长。", "zh")


def test_jieba_tags_names_the_registry_does_not_know(analyzer):
    entities = analyzer.analyze("董事长张建中表示，公司将继续投入研发。", lang="zh").entities
    assert ("张建中", "PERSON", "Zhang Jianzhong") in [
        (e.text, e.label, e.canonical) for e in entities
    ]
    new_person = analyzer.analyze("创始人周衡表示看好市场。", lang="zh").entities
    assert ("周衡", "PERSON") in [(e.text, e.label) for e in new_person]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("Nvidia's H100 and H20", "H100"),
        ("AMD MI300X accelerators", "MI300X"),
        ("Intel Gaudi 3 kits", "Gaudi 3"),
        ("华为昇腾910B芯片", "昇腾910B"),
        ("a GeForce RTX 4090 card", "RTX 4090"),
        ("the Radeon RX 9070 series", "Radeon RX 9070"),
        ("Llama 2 70B inference", "Llama 2 70B"),
        ("H100s fetch $25,000", "H100"),
    ],
)
def test_product_patterns(text, surface):
    assert surface in [m.group() for m in PRODUCT_PATTERN.finditer(text)]


def test_products_keep_digits_away_from_figures(analyzer):
    result = analyzer.analyze("The MI300X and H100 cost $15,000 and $30,000.", lang="en")
    assert [f.text for f in result.figures] == ["$15,000", "$30,000"]


def test_english_names_beyond_the_registry(analyzer):
    text = (
        '"Demand holds," said Jonathan Reyes, a portfolio manager at Harbor Peak Advisors. '
        "Analyst Hannah Cole agreed."
    )
    found = {(e.text, e.label) for e in analyzer.analyze(text, lang="en").entities}
    assert ("Jonathan Reyes", "PERSON") in found
    assert ("Harbor Peak Advisors", "ORG") in found
    assert ("Hannah Cole", "PERSON") in found


def test_rule_names_never_replace_a_registry_match():
    registry = default_registry()
    entities = find_entities("Samsung Electronics Co. said", registry, lang="en")
    assert [(e.text, e.canonical) for e in entities] == [
        ("Samsung Electronics", "Samsung Electronics")
    ]


def test_entity_offsets_are_the_surface(analyzer):
    text = "据TrendForce数据，英伟达和AMD的份额合计超过90%。"
    for entity in analyzer.analyze(text).entities:
        assert text[entity.start : entity.end] == entity.text


# ---------------------------------------------------------------- user entity files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_adds_an_entity(tmp_path):
    path = write(
        tmp_path,
        '[[entity]]\ncanonical = "Xinyuan Semi"\nlabel = "ORG"\naliases = ["芯原半导体", "新元半導體"]\n',
    )
    analyzer = Analyzer(entity_files=[str(path)])
    result = analyzer.analyze("芯原半导体第二季度营收为5亿元。", lang="zh")
    assert [(c.subject, c.metric) for c in result.claims] == [("Xinyuan Semi", "revenue")]
    assert analyzer.pipeline.resources.registry.canonical("新元半導體") == "Xinyuan Semi"


def test_a_user_file_overrides_an_entry_by_canonical_name(tmp_path):
    path = write(
        tmp_path,
        '[[entity]]\ncanonical = "NVIDIA"\nlabel = "ORG"\naliases = ["绿厂"]\n',
    )
    registry = AliasRegistry.load([path])
    assert registry.canonical("绿厂") == "NVIDIA"
    assert registry.canonical("英伟达") is None  # replaced, not merged
    assert default_registry().canonical("英伟达") == "NVIDIA"  # the shipped one is untouched


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[entity]]\nlabel = 'ORG'\n", "canonical"),
        ("[[entity]]\ncanonical = 'X'\nlabel = 'COMPANY'\n", "label 'COMPANY'"),
        ("[[entity]]\ncanonical = 'X'\naliases = 'Y'\n", "aliases"),
        ("[[entity]]\ncanonical = 'X'\nrole = 'blogger'\n", "role 'blogger'"),
        ("[[entity]\ncanonical = 'X'\n", "not valid TOML"),
    ],
)
def test_bad_user_files_are_named(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(NlpError, match=message) as failure:
        AliasRegistry.load([path])
    assert "mine.toml" in str(failure.value)


def test_a_missing_user_file_is_named(tmp_path):
    with pytest.raises(NlpError, match="cannot read entity file"):
        AliasRegistry.load([tmp_path / "missing.toml"])
