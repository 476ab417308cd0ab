"""Sentence spans keep their offsets; abbreviations, decimals and closing quotes stay inside."""

from __future__ import annotations

from nlp.sentences import split_sentences


def texts(text: str) -> list[str]:
    spans = split_sentences(text)
    for sentence in spans:
        assert text[sentence.start : sentence.end] == sentence.text
    return [s.text for s in spans]


def test_chinese_and_japanese_terminators():
    assert texts("英伟达营收增长。黄仁勋表示：“需求强劲！”市场怎么看？") == [
        "英伟达营收增长。",
        "黄仁勋表示：“需求强劲！”",
        "市场怎么看？",
    ]
    assert texts("売上高は増えた。利益も増えた。") == ["売上高は増えた。", "利益も増えた。"]


def test_semicolons_do_not_end_a_chinese_sentence():
    assert texts("营收为300亿美元；毛利率为75%。") == ["营收为300亿美元；毛利率为75%。"]


def test_english_abbreviations_initials_and_decimals():
    text = "Revenue rose 3.5% at Nvidia Corp. in the U.S. market. C. C. Wei said so. Next one."
    assert texts(text) == [
        "Revenue rose 3.5% at Nvidia Corp. in the U.S. market.",
        "C. C. Wei said so.",
        "Next one.",
    ]


def test_closing_quote_stays_with_its_sentence():
    assert texts('"It is strong." He left.') == ['"It is strong."', "He left."]


def test_line_breaks_end_sentences_and_space_is_trimmed():
    assert texts("  标题\n\n正文第一句。  ") == ["标题", "正文第一句。"]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []
