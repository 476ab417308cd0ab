"""Lines of Chinese and Japanese portal boilerplate, removed from an extracted main text.

News portals end (and sometimes salt) the article with the same few kinds of
text: the editor's name, copyright and reprint notices, disclaimers, "scan
the QR code to follow us", and a heading that opens a list of related
articles. The phrases are data below; a person can read and extend them.
"""

from __future__ import annotations

import re

# A short line starting with one of these heads a list of other articles: it and
# the short lines after it (titles, dates) go, up to the next line of prose.
LIST_MARKERS = (
    "相关阅读", "相关新闻", "相关报道", "相关文章", "相关链接", "相关推荐", "推荐阅读",
    "延伸阅读", "扩展阅读", "热门推荐", "热点推荐", "精彩推荐", "今日推荐", "猜你喜欢",
    "更多精彩", "往期回顾", "往期推荐", "延伸閱讀", "相關閱讀", "相關新聞", "推薦閱讀",
    "熱門推薦", "関連記事", "関連リンク", "関連ニュース", "おすすめ記事", "あわせて読みたい",
)  # fmt: skip
# A short line starting with one of these heads a notice or the comments: it and
# everything after it go, when it comes after the bulk of the text.
NOTICE_MARKERS = (
    "版权声明", "免责声明", "反侵权公告", "网友评论", "发表评论", "版權聲明", "免責聲明",
)  # fmt: skip
MAX_MARKER_CHARS = 14  # a section heading is short: "相关阅读：" or "延伸阅读"
MIN_SHARE_BEFORE_NOTICE = 0.5  # the article must come first
MIN_PROSE_CHARS = 20
MIN_PROSE_PUNCTUATION = 2
PROSE_PUNCTUATION = "，。！？；：、“”「」"
SENTENCE_MARKS = "，。！？；"  # bylines have colons ("来源：… 作者：…"), sentences have these

# A short line containing one of these is boilerplate wherever it stands.
BOILERPLATE_PHRASES = (
    "责任编辑", "責任編輯", "校对：", "审核：", "扫码", "扫一扫", "二维码",
    "关注我们", "微信公众号", "公众号：", "版权所有", "版權所有",
    "禁止转载", "禁止轉載", "转载请注明", "轉載請註明", "转载申请", "原创版权", "如有侵权",
    "侵权请联系", "免责声明", "本文仅代表作者", "分享到", "打印本页", "关闭窗口", "返回顶部",
    "上一篇", "下一篇", "上一页", "下一页", "[全文]", "[详细]", "【详细】", "更多>>",
    "字号：", "【纠错】", "点击进入专题", "無断転載", "無断転用",
)  # fmt: skip
MAX_BOILERPLATE_LINE_CHARS = 80  # longer lines are prose that happens to use a phrase


def _length(line: str) -> int:
    return len("".join(line.split()))


def _heading(line: str) -> str | None:
    text = line.strip().lstrip("【[#■●◆▌|").strip()
    return text if _length(text) <= MAX_MARKER_CHARS else None


def is_list_marker(line: str) -> bool:
    heading = _heading(line)
    return heading is not None and heading.startswith(LIST_MARKERS)


def is_notice_marker(line: str) -> bool:
    heading = _heading(line)
    return heading is not None and heading.startswith(NOTICE_MARKERS)


def is_prose(line: str) -> bool:
    """A line with sentences in it, not a title, a byline, a menu or a table row."""
    if _length(line) < MIN_PROSE_CHARS or "|" in line:
        return False
    punctuation = sum(line.count(mark) for mark in PROSE_PUNCTUATION)
    return punctuation >= MIN_PROSE_PUNCTUATION and any(mark in line for mark in SENTENCE_MARKS)


_BOILERPLATE = re.compile("|".join(map(re.escape, BOILERPLATE_PHRASES)))


def is_boilerplate_line(line: str) -> bool:
    """A short line with a boilerplate phrase (a long one is prose that uses it)."""
    return _length(line) <= MAX_BOILERPLATE_LINE_CHARS and _BOILERPLATE.search(line) is not None


def cut_notices(lines: list[str]) -> list[str]:
    """The lines before the first notice heading that follows most of the text."""
    total = sum(_length(line) for line in lines)
    before = 0
    for index, line in enumerate(lines):
        if is_notice_marker(line) and before >= MIN_SHARE_BEFORE_NOTICE * total:
            return lines[:index]
        before += _length(line)
    return lines


def drop_article_lists(lines: list[str]) -> list[str]:
    """Without "相关阅读" headings and the article titles listed under them."""
    kept: list[str] = []
    in_list = False
    for line in lines:
        if is_list_marker(line):
            in_list = True
            continue
        if in_list and not is_prose(line):
            continue
        in_list = False
        kept.append(line)
    return kept


def remove_boilerplate(lines: list[str]) -> list[str]:
    """Drop trailing notices, lists of other articles and boilerplate lines."""
    lines = drop_article_lists(cut_notices(lines))
    return [line for line in lines if not is_boilerplate_line(line)]


def drop_repeated(lines: list[str], min_chars: int = 10) -> list[str]:
    """Each line of some length once: pages that print the article twice (a print
    version, a hidden copy) would otherwise double it."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = "".join(line.split())
        if len(key) >= min_chars:
            if key in seen:
                continue
            seen.add(key)
        kept.append(line)
    return kept
