"""Quotes: every mark, named and unnamed speakers, terms that are not speech, broken marks."""

from __future__ import annotations

import pytest

from nlp.quotes import find_quote_spans


def quotes(analyzer, text: str, lang: str | None = None):
    result = analyzer.analyze(text, lang=lang)
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.text
    return [(q.text, q.speaker, q.speaker_canonical, q.anonymous) for q in result.quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # named, cue before, full-width colon and “”
        (
            "苏姿丰在发布会上表示：“MI325X将在第四季度出货。”",
            [("MI325X将在第四季度出货。", "苏姿丰", "Lisa Su", False)],
        ),
        # cue after the quote, an unnamed source
        (
            "“我们的订单已经排到明年。”一位台积电供应链人士说。",
            [("我们的订单已经排到明年。", "一位台积电供应链人士", None, True)],
        ),
        # title and company before the name: the name as written
        (
            "英伟达首席财务官Colette Kress在电话会上表示：“中国市场竞争激烈。”",
            [("中国市场竞争激烈。", "Colette Kress", "Colette Kress", False)],
        ),
        # Traditional Chinese with 「」
        (
            "魏哲家說：「先進封裝產能依然吃緊。」",
            [("先進封裝產能依然吃緊。", "魏哲家", "C. C. Wei", False)],
        ),
        # a quote that follows the sentence naming its speaker
        (
            "黄仁勋表示，Blackwell已经开始出货。“需求非常强劲。”",
            [("需求非常强劲。", "黄仁勋", "Jensen Huang", False)],
        ),
        # a partial quote inside reported speech
        (
            "一位接近英伟达的知情人士透露，公司对中国市场的策略“不会改变”。",
            [("不会改变", "一位接近英伟达的知情人士", None, True)],
        ),
    ],
)
def test_chinese_quotes(analyzer, text, expected):
    assert quotes(analyzer, text, "zh") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"Demand is insane," Huang said.',
            [("Demand is insane,", "Huang", "Jensen Huang", False)],
        ),
        (
            'AMD CEO Lisa Su said: "We are sampling MI325X to customers."',
            [("We are sampling MI325X to customers.", "Lisa Su", "Lisa Su", False)],
        ),
        (
            '"We see no slowdown," said a senior executive at a Taiwanese server maker, '
            "who asked not to be named.",
            [("We see no slowdown,", "a senior executive at a Taiwanese server maker", None, True)],
        ),
        (
            '"Margins will hold," said Jane Doe, an analyst at Example Securities.',
            [("Margins will hold,", "Jane Doe", None, False)],
        ),
        (
            "\u2018We are not done yet,\u2019 Gelsinger told staff.",
            [("We are not done yet,", "Gelsinger", "Pat Gelsinger", False)],
        ),
        (
            '"AI is real," C.C. Wei said on the earnings call.',
            [("AI is real,", "C.C. Wei", "C. C. Wei", False)],
        ),
    ],
)
def test_english_quotes(analyzer, text, expected):
    assert quotes(analyzer, text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ある業界関係者は「需要はまだ強い」と話す。",
            [("需要はまだ強い", "ある業界関係者", None, True)],
        ),
        (
            "「生成AIは転換点を迎えた」。エヌビディアのジェンスン・フアンCEOはこう語った。",
            [("生成AIは転換点を迎えた", "ジェンスン・フアン", "Jensen Huang", False)],
        ),
        (
            "東京エレクトロンの河合利樹社長は「装置の需要は強い」と述べた。",
            [("装置の需要は強い", "河合利樹", None, False)],
        ),
        (
            "「今年の受注は好調だ」（国内装置メーカーの幹部）との声が上がる。",
            [("今年の受注は好調だ", "国内装置メーカーの幹部", None, True)],
        ),
        (
            "「GPUが足りない」と話すのは、ある国内クラウド事業者の担当者だ。",
            [("GPUが足りない", "ある国内クラウド事業者の担当者", None, True)],
        ),
    ],
)
def test_japanese_quotes(analyzer, text, expected):
    assert quotes(analyzer, text, "ja") == expected


def test_a_quote_in_two_halves_keeps_its_speaker(analyzer):
    found = quotes(
        analyzer, '"We built it for AI first," Huang said, "and gamers will feel it."', "en"
    )
    assert [q[1] for q in found] == ["Huang", "Huang"]
    found = quotes(
        analyzer, "孫正義会長は「AIの中心にいたい」と述べ、「全力で投資する」と続けた。", "ja"
    )
    assert [q[2] for q in found] == ["Masayoshi Son", "Masayoshi Son"]


def test_pronoun_speakers_are_the_last_person_named(analyzer):
    found = quotes(analyzer, '"Demand is strong," Su said. "Supply is improving," she added.', "en")
    assert [(q[1], q[2]) for q in found] == [("Su", None), ("Su", None)] or [
        q[1] for q in found
    ] == ["Su", "Su"]
    found = quotes(analyzer, "雷军说：“交付量会继续增加。”他还表示：“我们有信心。”", "zh")
    assert [q[2] for q in found] == ["Lei Jun", "Lei Jun"]


def test_a_surname_finds_the_person_named_in_full_before(analyzer):
    text = 'Lisa Su opened the event. "We are ahead of plan," Su said.'
    [quote] = analyzer.analyze(text, lang="en").quotes
    assert (quote.speaker, quote.speaker_canonical) == ("Su", "Lisa Su")


@pytest.mark.parametrize(
    "text",
    [
        "摩尔线程被业内称为“国产英伟达”。",
        "摩根士丹利维持对英伟达的“增持”评级。",
        'Some investors worry about the so-called "AI bubble".',
        'Analysts call it the "AI trade", and the name has stuck.',
        "社内で「Izanagi」と呼ばれるプロジェクトを進めている。",
        "同社は「Blackwell」と「Hopper」の両方を出荷している。",
        "他推荐了《芯片战争》这本书。",
    ],
)
def test_quoted_terms_are_not_speech(analyzer, text):
    assert analyzer.analyze(text).quotes == []


def test_nested_quotes_are_inside_the_outer_one(analyzer):
    found = quotes(analyzer, "黄仁勋表示：“所谓‘AI泡沫’并不存在。”", "zh")
    assert found == [("所谓‘AI泡沫’并不存在。", "黄仁勋", "Jensen Huang", False)]
    spans = find_quote_spans("“外‘内’外”")
    assert [(s.open, s.close, s.depth) for s in spans] == [(0, 6, 0), (2, 4, 1)]


def test_a_quote_may_span_sentences(analyzer):
    text = '"Our customers keep asking for more. We expect tightness into 2025," Wei said.'
    [quote] = analyzer.analyze(text, lang="en").quotes
    assert quote.text.startswith("Our customers") and quote.text.endswith("2025,")


def test_an_unbalanced_mark_costs_one_quote_not_the_document(analyzer):
    text = "他说“今年会很难\n英伟达营收为300亿美元。黄仁勋表示：“需求强劲。”"
    result = analyzer.analyze(text, lang="zh")
    assert [q.text for q in result.quotes] == ["需求强劲。"]
    assert [c.figure.text for c in result.claims] == ["300亿美元"]


def test_unbalanced_marks_never_pair_across_the_limit():
    text = "“" + "字" * 5000 + "”"
    assert find_quote_spans(text) == []
    assert find_quote_spans("“a”b”c“") == [find_quote_spans("“a”")[0]]


def test_an_apostrophe_is_not_a_closing_mark():
    spans = find_quote_spans("‘Nvidia’s chips,’ he said")
    assert [(s.open, s.close) for s in spans] == [(0, 16)]


def test_quote_json_carries_the_contract_fields(analyzer):
    [quote] = analyzer.analyze("黄仁勋表示：“需求依然强劲。”").quotes
    assert set(quote.to_json()) == {
        "text",
        "start",
        "end",
        "speaker",
        "speaker_canonical",
        "anonymous",
        "cue",
    }
    assert quote.cue == "表示"
