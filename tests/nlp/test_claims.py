"""Claims: whose figure, which measure, when, on whose word, which way (new sentences, not gold)."""

from __future__ import annotations

import pytest

from nlp.claims import ClaimFinder


def claims(analyzer, text: str, lang: str | None = None, doc_date: str | None = "2024-08-30"):
    result = analyzer.analyze(text, lang=lang, doc_date=doc_date)
    return [(c.subject, c.metric, c.figure.text) for c in result.claims], result


def find(analyzer, text: str, figure: str, lang: str | None = None, doc_date: str = "2024-08-30"):
    result = analyzer.analyze(text, lang=lang, doc_date=doc_date)
    return [c for c in result.claims if c.figure.text == figure]


# ---------------------------------------------------------------- subjects


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the research firm is the source, not the subject
        (
            "据IDC统计，2024年第一季度联想在全球PC市场的份额为23%，惠普以21%位居第二。",
            [("Lenovo", "market_share", "23%"), ("HP Inc.", "market_share", "21%")],
        ),
        # the nearest name is a product after a preposition; the subject leads the clause
        (
            "与英伟达H100相比，华为昇腾910B的训练性能约为其80%。",
            [("Ascend 910B", "performance_ratio", "80%")],
        ),
        # 来自中国的营收: a place after a preposition is not the subject
        (
            "英伟达公布财报，来自中国大陆的营收为37亿美元。",
            [("NVIDIA", "revenue", "37亿美元")],
        ),
        # "revenue from Japan", then the company speaking at the end
        (
            "Revenue from Japan rose 12% to $2.1 billion, Micron said.",
            [("Micron", "growth", "12%"), ("Micron", "revenue", "$2.1 billion")],
        ),
        # According to X: never the subject, nor joined to the one after it
        (
            "According to Counterpoint Research, Apple shipped 50 million iPhones in the quarter.",
            [("Apple", "shipments", "50 million iPhones")],
        ),
        # "X at N%": the name right before the figure
        (
            "Samsung will hold about 45% of the HBM market, ahead of Micron at 10%.",
            [("Samsung Electronics", "market_share", "45%"), ("Micron", "market_share", "10%")],
        ),
        # a relative clause names other companies; the subject is the one it hangs on
        (
            "Wistron, which builds servers for Nvidia and AMD, said it would hire 2,000 engineers.",
            [("Wistron", "headcount", "2,000 engineers")],
        ),
        # ja: the は-marked topic, not the company named in a later clause
        (
            "エヌビディアは、TSMCやSKハイニックスなど供給網の増産に支えられ、売上高が350億ドルに達した。",
            [("NVIDIA", "revenue", "350億ドル")],
        ),
        # ja: the base of a comparison (H100の4倍) is not the subject
        (
            "AMDによると、MI325Xは推論でH100の最大1.4倍の性能を発揮する。",
            [("MI325X", "performance_ratio", "1.4倍")],
        ),
    ],
)
def test_subject_traps(analyzer, text, expected):
    found, _ = claims(analyzer, text)
    for claim in expected:
        assert claim in found
    assert len(found) == len(expected)


def test_a_generic_owner_is_not_the_company_of_the_text(analyzer):
    text = "英伟达的GPU利用率超过70%。国产GPU卡的利用率只有40%左右。"
    found, _ = claims(analyzer, text)
    assert ("NVIDIA", "utilization", "70%") in found
    assert not [c for c in found if c[2] == "40%"]


def test_a_figure_with_no_entity_is_not_a_claim(analyzer):
    found, _ = claims(analyzer, "全球AI芯片市场规模预计将达到4000亿美元，增速约为30%。")
    assert found == []


# ---------------------------------------------------------------- back-references


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "寒武纪上半年营收为6477万元。该公司毛利率为55.8%。",
            "zh",
            ("Cambricon", "gross_margin", "55.8%"),
        ),
        (
            "根据台积电发布的财报，该公司第三季度净利润为3252.6亿新台币。",
            "zh",
            ("TSMC", "net_profit", "3252.6亿新台币"),
        ),
        (
            "Micron reported revenue of $6.8 billion. The company's gross margin was 26.9%.",
            "en",
            ("Micron", "gross_margin", "26.9%"),
        ),
        (
            "Dell beat estimates on Thursday, and its shares jumped 32% in extended trading.",
            "en",
            ("Dell Technologies", "stock_change", "32%"),
        ),
        (
            "キオクシアは決算を発表した。同社の売上高は4282億円だった。",
            "ja",
            ("Kioxia", "revenue", "4282億円"),
        ),
        # 后者 / the latter: the name just before it
        (
            "AMD宣布以6.65亿美元收购Silo AI，后者拥有约300名AI专家。",
            "zh",
            ("Silo AI", "headcount", "300名"),
        ),
    ],
)
def test_back_references_carry_the_company(analyzer, text, lang, expected):
    found, _ = claims(analyzer, text, lang)
    assert expected in found


def test_a_sentence_without_a_subject_inherits_the_topic(analyzer):
    text = "英伟达周三公布财报。当季净利润为166亿美元，同比增长168%。"
    found, _ = claims(analyzer, text)
    assert ("NVIDIA", "net_profit", "166亿美元") in found
    assert ("NVIDIA", "growth", "168%") in found


def test_speech_inside_quotes_does_not_change_the_topic(analyzer):
    text = (
        "SK Hynix reported record revenue this week. "
        '"Samsung will catch up," one analyst said. '
        "SK Hynix shares have gained 30%, giving the company a market value of 150 trillion won."
    )
    found, _ = claims(analyzer, text, "en")
    assert ("SK hynix", "market_cap", "150 trillion won") in found


# ---------------------------------------------------------------- distribution


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("字节跳动和阿里巴巴今年各自采购了约10万张H20。", {"ByteDance", "Alibaba"}),
        (
            "Intel and Samsung each spent about $25 billion on new fabs last year.",
            {"Intel", "Samsung Electronics"},
        ),
        ("米グーグルと米アマゾンはそれぞれ約5万基のH100を購入した。", {"Google", "Amazon"}),
    ],
)
def test_a_shared_figure_gives_one_claim_per_subject(analyzer, text, expected):
    result = analyzer.analyze(text)
    assert {c.subject for c in result.claims} == expected
    assert len({c.figure.text for c in result.claims}) == 1


def test_respectively_pairs_names_and_figures_in_order(analyzer):
    found, _ = claims(analyzer, "小米和vivo的份额分别为18%和17%。")
    assert found == [("Xiaomi", "market_share", "18%"), ("vivo", "market_share", "17%")]


# ---------------------------------------------------------------- metrics


@pytest.mark.parametrize(
    ("text", "figure", "metric"),
    [
        ("英伟达股价周五下跌6%，市值蒸发约1800亿美元。", "6%", "stock_change"),
        ("英伟达股价周五下跌6%，市值蒸发约1800亿美元。", "1800亿美元", "market_cap_change"),
        ("台积电市值首次突破1万亿美元。", "1万亿美元", "market_cap"),
        (
            "Dell shares jumped 32%, adding about $30 billion to its market value.",
            "$30 billion",
            "market_cap_change",
        ),
        # a change in points of a margin stays a margin
        ("美光毛利率为35.3%，较上季度提升8.6个百分点。", "8.6个百分点", "gross_margin"),
        # operating profit is not net profit
        ("ソニーグループの営業利益は3794億円だった。", "3794億円", "other"),
        # a share of the company's own revenue is not a market share
        ("英伟达数据中心营收占总营收的比重接近87%。", "87%", "other"),
        # 1000 名 counts people, whatever verb stands before it
        ("ZT Systems拥有约1000名工程师。", "1000名", "headcount"),
        # a level reached (rose to 57.8%) is the level's metric, not growth
        ("Qualcomm's gross margin rose to 57.8% in the quarter.", "57.8%", "gross_margin"),
        # compared with an estimate: the same metric as the figure it is compared with
        (
            "AMD expects revenue of $7.5 billion, compared with analysts' estimate of $7.1 billion.",
            "$7.1 billion",
            "revenue",
        ),
        # a spec-table cell: the column's product, the row's measure (none here: other)
        (
            "| Spec | RTX 5090 | RTX 5080 |\n|---|---|---|\n| Memory | 32GB | 16GB |",
            "16GB",
            "other",
        ),
    ],
)
def test_metric_from_cue_words(analyzer, text, figure, metric):
    assert [c.metric for c in find(analyzer, text, figure)] == [metric]


def test_table_cells_belong_to_their_column(analyzer):
    text = "| Spec | RTX 5090 | RTX 5080 |\n|---|---|---|\n| Memory | 32GB | 16GB |\n| Price | $1,999 | $999 |"
    found, _ = claims(analyzer, text, "en")
    assert ("RTX 5090", "other", "32GB") in found
    assert ("RTX 5080", "other", "16GB") in found
    assert ("RTX 5080", "price", "$999") in found


def test_process_nodes_and_tiny_counts_are_never_claims(analyzer):
    found, _ = claims(analyzer, "台积电的3nm产能利用率为90%，两位高管出席。", "zh")
    assert [c[2] for c in found] == ["90%"]


def test_headline_repeats_of_the_body_are_dropped(analyzer):
    text = "英伟达第二财季营收300亿美元\n英伟达第二财季营收为300亿美元，同比增长122%。"
    result = analyzer.analyze(text)
    revenue = [c for c in result.claims if c.metric == "revenue"]
    assert len(revenue) == 1 and revenue[0].figure.start > text.index("\n")


# ---------------------------------------------------------------- direction


@pytest.mark.parametrize(
    ("text", "figure", "direction"),
    [
        ("英伟达股价周五下跌7%。", "7%", "down"),
        ("Nvidia shares fell 7% after the results.", "7%", "down"),
        ("寒武纪营收同比增长20%。", "20%", "up"),
        ("アドバンテストの株価は一時、前日比14%上昇した。", "14%", "up"),
        ("インテルの売上高は前年同期比1%減の128億ドルだった。", "1%", "down"),
        ("英伟达毛利率为75.1%。", "75.1%", None),
    ],
)
def test_direction_lives_apart_from_the_number(analyzer, text, figure, direction):
    [claim] = find(analyzer, text, figure)
    assert claim.direction == direction
    assert claim.figure.value > 0  # the figure keeps its number as written


# ---------------------------------------------------------------- periods and sources


@pytest.mark.parametrize(
    ("text", "doc_date", "period"),
    [
        ("英伟达2025财年第二财季营收为300亿美元。", None, "FY2025Q2"),
        ("去年英伟达数据中心营收为475亿美元。", "2024-05-23", "2023"),
        ("Micron's revenue last quarter was $6.8 billion.", "2024-08-30", "2024Q2"),
        ("ソニーの2024年4〜6月期の売上高は3兆60億円だった。", None, "2024Q2"),
        # no date, no guess
        ("去年英伟达数据中心营收为475亿美元。", None, None),
    ],
)
def test_claim_periods(analyzer, text, doc_date, period):
    result = analyzer.analyze(text, doc_date=doc_date)
    assert [c.period for c in result.claims] == [period]


def test_the_period_of_an_earlier_sentence_carries_over(analyzer):
    text = "英伟达公布2025财年第二财季业绩。当季营收为300亿美元。"
    [claim] = analyzer.analyze(text).claims
    assert claim.period == "FY2025Q2"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("据TrendForce数据，三星在HBM市场的份额为42%。", "TrendForce"),
        ("根据Counterpoint的报告，苹果在中国市场的份额为15%。", "Counterpoint Research"),
        ("Apple's share of the market was 20%, according to IDC.", "IDC"),
        ("IDCによると、レノボのシェアは23%に達した。", "IDC"),
        ("AMD claimed the MI300X is 1.3 times faster than the H100.", "AMD"),
    ],
)
def test_sources(analyzer, text, source):
    result = analyzer.analyze(text)
    assert result.claims and {c.source for c in result.claims} == {source}


def test_claim_json_carries_the_contract_fields(analyzer):
    result = analyzer.analyze("英伟达第二财季毛利率为75.1%。", doc_date="2024-08-29")
    data = result.claims[0].to_json()
    assert set(data) >= {
        "subject",
        "metric",
        "figure",
        "period",
        "source",
        "sentence",
        "start",
        "end",
    }
    assert result.text[data["start"] : data["end"]] == data["sentence"]


def test_claim_finder_takes_sentences_as_given(analyzer):
    finder = ClaimFinder(analyzer.pipeline.resources.registry)
    assert finder.find("", "zh", [], [], []) == []
