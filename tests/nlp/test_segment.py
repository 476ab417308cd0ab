"""Segmentation: words with offsets and tags, the same however many tags it remembers."""

from __future__ import annotations

import random

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


def random_texts(count: int) -> list[str]:
    """Mixed Chinese, Japanese, Latin, digits, punctuation and whitespace, drawn so
    that short Han blocks repeat (the remembered ones) and long ones occur too."""
    rng = random.Random(11)
    pieces = [
        "半導体", "四半期", "年", "月", "の", "が", "を", "した", "ソフトバンク", "英伟达",
        "毛利率为", "75.1%", "H100", "AI", "  ", "\r\n", "\n", "，", "。", "、", "\u3000",
        "Blackwell", "出货量增长", "黄仁勋表示", "台積電", "売上高", "前年同期比", "3nm", "x+y#z",
    ]  # fmt: skip
    return ["".join(rng.choices(pieces, k=rng.randrange(1, 40))) for _ in range(count)]


def test_words_are_jiebas_cut_and_search_words_its_cut_for_search(analyzer) -> None:
    segmenter = analyzer.pipeline.resources.segmenter
    tokenizer = segmenter.tokenizer
    texts = [TEXT, *random_texts(500)]
    for _ in range(2):  # remembering the blocks, then answering from memory
        for text in texts:
            assert list(segmenter.words(text)) == list(tokenizer.cut(text, HMM=True)), text
            expected = " ".join(w for w in tokenizer.cut_for_search(text) if w.strip())
            assert segmenter.search_words(text) == expected, text
    assert segmenter._known_blocks
    assert max(len(block) for block in segmenter._known_blocks) <= segment.SHORT_BLOCK


def test_remembered_blocks_are_bounded_and_change_nothing(
    analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    segmenter = analyzer.pipeline.resources.segmenter
    texts = random_texts(50)
    expected = [list(segmenter.tokenizer.cut(text, HMM=True)) for text in texts]
    monkeypatch.setattr(segment, "MAX_KNOWN_BLOCKS", 3)
    monkeypatch.setattr(segmenter, "_known_blocks", {})
    for _ in range(2):
        assert [list(segmenter.words(text)) for text in texts] == expected
        assert len(segmenter._known_blocks) == 3
