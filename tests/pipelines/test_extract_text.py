"""extract_html on real HTML: the bundled sample sites, one small page per date form,
a GBK page, Chinese portal layouts, and pages built to make a regex backtrack."""

from __future__ import annotations

import json
import time

import pytest

from pipelines.decode import decode
from pipelines.evaluation.extraction import same_day
from pipelines.extract_text import extract_html, page_date
from tests.conftest import GOLDEN, SAMPLES

# ---------------------------------------------------------------- the sample sites


def _sample_gold() -> list[dict]:
    rows = []
    for lang in ("zh", "en", "ja"):
        path = GOLDEN / f"sample_corpus_{lang}.jsonl"
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return rows


SAMPLE_GOLD = _sample_gold()


def test_all_36_sample_pages_are_covered() -> None:
    assert len(SAMPLE_GOLD) == 36


@pytest.mark.parametrize("gold", SAMPLE_GOLD, ids=[row["path"] for row in SAMPLE_GOLD])
def test_sample_page_title_and_date(gold: dict) -> None:
    """Right headline, and the right day (in the gold's zone: a page that gives
    21:12 UTC was published on the next day in Beijing, as the gold writes it)."""
    html = decode((SAMPLES / gold["path"]).read_bytes()).text
    page = extract_html(html, None, gold["lang"])
    assert page.title == gold["title"]
    assert same_day(page.published_at, gold["published_at"]), page.published_at
    assert page.text.count("\n") >= 3  # paragraphs, one per line


def test_sample_page_keeps_time_and_zone_from_metadata() -> None:
    html = (SAMPLES / "36kr/p/2926374015871.html").read_text("utf-8")
    assert extract_html(html, None, "zh").published_at == "2024-08-29T08:15:00+08:00"


def test_sample_page_text_leaves_out_comments_and_related_links() -> None:
    html = (SAMPLES / "36kr/p/2926374015871.html").read_text("utf-8")
    text = extract_html(html, None, "zh").text
    assert "8月29日凌晨，英伟达公布了" in text
    assert "卖铲子的人永远最赚钱" not in text  # a reader's comment
    assert "国产GPU的融资季" not in text  # a related article


# ---------------------------------------------------------------- dates written on the page


def _page(body: str, title: str = "标题", head: str = "") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body>"
        f"<div class='nav'><a href='/'>首页</a> <a href='/tech'>科技</a></div>"
        f"<h1>{title}</h1>{body}"
        "<div class='article'><p>英伟达今日公布了第二季度财报，营收为300亿美元，同比增长122%。</p>"
        "<p>公司表示，数据中心业务仍是增长的主要来源，下一季度的指引好于预期。</p></div>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("byline", "lang", "expected"),
    [
        ("<span class='time'>2024年8月1日 10:43</span>", "zh", "2024-08-01T10:43:00+08:00"),
        ("<span id='pubtime'>2024/8/30 10:43:12</span>", "zh", "2024-08-30T10:43:12+08:00"),
        ("<div id='update'>2024年08月29日 18時02分 公開</div>", "ja", "2024-08-29T18:02:00+09:00"),
        ("<time>2024.08.29</time>", "zh", "2024-08-29"),
        ("<span>发布时间：2024-08-29 08:15</span>", "zh", "2024-08-29T08:15:00+08:00"),
        ("<span>2024 年 08 月 29 日 14:30</span>", "zh", "2024-08-29T14:30:00+08:00"),
    ],
)
def test_date_written_under_the_headline(byline: str, lang: str, expected: str) -> None:
    assert extract_html(_page(byline), None, lang).published_at == expected


def test_month_and_day_take_the_year_from_the_url() -> None:
    html = _page("<span class='time'>8月1日 10:43</span>")
    page = extract_html(html, "https://news.example.cn/2024/08/01/123.html", "zh")
    assert page.published_at == "2024-08-01T10:43:00+08:00"


def test_month_and_day_take_the_year_from_another_date_on_the_page() -> None:
    html = _page("<span class='time'>8月1日 10:43</span>").replace(
        "</body>", "<div class='footer'>更新于2024年8月2日</div></body>"
    )
    assert extract_html(html, "https://news.example.cn/a/123.html", "zh").published_at == (
        "2024-08-01T10:43:00+08:00"
    )


def _english_page(byline: str, more: str = "") -> str:
    return (
        "<html><head><title>Intel Slashes Jobs - EE Times</title></head><body>"
        "<h1>Intel Slashes Jobs</h1>"
        f"<div class='byline'>By Alan Whitford <span class='posted-on'>{byline}</span></div>"
        "<div class='entry'><p>Intel said on Thursday it would cut more than 15% of its "
        "workforce and suspend its dividend, as the chipmaker's turnaround stalled.</p>"
        "<p>The company also cut its forecast for the third quarter, sending shares down "
        "by almost 20% in extended trading.</p></div>"
        f"<ul class='related'>{more}</ul></body></html>"
    )


def test_us_order_date_on_an_english_site() -> None:
    assert extract_html(_english_page("08.29.2024"), None, "en").published_at == "2024-08-29"


def test_ambiguous_us_order_date_read_month_first_when_the_page_shows_that_order() -> None:
    more = "<li><a href='/x'>Other story</a><span class='date'>07.26.2024</span></li>"
    page = extract_html(_english_page("08.02.2024", more), None, "en")
    assert page.published_at == "2024-08-02"


def test_meta_published_time_keeps_time_and_zone() -> None:
    head = "<meta property='article:published_time' content='2024-08-29T08:15:00+08:00'>"
    html = _page("<span>2024年9月1日</span>", head=head)
    assert extract_html(html, None, "zh").published_at == "2024-08-29T08:15:00+08:00"


def test_json_ld_date_published_in_a_graph() -> None:
    head = (
        '<script type=\'application/ld+json\'>{"@graph": [{"@type": "WebPage"}, '
        '{"@type": "NewsArticle", "datePublished": "2024-08-30T10:43:12+08:00"}]}</script>'
    )
    assert extract_html(_page("", head=head), None, "zh").published_at == (
        "2024-08-30T10:43:12+08:00"
    )


def test_utc_meta_replaced_by_the_same_moment_in_the_sites_zone() -> None:
    head = (
        "<meta property='article:published_time' content='2024-08-28T21:12:00Z'>"
        "<script type='application/ld+json'>"
        '{"@type": "NewsArticle", "datePublished": "2024-08-29T05:12:00+08:00"}</script>'
    )
    assert extract_html(_page("", head=head), None, "zh").published_at == (
        "2024-08-29T05:12:00+08:00"
    )


def test_page_date_alone() -> None:
    assert page_date(_page("<span>2024年8月1日 10:43</span>"), "zh") == "2024-08-01T10:43:00+08:00"


# ---------------------------------------------------------------- encodings and hostile markup


def test_gbk_page_decoded_then_extracted() -> None:
    html = _page("<span class='time'>2024年8月1日 10:43</span>", title="寒武纪上半年营收下降")
    data = html.replace("<head>", "<head><meta charset='gbk'>").encode("gbk")
    page = extract_html(decode(data).text, None, "zh")
    assert page.title == "寒武纪上半年营收下降"
    assert "数据中心业务仍是增长的主要来源" in page.text
    assert page.published_at == "2024-08-01T10:43:00+08:00"


def test_ten_thousand_unclosed_script_tags_finish_quickly() -> None:
    html = _page("<span>2024年8月1日</span>").replace("</body>", "<script>" * 10_000 + "</body>")
    extract_html(_page(""), None, "zh")  # imports and lazy tables out of the timing
    start = time.perf_counter()
    page = extract_html(html, None, "zh")
    date = page_date(html, "zh")
    assert time.perf_counter() - start < 1.0
    assert "营收为300亿美元" in page.text
    assert date == "2024-08-01"


def test_empty_and_non_html_input() -> None:
    assert extract_html("").text == ""
    assert extract_html("   \n ").text == ""
    assert extract_html("just some words, no markup").title is None


# ---------------------------------------------------------------- Chinese portal layouts

PORTAL = """<html><head><title>日本无性婚姻问题严重(图)--雅虎新闻</title></head><body>
<table><tr><td><a href="/">首页</a> | <a href="/gn">国内</a> | <a href="/gj">国际</a> |
<a href="/cj">财经</a> | <a href="/sh">社会</a> | <a href="/zt">专题</a></td></tr></table>
<table><tr><td width="600">
  <table><tr><td><b>多数夫妻生活有名无实 日本无性婚姻问题严重(图)</b></td></tr>
  <tr><td>2005-04-05 06:40更新 来源：转载文章</td></tr></table>
  <p>像许多日本女性一样，顺子一直等到30岁出头才结婚。在决定结婚后，顺子便把精力放在建立新家庭上。</p>
  <p>据英国《卫报》4日报道，目前，每年平均有200名过着无性婚姻生活的日本女性到东京郊区的一家诊所寻求帮助。</p>
  <p>金医生的短期治疗方案颇具“反传统”特色。他说，他用这种方法挽救了数百名绝望的妇女。</p>
  <p>“无性婚姻”是日本社会目前存在的一个比较严重的社会问题，一项调查发现，其中26%的人没有与丈夫发生过性关系。</p>
  <p>责任编辑：山石</p>
  <table><tr><td>相关报道：</td></tr>
  <tr><td><a href="/1">·富夫妻望子成龙假离婚 三月后丈夫另娶</a>（2005-04-03）</td></tr>
  <tr><td><a href="/2">·沪银行关照直系亲属房贷记录</a>（2005-04-01）</td></tr>
  <tr><td><a href="/3">·夫妻勾结受贿近37万 原局长被判13年</a>（2005-04-01）</td></tr></table>
  <table><tr><td><a href="/a">花花世界</a></td><td><a href="/b">胡萝卜长出五根脚趾</a></td>
  <td><a href="/c">地下长城仅供外宾</a></td><td><a href="/d">美女如云</a></td></tr></table>
</td><td width="160"><a href="/x">热门排行</a><br><a href="/y">明星性感演出犒赏美军</a></td>
</tr></table>
<p>版权所有 雅虎中国 Copyright © 2005</p></body></html>"""


def test_portal_layout_table_gives_the_article_only() -> None:
    page = extract_html(PORTAL, None, "zh")
    lines = page.text.split("\n")
    assert any(line.startswith("像许多日本女性一样") for line in lines)
    assert any("26%的人没有与丈夫" in line for line in lines)
    for junk in ("首页", "富夫妻望子成龙", "花花世界", "热门排行", "责任编辑", "版权所有"):
        assert junk not in page.text, junk
    assert page.published_at == "2005-04-05T06:40:00+08:00"


def test_boilerplate_notice_after_the_article_is_cut() -> None:
    body = (
        "<div class='content'><p>第一段正文，讲述了事情的经过，内容详实。</p>"
        "<p>第二段正文，记者采访了多位专家，他们认为前景乐观。</p>"
        "<p>第三段正文，公司表示将继续加大投入，扩大产能。</p>"
        "<p>免责声明</p><p>本文仅代表作者观点，不代表本站立场，如有侵权请联系删除。</p></div>"
    )
    text = extract_html(_page(body), None, "zh").text
    assert "第三段正文" in text
    assert "免责声明" not in text and "不代表本站立场" not in text


def test_ruby_readings_are_not_text() -> None:
    html = (
        "<html><head><title>NEWS WEB EASY|法律ができる</title></head><body>"
        "<h1><ruby>法律<rt>ほうりつ</rt></ruby>ができる</h1><div class='article'>"
        "<p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>をなくすための法律ができて、"
        "親が子どもを教育するために、体罰を禁止することになりました。</p>"
        "<p>最近、親に虐待された子どもを児童相談所が守ることができなくて、事件が続いています。</p>"
        "</div></body></html>"
    )
    page = extract_html(html, None, "ja")
    assert page.title == "法律ができる"
    assert "子どもへの虐待をなくすための法律ができて" in page.text
    assert "ほうりつ" not in page.text


def test_headline_preferred_to_a_social_title_with_the_site_name() -> None:
    html = (
        "<html><head><title>Losing face: masks stolen | The Japan Times</title>"
        "<meta property='og:title' content='Losing face: masks stolen | The Japan Times'>"
        "</head><body><h1>Losing face: masks stolen</h1><div><p>"
        + "Thousands of surgical masks were stolen from a hospital in Kobe, police said. " * 5
        + "</p></div></body></html>"
    )
    assert extract_html(html, None, "en").title == "Losing face: masks stolen"


def test_page_wrapped_in_a_text_element_is_still_read() -> None:
    """Saved pages that start with <text …> instead of <html> (trafilatura rejects them)."""
    html = (
        '<text id="http://bbs.example.com/1.shtml" title="标题"><div>'
        "<p>《太行山上》主要讲述八路军总司令朱德率领刚刚改编完的八路军三个主力师东渡黄河，挺进抗日前线。</p>"
        "<p>本片大量运用运动镜头表现场面的动荡，数码科技呈现出千军万马、泥石流等宏大场面。</p>"
        "</div></text>"
    )
    assert "东渡黄河" in extract_html(html, None, "zh").text


def test_english_pages_keep_trafilaturas_text() -> None:
    import trafilatura

    html = _english_page("August 2, 2024")
    plain = trafilatura.bare_extraction(html, with_metadata=True)
    assert extract_html(html, None, "en").text == plain.text


def test_density_alone_picks_the_article_cell_of_a_layout_table() -> None:
    from pipelines.extract_density import density_text
    from pipelines.extract_text import parse_html

    root = parse_html(PORTAL)
    assert root is not None
    lines = density_text(root).split("\n")
    assert lines[0] == "多数夫妻生活有名无实 日本无性婚姻问题严重(图)"
    assert lines[2].startswith("像许多日本女性一样")
    for junk in ("首页", "花花世界", "热门排行", "富夫妻望子成龙"):  # menus, ads, link lists
        assert junk not in "\n".join(lines), junk


def test_a_list_of_other_articles_goes_but_prose_after_it_stays() -> None:
    from pipelines.extract_boilerplate import remove_boilerplate

    lines = [
        "第一段正文，讲述了事情的经过，内容详实，篇幅很长很长很长。",
        "推荐阅读",
        "2005年股市展望系列沙龙",
        "二00四年十大扎眼经理人",
        "历史总是由或善或假，或近或远的细节与面孔串在一起，我们记住的还有一些不快。",
        "责任编辑：孙重远",
    ]
    assert remove_boilerplate(lines) == [lines[0], lines[4]]


def test_merge_drops_widgets_and_adds_the_lead_only_trafilatura_found() -> None:
    from pipelines.extract_boilerplate import is_prose
    from pipelines.extract_merge import Text, add_missing_prose, drop_widgets

    body = [
        "转播到腾讯微博",
        "谷歌在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知识的计算机。",
        "这款产品具有极其重要的意义，因为未来的人工智能可能不需要人类来教它。",
        "正在加载...",
    ]
    trafilatura_lines = [
        "DeepMind新电脑已可利用记忆自学，人工智能迈上新台阶，业内人士如此评价。",
        "谷歌在2014年收购的人工智能公司DeepMind开发出一款能够用自己的记忆学习新知识的计算机。",
        "这款产品具有极其重要的意义，因为未来的人工智能可能不需要人类来教它。",
        "网友评论：写得真好，期待更多，这是一条很长的评论。",
    ]
    kept = drop_widgets(body, Text(trafilatura_lines), is_prose)
    assert kept == body[1:3]
    merged = add_missing_prose(kept, trafilatura_lines, is_prose)
    assert merged == trafilatura_lines[:3]  # the lead in; the comment after the article out


_WORDY_DATE_PAGE = (
    "<html><head><title>Nvidia beats</title></head><body><article><h1>Nvidia beats</h1>"
    "<p class='byline'>{date}</p><p>"
    + "Nvidia said its data-centre revenue rose again in the quarter, on demand for AI chips. " * 6
    + "</p></article></body></html>"
)


def test_a_date_only_dateparser_reads_is_found_with_the_page_languages_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'August the 7th' defeats htmldate's own patterns, so the date comes from its
    extensive search, which must use the en/zh/ja parser and give htmldate its own
    parser back afterwards."""
    import htmldate.extractors

    from pipelines import extract_text

    ours = extract_text._page_languages_parser()
    assert ours.languages == ["en", "zh", "zh-Hant", "ja"]
    asked: list[str] = []

    class Watching:
        def get_date_data(self, text: str) -> object:
            asked.append(text)
            return ours.get_date_data(text)

    monkeypatch.setattr(extract_text, "_page_languages_parser", Watching)
    own = htmldate.extractors.get_external_parser
    found = extract_html(_WORDY_DATE_PAGE.format(date="August the 7th, 2024 — 13:06"))
    assert found.published_at is not None and found.published_at.startswith("2024-08-07")
    assert any("August the 7th" in text for text in asked)
    assert htmldate.extractors.get_external_parser is own


@pytest.mark.parametrize("fast", [False, True])
def test_shared_trafilatura_settings_extract_what_its_own_defaults_do(fast: bool) -> None:
    """`_trafilatura` hands trafilatura one settings object made once; on every sample
    page it must give the text trafilatura gives when it builds its own."""
    import trafilatura

    from pipelines.extract_text import _trafilatura, parse_html

    pages = sorted(SAMPLES.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = decode(page.read_bytes()).text
        ours = _trafilatura(parse_html(html), page.as_uri(), fast=fast)
        own = trafilatura.bare_extraction(
            parse_html(html), url=page.as_uri(), with_metadata=False, include_comments=False,
            fast=fast,
        )  # fmt: skip
        assert getattr(ours, "text", None) == getattr(own, "text", None), page
