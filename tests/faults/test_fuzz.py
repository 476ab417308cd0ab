"""Hostile and arbitrary text against every function that reads text.

Row I10 of the fault matrix (1 MB of `((((`, `1,1,1,…`, whitespace): each
text-facing function runs on 100 KB and on 1 MB of the same pattern; it must not
raise, its offsets stay inside the text, and its CPU time grows linearly (10x
the text may cost at most `MAX_GROWTH` times the CPU time: linear is about 10,
quadratic about 100). No absolute time is asserted: that is for bench/.

Then Hypothesis properties over the same functions (the figure extractor's own
properties are in tests/nlp/test_figures_properties.py): no exception on any
text — CJK, kana, full-width digits, emoji, right-to-left scripts, controls and
lone surrogates included — and every span returned satisfies
0 <= start <= end <= len(text) with text[start:end] equal to its reported text.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import math
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.urls import canonical_url, choose_canonical, same_site, site_of
from nlp.figures.extract import extract_figures
from nlp.language import SUPPORTED, detect_language
from nlp.quotes import find_quote_spans
from nlp.sentences import split_sentences
from nlp.types import Analysis
from pipelines.extract_dates import (
    dates_in_line,
    local_day,
    month_first,
    normalise,
    to_datetime,
    url_year,
    written_date,
)
from pipelines.extract_text import extract_html, extract_plain, page_date, parse_html
from pipelines.localsite import serve_folder
from tests.faults.helpers import FAST_CRAWL, articles, assert_intact, run, sources_file

# ---------------------------------------------------------------- checks shared by both parts


def assert_spans(text: str, spans: Iterable[Any], what: str) -> None:
    """Every span inside `text`, and its `text` field exactly the slice it points at."""
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text), (what, span)
        assert text[span.start : span.end] == span.text, (what, span)


def assert_analysis(text: str, doc: Analysis) -> None:
    """All spans of one analysis well formed, claims pointing into their sentence."""
    assert doc.lang in SUPPORTED
    for what in ("sentences", "tokens", "entities", "figures", "quotes"):
        assert_spans(text, getattr(doc, what), what)
    for claim in doc.claims:
        assert_spans(text, [claim.figure, claim.sentence], "claim")
        assert claim.sentence.start <= claim.figure.start, claim
        assert claim.figure.end <= claim.sentence.end, claim
        assert claim.subject
    json.dumps(doc.to_json(), allow_nan=False)  # never NaN or Infinity in the JSON


def assert_iso(value: str | None, what: str) -> None:
    """None, or an ISO 8601 date (with an optional time and zone) from 1990 on."""
    if value is None:
        return
    day = date.fromisoformat(value[:10])
    assert day.year >= 1990, (what, value)
    if len(value) > 10:
        datetime.fromisoformat(value)


# ---------------------------------------------------------------- I10: hostile megabytes

SMALL, LARGE = 100_000, 1_000_000
PATTERNS = {"brackets": "(", "ones": "1,", "whitespace": " \n\t"}
MAX_GROWTH = 25.0
# A growth this far above the limit is no noise: fail without measuring again.
SURELY_SUPERLINEAR = 60.0
# process_time() of a run shorter than this is mostly noise.
RESOLUTION = 0.001


def hostile(pattern: str, size: int) -> str:
    unit = PATTERNS[pattern]
    return (unit * (size // len(unit) + 1))[:size]


def cpu_seconds(run: Callable[[str], Any], text: str) -> tuple[float, Any]:
    """CPU seconds of `run(text)` (garbage collection off while it runs) and its result."""
    gc.collect()
    gc.disable()
    try:
        started = time.process_time()
        result = run(text)
        return time.process_time() - started, result
    finally:
        gc.enable()


def linear(run: Callable[[str], Any], pattern: str) -> tuple[str, Any]:
    """Run on 100 KB and on 1 MB of `pattern`; assert the CPU time grew about linearly.
    An unclear growth is measured again (up to three times); returns the megabyte
    and what `run` gave for it."""
    small_text, large_text = hostile(pattern, SMALL), hostile(pattern, LARGE)
    run(hostile(pattern, 1000))  # lazy loads and compiled patterns out of the way
    growth = math.inf
    result: Any = None
    for _attempt in range(3):
        small, _ = cpu_seconds(run, small_text)
        large, result = cpu_seconds(run, large_text)
        growth = min(growth, large / max(small, RESOLUTION))
        if growth < MAX_GROWTH or growth > SURELY_SUPERLINEAR:
            break
    assert growth < MAX_GROWTH, (
        f"10x the text ({pattern}) cost {growth:.0f}x the CPU time: not linear"
    )
    return large_text, result


@pytest.fixture(scope="module")
def prepared(analyzer) -> Callable[[str, str], Analysis]:
    """The analysis of a text with every stage run (cached): a stage is timed on a copy,
    with the stages before it already done."""
    done: dict[tuple[str, str], Analysis] = {}
    analyzer.analyze("英伟达第二财季毛利率为75.1%。黄仁勋表示：“需求强劲。”", lang="zh")
    analyzer.analyze('Nvidia\'s margin was 75.1%. "Demand is strong," Huang said.', lang="en")

    def get(text: str, lang: str) -> Analysis:
        key = (text, lang)
        if key not in done:
            done[key] = analyzer.analyze(text, lang=lang, doc_date="2024-08-30")
        return done[key]

    return get


# Word segmentation runs on Chinese only (other languages get no tokens).
STAGES = [("segmentation", "zh")] + [
    (name, lang) for name in ("entities", "figures", "claims", "quotes") for lang in ("zh", "en")
]


def stage_runner(
    analyzer, prepared, name: str, lang: str, pattern: str
) -> Callable[[str], Analysis]:
    """Run stage `name` alone on a copy of the prepared analysis (prepared here, untimed)."""
    step = dict(analyzer.pipeline.steps)[name]
    for size in (1000, SMALL, LARGE):
        prepared(hostile(pattern, size), lang)

    def run(text: str) -> Analysis:
        doc = dataclasses.replace(prepared(text, lang))  # the stages before are done
        step(doc)
        return doc

    return run


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_language_identification_is_linear(pattern):
    _, lang = linear(detect_language, pattern)
    assert lang in SUPPORTED


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_sentence_splitting_is_linear(pattern):
    text, sentences = linear(split_sentences, pattern)
    assert_spans(text, sentences, "sentences")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_figures_are_linear(pattern, lang):
    text, figures = linear(lambda t: extract_figures(t, lang), pattern)
    assert_spans(text, figures, "figures")


@pytest.mark.slow
@pytest.mark.parametrize("pattern", list(PATTERNS))
@pytest.mark.parametrize(("name", "lang"), STAGES)
def test_I10_each_analysis_stage_is_linear(analyzer, prepared, name, lang, pattern):
    """Word segmentation, entities, figures (with names fenced off), claims, quotes."""
    text, doc = linear(stage_runner(analyzer, prepared, name, lang, pattern), pattern)
    assert_analysis(text, doc)


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_quote_mark_pairing_is_linear(pattern):
    text, spans = linear(find_quote_spans, pattern)
    assert all(0 <= s.open < s.close < len(text) for s in spans)


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_date_parsing_is_linear(pattern):
    def dates(text: str) -> list[str | None]:
        return [
            normalise(text, "zh"),
            *dates_in_line(text, "zh", 2024, us_order=True),
            written_date(text.split("\n"), 0, "zh", f"https://example.com/2024/{text}"),
            str(month_first(text.split("\n"))),
        ]

    _, found = linear(dates, pattern)
    for value in found[:-1]:
        assert_iso(value, "date")


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_url_canonicalisation_is_linear(pattern):
    def canonical(text: str) -> str:
        half = len(text) // 2
        url = f"https://m.example.com/news/{text[:half]}?utm_source=x&id={text[half:]}#{text[:9]}"
        return canonical_url(url)

    _, url = linear(canonical, pattern)
    assert url.startswith("https://example.com/news/")


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_main_text_extraction_is_linear(pattern):
    def page(text: str) -> str:
        html = f"<html><head><title>t</title></head><body><article><p>{text}</p></article></body></html>"
        return extract_html(html, "https://example.com/2024/08/30/a.html", "zh").text

    _, main_text = linear(page, pattern)
    assert isinstance(main_text, str)


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_I10_a_page_that_is_only_the_pattern_is_linear(pattern):
    def raw(text: str) -> tuple[str, str | None, str]:
        return extract_html(text).text, page_date(text), extract_plain(text).text

    _, (html_text, day, plain) = linear(raw, pattern)
    assert isinstance(html_text, str) and isinstance(plain, str)
    assert_iso(day, "page date")


# ---------------------------------------------------------------- properties: any text

# Characters that reach into the extractors: CJK and kana, full-width and
# Arabic-Indic digits, numerals and units, quote marks and brackets, emoji with
# joiners and skin tones, Arabic and Hebrew, controls, BOM and lone surrogates.
ODD_CHARACTERS = (
    "英伟达台积电华为黄仁勋苏姿丰表示称说毛利率营收出货量市场份额同比增长下降亿万元美元台片个第二季度"
    "年月日号时分点约超过至到两三千百十零〇一二九"
    "エヌビディアはと述べた語ったのでしたひらがなカタカナ円ドル億兆"
    "０１２３４５６７８９．，％＋－＝＠（）：；！？＄￥"
    "0123456789.,%$¥€£+-~–—/:;!?()[]{}<>'\"“”‘’「」『』《》〝〞﹁﹂（）【】"
    "٠١٢٣٤٥٦٧٨٩قالتالشركةإنالإيراداتעבריתהחברהאמרה"
    "🚀👍🏽👨\u200d👩\u200d👧🇨🇳"
    "\u200b\u200c\u200d\u202a\u202b\u202e\u202c\u2066\u2069\ufeff\u3000\xa0\x00\x07\x1b\r\n\t "
    "\ud800\udc00\udfff\ud83d"
)
# Pieces of news, so that claims and quotes are reached, not only the tokenizer.
NEWS_PIECES = [
    "英伟达", "台积电", "NVIDIA", "Nvidia", "AMD", "黄仁勋", "Jensen Huang", "苏姿丰",
    "第二财季", "2024年第二季度", "毛利率为", "营收为", "出货量达", "市场份额约为",
    "75.1%", "３，０００台", "１２．５％", "300.4亿美元", "3.5亿元", "1.2万人", "两百台",
    "三千", "二〇二四年", "1e400", "9" * 40, "同比增长122%", "下降3.3个百分点",
    "表示：“", "”", "称，", "说。", "據報導", "据TrendForce数据，",
    '"', "Demand is strong,", " said ", "Huang said.", "revenue rose 122% to $30.04 billion",
    " according to LSEG", "about 10%", "fell 6.4%", "gross margin of",
    "エヌビディアの", "粗利益率は", "40%程度", "「", "」", "と述べた。", "フアン氏は",
    "。", ". ", "! ", "？", "\n", "\n\n", "（", "）", "(", ")", "((((", "1,1,1,", "   ",
    "2024年8月1日 10:43", "8月29日", "Mr. ", "e.g. ", "U.S. ",
]  # fmt: skip

any_text = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=120),
    st.text(alphabet=ODD_CHARACTERS, max_size=200),
    st.lists(
        st.one_of(st.sampled_from(NEWS_PIECES), st.text(alphabet=ODD_CHARACTERS, max_size=4)),
        max_size=40,
    ).map("".join),
)
LANG_HINTS = st.sampled_from([None, "zh", "en", "ja"])
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(text=any_text)
def test_language_identification_never_raises(text):
    assert detect_language(text) in SUPPORTED


@PROPERTY
@given(text=any_text)
def test_sentences_cover_the_text_in_order_with_exact_offsets(text):
    sentences = split_sentences(text)
    assert_spans(text, sentences, "sentences")
    for before, after in pairwise(sentences):
        assert before.end <= after.start
    for sentence in sentences:
        assert sentence.text and sentence.text == sentence.text.strip()
    covered = "".join(s.text for s in sentences)
    assert "".join(covered.split()) == "".join(text.split())  # nothing but space is lost


@PROPERTY
@given(text=any_text)
def test_quote_marks_pair_inside_the_text(text):
    for span in find_quote_spans(text):
        assert 0 <= span.open < span.close < len(text) and span.depth >= 0


@PROPERTY
@given(text=any_text, lang=LANG_HINTS)
def test_the_analyzer_never_raises_and_every_span_is_exact(analyzer, text, lang):
    """Language, sentences, words, entities, figures, claims and quotes in one run."""
    assert_analysis(text, analyzer.analyze(text, lang=lang, doc_date="2024-08-30"))


# ---------------------------------------------------------------- properties: dates

DATE_PIECES = [
    "2024", "1989", "2099", "19", "20", "0", "1", "8", "12", "13", "29", "31", "32", "99",
    "年", "月", "日", "号", "時", "时", "分", "点", "/", ".", "-", ":", "：", " ", "T", "Z",
    "+08:00", "-05:00", "+0900", "２０２４", "０８", "\n", "am", "发布时间：", "Updated",
]  # fmt: skip
date_text = st.one_of(any_text, st.lists(st.sampled_from(DATE_PIECES), max_size=30).map("".join))


@PROPERTY
@given(text=date_text, lang=LANG_HINTS)
def test_date_normalisation_gives_a_real_date_or_none(text, lang):
    assert_iso(normalise(text, lang), "normalise")
    moment = to_datetime(text)
    assert moment is None or moment.tzinfo is not None
    local_day(text, lambda: text[:10])


@PROPERTY
@given(
    lines=st.lists(date_text, max_size=8),
    lang=LANG_HINTS,
    hint=st.one_of(st.none(), st.integers(1, 3000)),
    us_order=st.booleans(),
    title=st.one_of(st.none(), st.integers(0, 8)),
    url=st.one_of(st.none(), date_text.map(lambda t: "https://example.com/" + t)),
)
def test_dates_written_in_lines_are_real_dates(lines, lang, hint, us_order, title, url):
    for line in lines:
        for found in dates_in_line(line, lang, hint, us_order):
            assert_iso(found, "dates_in_line")
    assert_iso(written_date(lines, title, lang, url, us_order=us_order), "written_date")
    assert isinstance(month_first(lines), bool)
    year = url_year(url)
    assert year is None or 1900 <= year <= 2099


# ---------------------------------------------------------------- properties: URLs

URL_PIECES = [
    "http://", "https://", "ftp://", "//", "www.", "m.", "wap.", "example.com", "例子.中国",
    "xn--", "[", "]", "[::1]", ":", ":8080", ":99999", ":abc", "/", "..", ".", "?", "&", "=",
    "#", "%", "%zz", "%e4%b8%ad", "utm_source=x", "spm=1", "id=7", "/print", "/amp",
    "_print.html", "@", "\\", " ", "\t", "\n", "中文", "\ud800", "a" * 70, "\x00",
]  # fmt: skip
url_text = st.one_of(any_text, st.lists(st.sampled_from(URL_PIECES), max_size=25).map("".join))


@PROPERTY
@given(url=url_text, declared=st.one_of(st.none(), url_text))
def test_url_canonicalisation_never_raises_and_is_stable(url, declared):
    """Links come from pages: a malformed one must not stop the crawl of the rest."""
    key = canonical_url(url)
    assert isinstance(key, str)
    assert isinstance(site_of(url), str) and isinstance(same_site(url, url), bool)
    chosen = choose_canonical("https://www.example.com/a/1.html", declared)
    assert chosen == canonical_url(declared or "") or chosen == "https://example.com/a/1.html"


BAD_LINKS = ["http://127.0.0.1:99999/news/port.html", "http://[x/news/ipv6.html",
             "http://127.0.0.1:abc/news/port.html"]  # fmt: skip


def test_malformed_links_in_a_sitemap_are_named_and_the_rest_is_crawled(tmp_path):
    """One broken <loc> (or a broken declared canonical link) used to end the whole
    sitemap with an exception: 0 pages fetched and exit status 0."""
    site = tmp_path / "site"
    paths = [str(p) for p in articles(site, 6)]
    page = Path(paths[2])
    page.write_text(page.read_text("utf-8").replace(
        "</head>", '<link rel="canonical" href="http://127.0.0.1:99999/x.html"></head>'),
        encoding="utf-8")  # fmt: skip
    sitemap = site / "sitemap.xml"
    bad = "".join(f"<url><loc>{url}</loc></url>" for url in BAD_LINKS)
    sitemap.write_text(sitemap.read_text("utf-8").replace("<url>", bad + "<url>", 1), "utf-8")
    db = tmp_path / "links.db"
    with serve_folder(site) as base:
        sources = sources_file(tmp_path / "sources.toml", base)
        result = run(["crawl", "--db", str(db), "--sources", str(sources), "big", *FAST_CRAWL])
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    for url in BAD_LINKS:
        assert f"{url}: not a valid URL" in result.stderr
    assert_intact(db, documents=6)


# ---------------------------------------------------------------- properties: main text

HTML_PIECES = [
    "<html>", "<html lang='zh-CN'>", "<head>", "<title>", "</title>", "<body>", "<article>",
    "<p>", "</p>", "<div class='content'>", "</div>", "<br>", "<table><tr><td>", "</td></tr>",
    "<script>", "</script>", "<style>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
    "<meta property='article:published_time' content='2024-08-30T10:00:00Z'>",
    "<meta name='pubdate' content='", "'>", "<time datetime='2024-13-45'>",
    '<script type="application/ld+json">{"datePublished": "', '"}</script>',
    "<link rel='canonical' href='https://example.com:99999/x'>", "&amp;", "&#0;", "&#xD800;",
    "&#x1F680;", "&nbsp;", "<", ">", "</", "<a href='", "'>", "</a>", "<h1>", "</h1>",
]  # fmt: skip
html_text = st.one_of(
    any_text,
    st.lists(
        st.one_of(st.sampled_from(HTML_PIECES), st.sampled_from(NEWS_PIECES), date_text),
        max_size=40,
    ).map("".join),
)
EXTRACTION = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXTRACTION
@given(html=html_text, lang=LANG_HINTS)
def test_main_text_extraction_never_raises(html, lang):
    parse_html(html)
    page = extract_html(html, "https://example.com/2024/08/30/a.html", lang)
    assert isinstance(page.text, str)
    assert_iso(page.published_at, "published_at")
    assert_iso(page_date(html, lang), "page_date")


@PROPERTY
@given(text=any_text)
def test_plain_text_extraction_keeps_every_word(text):
    page = extract_plain(text)
    assert page.title is None or page.title in text
    assert "".join(page.text.split()) == "".join(text.split())
