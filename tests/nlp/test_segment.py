"""Segmentation: words with offsets and tags, the same however many tags it remembers."""

from __future__ import annotations

import pytest

from nlp import segment

TEXT = (
    "英伟达第二季度毛利率为75.1%，黄仁勋表示，张伟和李娜认为Blackwell的需求依然强劲。"
    "台积电3nm产能紧张，AMD的MI300X出货量增长。"
)


def test_tokens_are_the_text_with_offsets_and_tags(analyzer) -> None:
    tokens = analyzer.pipeline.resources.segmenter.tokens(TEXT)
    assert all(TEXT[t.start : t.end] == t.text for t in tokens)
    tags = {t.text: t.pos for t in tokens}
    assert tags["英伟达"] == "nt"  # a registry alias
    assert tags["Blackwell"] == "eng" and tags["AMD"] == "eng" and tags["，"] == "x"
    assert tags["毛利率"] == "n" and tags["黄仁勋"] == "nr"


def test_remembered_tags_are_bounded_and_change_nothing(
    analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    segmenter = analyzer.pipeline.resources.segmenter
    expected = [(t.start, t.end, t.text, t.pos) for t in segmenter.tokens(TEXT)]
    monkeypatch.setattr(segment, "MAX_KNOWN_TAGS", 5)
    monkeypatch.setattr(segmenter, "_known_tags", {})
    for _ in range(2):  # with the memory filling, then full
        got = [(t.start, t.end, t.text, t.pos) for t in segmenter.tokens(TEXT)]
        assert got == expected
        assert len(segmenter._known_tags) == 5
