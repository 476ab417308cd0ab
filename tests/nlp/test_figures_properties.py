"""Properties of the figure extractor that must hold for any text (Hypothesis),
and its running time on adversarial input (linear: 1 MB in well under a second)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.figures.extract import FigureExtractor, extract_figures
from nlp.figures.numerals import ascii_lower, to_chinese
from nlp.types import Figure

LANGS = ("zh", "en", "ja")
# Characters that reach deep into the extractor: digits in both widths,
# Chinese numerals, scale and unit words, connectors, signs and spaces.
NUMERIC_ALPHABET = (
    "0123456789０１２３４５６７８９.,，．%％ -–~〜～/^eE+$¥￥€£"
    "零〇一二两三四五六七八九十百千万亿億兆壹贰叁肆伍陆柒捌玖拾佰仟点分之又多余几数上半负"
    "元美台片张个家年月日倍成折亿萬億円ドル約以上未満程度左右超过至到和约近逾不到最多"
    "aboutovertomillionbillionthousandhalfthirdquarteronetwopercentx kmGBW"
)
numeric_text = st.text(alphabet=NUMERIC_ALPHABET, max_size=80)


def assert_well_formed(text: str, figures: list[Figure]) -> None:
    """Offsets inside the text and exact; value null exactly for a range (a number
    too long to read is kept with an `error` and no value)."""
    for figure in figures:
        assert 0 <= figure.start < figure.end <= len(text)
        assert text[figure.start : figure.end] == figure.text
        if figure.error is None:
            assert (figure.value is None) == (figure.low is not None)
        assert (figure.low is None) == (figure.high is None)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200), lang=st.sampled_from(LANGS))
def test_never_raises_on_any_text(text: str, lang: str) -> None:
    assert_well_formed(text, extract_figures(text, lang))


@settings(max_examples=500, deadline=None)
@given(text=numeric_text, lang=st.sampled_from(LANGS))
def test_never_raises_on_number_like_text(text: str, lang: str) -> None:
    assert_well_formed(text, extract_figures(text, lang))


@settings(max_examples=200, deadline=None)
@given(text=numeric_text, lang=st.sampled_from(LANGS))
def test_numbers_mode_never_raises(text: str, lang: str) -> None:
    assert_well_formed(text, FigureExtractor(mode="numbers").extract(text, lang))


@settings(max_examples=300, deadline=None)
@given(value=st.integers(min_value=0, max_value=10**15))
def test_a_number_in_chinese_numerals_reads_back_inside_a_sentence(value: int) -> None:
    numeral = to_chinese(value)
    text = f"该公司本轮融资{numeral}元，用于研发。"
    figures = extract_figures(text, "zh")
    assert [(f.text, f.kind, f.value) for f in figures] == [(numeral + "元", "money", value)]


_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@settings(max_examples=300, deadline=None)
@given(
    number=st.one_of(
        st.integers(min_value=0, max_value=10**12).map(str),
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False).map(str),
    ),
    unit=st.sampled_from(["%", "亿元", "万台", "倍", "个百分点", "GB", "年", ""]),
)
def test_full_width_digits_read_the_same_as_ascii_ones(number: str, unit: str) -> None:
    ascii_text = f"数据显示，该指标为{number}{unit}。"
    wide_text = ascii_text.translate(_FULL_WIDTH)
    ascii_figures = extract_figures(ascii_text, "zh")
    wide_figures = extract_figures(wide_text, "zh")

    def fields(figures: list[Figure]) -> list[tuple[object, ...]]:
        return [
            (f.start, f.end, f.kind, f.value, f.low, f.high, f.unit, f.currency, f.qualifier)
            for f in figures
        ]

    assert fields(wide_figures) == fields(ascii_figures)


MEGABYTE = 1_000_000
ADVERSARIAL = {
    "open brackets": "(" * MEGABYTE,
    "one, one, one": "1," * (MEGABYTE // 2),
    "a digit run": "7" * MEGABYTE,
    "whitespace": " \n\t" * (MEGABYTE // 3),
    "一一一": "一" * MEGABYTE,
    "one one one": "one " * (MEGABYTE // 4),
}


@settings(max_examples=500, deadline=None)
@given(text=st.text(st.characters() | st.sampled_from("AZaz\ud800\udfffİÉＡ"), max_size=60))
def test_ascii_lower_lowers_a_to_z_and_nothing_else(text: str) -> None:
    """Offsets found in the lowered text are offsets in the text: nothing else may change
    (İ, É, Ａ and lone surrogates stay as they are)."""
    expected = "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)
    assert ascii_lower(text) == expected


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_megabyte_in_linear_time(name: str) -> None:
    text = ADVERSARIAL[name]
    extract_figures("1", "zh")  # load the lexicon and compile the patterns first
    start = time.perf_counter()
    figures = extract_figures(text, "zh")
    seconds = time.perf_counter() - start
    assert seconds < 1.0, f"{name}: {seconds:.2f}s for 1 MB"
    assert_well_formed(text, figures)
