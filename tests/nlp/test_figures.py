"""The figure extractor on tables of edge cases, each row checked against the
contract (../shared/spec/extract.md, FIGURE): numerals, scale words, every
kind, ranges with every connector, every qualifier, ¥ by language, and the
traps that are no figures at all."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from nlp.figures.extract import FigureExtractor, extract_figures
from nlp.figures.numerals import parse_arabic, parse_chinese, parse_english, to_chinese
from nlp.types import Figure

# ---------------------------------------------------------------- numerals


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("三千", 3000),
        ("两百", 200),
        ("一千二百亿", 120_000_000_000),
        ("〇", 0),
        ("零", 0),
        ("十一", 11),
        ("十", 10),
        ("二〇二四", 2024),
        ("一千零一", 1001),
        ("一千零十二", 1012),
        ("一千二", 1200),
        ("两千三百五", 2350),
        ("百三", 130),
        ("一万三", 13000),
        ("三万五千", 35000),
        ("四千万零六千", 40_006_000),
        ("五兆六十二亿四万五千二", 5_006_200_045_200),
        ("四万万", 400_000_000),
        ("零点五", 0.5),
        ("三点五亿", 350_000_000),
        ("1.2万", 12000),
        ("3万5千", 35000),
        ("3万2,150", 32150),
        ("1,100.9亿", 110_090_000_000),
        ("负三十二", -32),
        ("十 余 万", 100000),
        ("壹佰伍拾", 150),
        ("五分之一", 0.2),
        ("三百五又三分之一", 350 + 1 / 3),
    ],
)
def test_chinese_numerals(surface: str, value: float) -> None:
    assert parse_chinese(surface) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("surface", ["五十千", "两两", "", "点", "分之"])
def test_ill_formed_chinese_numerals_are_none(surface: str) -> None:
    assert parse_chinese(surface) is None


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("3,000", 3000),
        ("3，000", 3000),
        ("12.5", 12.5),
        (".5", 0.5),
        ("1 234 567", 1234567),
        ("2e5", 200000),
        ("1.1^2", 1.21),
        ("-12", -12),
    ],
)
def test_arabic_numbers(surface: str, value: float) -> None:
    assert parse_arabic(surface) == pytest.approx(value)


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("twelve", 12),
        ("twenty-one", 21),
        ("one hundred and three", 103),
        ("a third", 1 / 3),
        ("two thirds", 2 / 3),
        ("a quarter", 0.25),
        ("half", 0.5),
        ("one and a half", 1.5),
        ("half a dozen", 6),
        ("three point five", 3.5),
        ("twenty-one trillion three hundred", 21_000_000_000_300),
        ("minus five", -5),
        ("three lakh crore", 3e12),
    ],
)
def test_english_numbers(surface: str, value: float) -> None:
    assert parse_english(surface) == pytest.approx(value)


@pytest.mark.parametrize("surface", ["one one", "first", "and", "hundred hundred"])
def test_english_words_that_are_no_number(surface: str) -> None:
    assert parse_english(surface) is None


@pytest.mark.parametrize("value", [0, 1, 10, 11, 20, 101, 1010, 10001, 120_000_000_000])
def test_to_chinese_round_trips(value: int) -> None:
    assert parse_chinese(to_chinese(value)) == value


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Want:
    text: str
    kind: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    currency: str | None = None
    qualifier: str = "exact"


def check(figure: Figure, want: Want) -> None:
    got = (figure.text, figure.kind, figure.unit, figure.currency, figure.qualifier)
    assert got == (want.text, want.kind, want.unit, want.currency, want.qualifier)
    for name in ("value", "low", "high"):
        expected, actual = getattr(want, name), getattr(figure, name)
        if expected is None:
            assert actual is None, f"{name}: {actual}"
        else:
            assert actual == pytest.approx(expected, rel=1e-6), name


def only(text: str, lang: str) -> Figure:
    figures = extract_figures(text, lang)
    assert len(figures) == 1, figures
    return figures[0]


FORMS = [
    ("出货量为３，０００台。", "zh", Want("３，０００台", "count", 3000, unit="台")),
    ("毛利率为１２．５％。", "zh", Want("１２．５％", "percent", 12.5, unit="%")),
    ("公司有三千名员工。", "zh", Want("三千名", "count", 3000, unit="名")),
    ("采购了两百台服务器。", "zh", Want("两百台", "count", 200, unit="台")),
    ("营收达一千二百亿元。", "zh", Want("一千二百亿元", "money", 1.2e11, currency="CNY")),
    ("共有十一个国家参与。", "zh", Want("十一个", "count", 11, unit="个")),
    ("同比下降百分之十二。", "zh", Want("百分之十二", "percent", 12, unit="%")),
    ("用户数达1.2万人。", "zh", Want("1.2万人", "count", 12000, unit="人")),
    ("本轮融资3.5亿元。", "zh", Want("3.5亿元", "money", 3.5e8, currency="CNY")),
    ("该芯片集成540 億個晶体管。", "ja", Want("540 億個", "count", 5.4e10, unit="個")),
    ("売上高は1,930億ドルだった。", "ja", Want("1,930億ドル", "money", 1.93e11, currency="USD")),
    ("Revenue rose twelve percent.", "en", Want("twelve percent", "percent", 12, unit="%")),
    ("It sells a third of its output abroad.", "en", Want("a third", "fraction", 1 / 3)),
    ("Half of the chips were sold.", "en", Want("Half", "fraction", 0.5)),
    (
        "Tens of thousands of GPUs sit idle.",
        "en",
        Want("Tens of thousands", "count", 10000, unit="GPUs", qualifier="vague"),
    ),
    ("净利润为一〇五亿元。", "zh", Want("一〇五亿元", "money", 1.05e10, currency="CNY")),
]


@pytest.mark.parametrize(("text", "lang", "want"), FORMS, ids=[row[0] for row in FORMS])
def test_written_forms(text: str, lang: str, want: Want) -> None:
    check(only(text, lang), want)


SCALES = [
    ("营收3万元。", "zh", "3万元", 3e4),
    ("营收3亿元。", "zh", "3亿元", 3e8),
    ("營收3億元。", "zh", "3億元", 3e8),
    ("营收3万亿元。", "zh", "3万亿元", 3e12),
    ("营收3兆日元。", "zh", "3兆日元", 3e12),
    ("売上高は3兆円。", "ja", "3兆円", 3e12),
    ("营收3千元。", "zh", "3千元", 3e3),
    ("营收3百万元。", "zh", "3百万元", 3e6),
    ("营收3千万元。", "zh", "3千万元", 3e7),
    ("It raised $3 thousand.", "en", "$3 thousand", 3e3),
    ("It raised $3 million.", "en", "$3 million", 3e6),
    ("It raised $3 billion.", "en", "$3 billion", 3e9),
    ("It raised $3 trillion.", "en", "$3 trillion", 3e12),
    ("It raised $3k.", "en", "$3k", 3e3),
    ("It raised $3m.", "en", "$3m", 3e6),
    ("It raised $3mn.", "en", "$3mn", 3e6),
    ("It raised $3bn.", "en", "$3bn", 3e9),
    ("It raised $3tn.", "en", "$3tn", 3e12),
    ("It raised £45m.", "en", "£45m", 4.5e7),
    ("It raised $6.5B.", "en", "$6.5B", 6.5e9),
]


@pytest.mark.parametrize(
    ("text", "lang", "surface", "value"), SCALES, ids=[row[2] for row in SCALES]
)
def test_every_scale_word(text: str, lang: str, surface: str, value: float) -> None:
    figure = only(text, lang)
    assert (figure.text, figure.kind) == (surface, "money")
    assert figure.value == pytest.approx(value)


KINDS = [
    ("毛利率为75.1%。", "zh", Want("75.1%", "percent", 75.1, unit="%")),
    ("三成企业亏损。", "zh", Want("三成", "percent", 30, unit="%")),
    ("3割の企業が回答。", "ja", Want("3割", "percent", 30, unit="%")),
    ("环比提升3.2个百分点。", "zh", Want("3.2个百分点", "percentage_point", 3.2, unit="pp")),
    (
        "Margins rose 3.2 percentage points.",
        "en",
        Want("3.2 percentage points", "percentage_point", 3.2, unit="pp"),
    ),
    (
        "Rates rose 25 basis points.",
        "en",
        Want("25 basis points", "percentage_point", 0.25, unit="pp"),
    ),
    ("单价为4万美元。", "zh", Want("4万美元", "money", 40000, currency="USD")),
    ("It costs $4.0bn.", "en", Want("$4.0bn", "money", 4e9, currency="USD")),
    ("The stock closed at 50 cents.", "en", Want("50 cents", "money", 0.5, currency="USD")),
    ("股价报1,015新台币。", "zh", Want("1,015新台币", "money", 1015, currency="TWD")),
    ("售价为NT$36,900。", "zh", Want("NT$36,900", "money", 36900, currency="TWD")),
    ("市值4000亿港元。", "zh", Want("4000亿港元", "money", 4e11, currency="HKD")),
    ("营收62亿欧元。", "zh", Want("62亿欧元", "money", 6.2e9, currency="EUR")),
    ("It sold for €2 billion.", "en", Want("€2 billion", "money", 2e9, currency="EUR")),
    ("It sold for £3 million.", "en", Want("£3 million", "money", 3e6, currency="GBP")),
    ("投资2兆韩元。", "zh", Want("2兆韩元", "money", 2e12, currency="KRW")),
    ("价格为1000日元。", "zh", Want("1000日元", "money", 1000, currency="JPY")),
    ("出货10万片。", "zh", Want("10万片", "count", 1e5, unit="片")),
    ("It hired 2,000 engineers.", "en", Want("2,000 engineers", "count", 2000, unit="engineers")),
    ("It owns 350,000 H100 GPUs.", "en", Want("350,000", "count", 350000, unit="GPUs")),
    ("Headcount reached 30,000.", "en", Want("30,000", "count", 30000)),
    ("性能提升1.2倍。", "zh", Want("1.2倍", "multiple", 1.2, unit="x")),
    ("It is 2.5 times faster.", "en", Want("2.5 times", "multiple", 2.5, unit="x")),
    ("It is 10x faster.", "en", Want("10x", "multiple", 10, unit="x")),
    ("性能は7 倍になる。", "ja", Want("7 倍", "multiple", 7, unit="x")),
    ("占全球产能的三分之一。", "zh", Want("三分之一", "fraction", 1 / 3)),
    ("占全球产能的四分之一。", "zh", Want("四分之一", "fraction", 0.25)),
    ("约1/3的企业盈利。", "zh", Want("1/3", "fraction", 1 / 3, qualifier="about")),
    ("一半的企业盈利。", "zh", Want("一半", "fraction", 0.5)),
    ("半額セールを実施。", "ja", Want("半額", "fraction", 0.5)),
    ("A quarter of sales came from China.", "en", Want("A quarter", "fraction", 0.25)),
    ("AMD took roughly a quarter.", "en", Want("a quarter", "fraction", 0.25, qualifier="about")),
    ("芯片面积826平方毫米。", "zh", Want("826平方毫米", "dimension", 826, unit="mm2")),
    (
        "ダイは826 平方ミリメートル。",
        "ja",
        Want("826 平方ミリメートル", "dimension", 826, unit="mm2"),
    ),
    (
        "The die is 826 square millimeters.",
        "en",
        Want("826 square millimeters", "dimension", 826, unit="mm2"),
    ),
    ("采用3nm工艺。", "zh", Want("3nm", "dimension", 3, unit="nm")),
    ("功耗700W。", "zh", Want("700W", "dimension", 700, unit="W")),
    ("带宽3.35TB/s。", "zh", Want("3.35TB/s", "dimension", 3.35, unit="TB/s")),
    ("显存80GB。", "zh", Want("80GB", "dimension", 80, unit="GB")),
    ("主频3.2GHz。", "zh", Want("3.2GHz", "dimension", 3.2, unit="GHz")),
    ("算力达1000 TFLOPS。", "zh", Want("1000 TFLOPS", "dimension", 1000, unit="TFLOPS")),
    ("The phone has a 6.7-inch display.", "en", Want("6.7-inch", "dimension", 6.7, unit="inch")),
    ("项目周期三个月。", "zh", Want("三个月", "duration", 3, unit="month")),
    ("開発に3か月かかった。", "ja", Want("3か月", "duration", 3, unit="month")),
    ("It took three months.", "en", Want("three months", "duration", 3, unit="month")),
    ("耗时2年。", "zh", Want("2年", "duration", 2, unit="year")),
    ("历时3周。", "zh", Want("3周", "duration", 3, unit="week")),
    ("持续10天。", "zh", Want("10天", "duration", 10, unit="day")),
    ("同社は3四半期連続で増益。", "ja", Want("3四半期", "duration", 3, unit="quarter")),
    ("It burned cash for two quarters.", "en", Want("two quarters", "duration", 2, unit="quarter")),
    ("PMI为49.5。", "zh", Want("49.5", "number", 49.5)),
    ("单核得分为2,950分。", "zh", Want("2,950分", "number", 2950)),
]


@pytest.mark.parametrize(("text", "lang", "want"), KINDS, ids=[row[0] for row in KINDS])
def test_every_kind(text: str, lang: str, want: Want) -> None:
    check(only(text, lang), want)


RANGES = [
    ("出货量为3万至5万片。", "zh", Want("3万至5万片", "count", low=3e4, high=5e4, unit="片")),
    ("出货量为3至5万片。", "zh", Want("3至5万片", "count", low=3e4, high=5e4, unit="片")),
    ("单价在2.5万到3万美元之间。", "zh", Want("2.5万到3万美元", "money", low=2.5e4, high=3e4, currency="USD")),
    ("毛利率为70~80%。", "zh", Want("70~80%", "percent", low=70, high=80, unit="%")),
    ("利益率は70〜80%。", "ja", Want("70〜80%", "percent", low=70, high=80, unit="%")),
    ("增速为10%～15%。", "zh", Want("10%～15%", "percent", low=10, high=15, unit="%")),
    ("规模达30-50亿元。", "zh", Want("30-50亿元", "money", low=3e9, high=5e9, currency="CNY")),
    ("It expects 30–50 GW.", "en", Want("30–50 GW", "dimension", low=30, high=50, unit="GW")),
    ("出货量为30,000 ~ 50,000台。", "zh", Want("30,000 ~ 50,000台", "count", low=3e4, high=5e4, unit="台")),
    ("It will take three to four years.", "en", Want("three to four years", "duration", low=3, high=4, unit="year")),
    ("It plans to spend $1.2bn to $1.5bn.", "en", Want("$1.2bn to $1.5bn", "money", low=1.2e9, high=1.5e9, currency="USD")),
    (
        "It will hire between 2,000 and 3,000 engineers.",
        "en",
        Want("2,000 and 3,000 engineers", "count", low=2000, high=3000, unit="engineers"),
    ),
    ("Prices range from $25,000 to $30,000.", "en", Want("$25,000 to $30,000", "money", low=25000, high=30000, currency="USD")),
    ("价格在20和30元之间。", "zh", Want("20和30元", "money", low=20, high=30, currency="CNY")),
    ("两到三年内完成。", "zh", Want("两到三年", "duration", low=2, high=3, unit="year")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "lang", "want"), RANGES, ids=[row[0] for row in RANGES])
def test_ranges_with_every_connector(text: str, lang: str, want: Want) -> None:
    check(only(text, lang), want)


def test_and_between_two_figures_is_a_list_unless_framed() -> None:
    figures = extract_figures("毛利率预计分别为74.4%和75.0%。", "zh")
    assert [(f.text, f.value) for f in figures] == [("74.4%", 74.4), ("75.0%", 75.0)]
    framed = only("It will ship between 1.5 million and 2 million GPUs.", "en")
    assert (framed.text, framed.low, framed.high) == ("1.5 million and 2 million GPUs", 1.5e6, 2e6)


def test_a_change_from_one_value_to_another_is_no_range() -> None:
    figures = extract_figures("Revenue rose from $10 billion to $12 billion.", "en")
    assert [(f.text, f.value) for f in figures] == [("$10 billion", 1e10), ("$12 billion", 1.2e10)]


QUALIFIERS = [
    ("出货量约3000台。", "zh", "3000台", "about"),
    ("毛利率大约为5%。", "zh", "5%", "about"),
    ("毛利率为30%左右。", "zh", "30%", "about"),
    ("营收近百亿元。", "zh", "百亿元", "about"),
    ("营收接近1000亿元。", "zh", "1000亿元", "about"),
    ("出货3000多台。", "zh", "3000多台", "more_than"),
    ("估值逾千亿元。", "zh", "千亿元", "more_than"),
    ("市值再度站上千亿元大关。", "zh", "千亿元", "exact"),
    ("价格超过一千。", "zh", "一千", "more_than"),
    ("融资超过25亿元。", "zh", "25亿元", "more_than"),
    ("市值突破1万亿元。", "zh", "1万亿元", "more_than"),
    ("至少有5家公司。", "zh", "5家", "at_least"),
    ("最多可容纳8台服务器。", "zh", "8台", "at_most"),
    ("功率最高为120千瓦。", "zh", "120千瓦", "at_most"),
    ("良率不到10%。", "zh", "10%", "less_than"),
    ("约占全球产能的四分之一。", "zh", "四分之一", "about"),
    ("売上高は約3兆円。", "ja", "3兆円", "about"),
    ("売上高は1000億円程度。", "ja", "1000億円", "about"),
    ("出荷台数は5万台以上。", "ja", "5万台", "at_least"),
    ("歩留まりは50%未満。", "ja", "50%", "less_than"),
    ("最大1000億ドルを調達する。", "ja", "1000億ドル", "at_most"),
    ("少なくとも3社が参入する。", "ja", "3社", "at_least"),
    ("時価総額は3兆ドルを超えた。", "ja", "3兆ドル", "more_than"),
    ("It is worth about $5 billion.", "en", "$5 billion", "about"),
    ("It is worth roughly $5 billion.", "en", "$5 billion", "about"),
    ("It hired nearly 1,000 people.", "en", "1,000 people", "about"),
    ("Margins are over 50%.", "en", "50%", "more_than"),
    ("More than 100 firms applied.", "en", "100 firms", "more_than"),
    ("At least 12 companies applied.", "en", "12 companies", "at_least"),
    ("It seeks up to $7 trillion.", "en", "$7 trillion", "at_most"),
    ("Shares fell as much as 40%.", "en", "40%", "at_most"),
    ("Less than 10% comes from China.", "en", "10%", "less_than"),
    ("Headcount topped 30,000.", "en", "30,000", "more_than"),
    ("公司有数万张GPU。", "zh", "数万张", "vague"),
    ("数か月かかる。", "ja", "数か月", "vague"),
    ("It took several months.", "en", "several months", "vague"),
]


@pytest.mark.parametrize(
    ("text", "lang", "surface", "qualifier"), QUALIFIERS, ids=[r[0] for r in QUALIFIERS]
)
def test_every_qualifier(text: str, lang: str, surface: str, qualifier: str) -> None:
    figure = only(text, lang)
    assert (figure.text, figure.qualifier) == (surface, qualifier)


def test_over_a_span_of_time_is_no_bound() -> None:
    figure = only("It will invest over five years.", "en")
    assert (figure.text, figure.kind, figure.qualifier) == ("five years", "duration", "exact")


@pytest.mark.parametrize(("lang", "currency"), [("zh", "CNY"), ("en", "JPY"), ("ja", "JPY")])
def test_yen_sign_by_language(lang: str, currency: str) -> None:
    figure = only("价格 ¥1,999", lang)
    assert (figure.text, figure.kind, figure.value, figure.currency) == (
        "¥1,999",
        "money",
        1999,
        currency,
    )


TRAPS = [
    ("zh", "2024年6月，7 月 31 日，公司公布第二季度业绩。"),
    ("zh", "这是第三次降价，Q4营收创新高。"),
    ("zh", "二〇二四年是关键的一年。"),
    ("zh", "英伟达A100、H20、MI300X、RTX4090、昇腾910B、HBM3e、GPT-4、36氪、L40S。"),
    ("zh", "下午3点举行发布会，股票代码为688256。"),
    ("zh", "请拨打客服热线400-820-1234。"),
    ("zh", "一些公司一直在统一部署四川的数据中心。"),
    ("en", "On July 31, in the second quarter and in Q4 2024, the first time."),
    ("en", "Nvidia's A100, H20, MI300X, RTX 4090, Ascend 910B, Gaudi 3, HBM3e, GPT-4, 36Kr, L40S."),
    ("en", "Computex 2024 opens at 10 a.m.; the Fortune 500 list and Geekbench 6 follow."),
    ("en", "For a third consecutive quarter, the company set a record in the first half."),
    ("en", "Results for the quarter beat estimates in a quarter marked by turmoil."),
    ("en", "Call +1 408-555-0199 or visit https://example.com/q?x=30%25."),
    ("ja", "2024年12月期の第2四半期、Computex 2024でGPT-4を発表。"),
    ("ja", "詳細は広報部（03-1234-5678）まで。"),
]


@pytest.mark.parametrize(("lang", "text"), TRAPS, ids=[t for _, t in TRAPS])
def test_traps_are_no_figures(lang: str, text: str) -> None:
    assert extract_figures(text, lang) == []


def test_offsets_are_exact_in_full_width_text() -> None:
    text = "據報導，ＡＩ晶片出貨量約為３，０００片，佔比１２．５％。"
    figures = extract_figures(text, "zh")
    assert [f.text for f in figures] == ["３，０００片", "１２．５％"]
    for figure in figures:
        assert text[figure.start : figure.end] == figure.text


def test_entity_spans_are_blocked() -> None:
    text = "昇腾910B的出货量为10万片。"
    figures = FigureExtractor().extract(text, "zh", blocked=[(0, 6)])
    assert [f.text for f in figures] == ["10万片"]


def test_numbers_mode_reports_bare_numerals_that_news_mode_drops() -> None:
    text = "一百五十二和二〇二四年"
    assert extract_figures(text, "zh") == []
    numbers = FigureExtractor(mode="numbers").extract(text, "zh")
    assert [(f.text, f.kind, f.value) for f in numbers] == [
        ("一百五十二", "number", 152),
        ("二〇二四", "number", 2024),
    ]


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode"):
        FigureExtractor(mode="everything")  # type: ignore[arg-type]


def test_a_number_too_long_to_read_is_kept_with_an_error() -> None:
    figures = extract_figures("编号" + "9" * 40 + "。", "zh")
    assert figures == [] or all(f.error for f in figures)
