"""Quotes: direct speech in “…”, 「…」, "…", ‘…’ with the speaker the text names.

Quote marks are paired by a scanner that keeps nesting (『』 inside 「」,
‘’ inside “”), never pairs across more than `MAX_QUOTE` characters and drops
a mark it cannot close, so an unbalanced mark costs one quote, not the rest
of the document. A quoted span is speech when a speech cue (说, said, と語った)
stands next to it; quoted terms (被称为“…”, the so-called "…") are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.aliases import AliasRegistry
from nlp.types import Entity, Quote

MAX_QUOTE = 1500
_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》", "〝": "〞", "﹁": "﹂"}
_TERM_BEFORE = re.compile(
    r"(?:称为|稱為|称作|稱作|被称|被稱|所谓|所謂|誉为|譽為|号称|號稱|名为|名為|叫做|叫|简称|簡稱|代号|代號|定为|列为|列為|"
    r"so-called|dubbed|called|named|known as|labelled|labeled|termed|branded|nicknamed|the word|the term|"
    r"いわゆる|通称|愛称|名付け|題する|題した)\s*$",
    re.I,
)
_TERM_AFTER = re.compile(r"^\s*(?:と呼ば|と称さ|と名付|という(?:言葉|名前|愛称))")

_ZH_CUES = (
    "表示|说道|说|說|称|稱|指出|认为|認為|坦言|透露|告诉|告訴|强调|強調|提到|介绍|介紹|回应|回應|直言|解释|解釋|"
    "补充|補充|写道|寫道|预计|預計|警告|呼吁|呼籲|感叹|感嘆|笑称|笑稱|坦承|发文|發文|回忆|回憶|评价|評價|表态|表態|"
    "预测|預測|分析|判断|判斷|称赞|稱讚|承认|承認|提醒|宣布|宣佈|问道|問道|答道|总结|總結|形容|说明|說明|解读|解讀|"
    "对记者说|對記者說|在采访中表示|接受采访时表示|受访时表示|向记者表示"
)
_EN_CUES = (
    "said|says|say|told|tells|added|adds|noted|notes|explained|wrote|writes|stated|argued|argues|"
    "warned|warns|claimed|claims|insisted|acknowledged|admitted|remarked|commented|observed|"
    "continued|recalled|predicted|declared|announced|asked|replied|responded|emphasized|stressed|"
    "according to"
)
_JA_CUES = (
    "語った|語る|語り|述べた|述べる|述べ|話した|話す|話し|説明した|説明する|説明し|強調した|強調する|強調し|"
    "指摘した|指摘する|指摘し|明かした|明かす|コメントした|言う|言った|答えた|意気込んだ|意気込む|"
    "自信を見せた|胸を張った|胸を張る|期待を示した|見通しを示した|述べている|語っている|話している|"
    "発言した|訴えた|主張した|分析する|分析した|評価した|予想する|予想した|見る|見ている|という"
)

_ZH_BEFORE = re.compile(
    rf"(?P<who>[^，。！？；\n“”「」]{{1,40}}?)(?P<cue>{_ZH_CUES})[^，。！？；\n“”「」]{{0,6}}?[：:，,]?\s*$"
)
_ZH_AFTER = re.compile(rf"^[，,。]?\s*(?P<who>[^，。！？；\n“”「」]{{1,30}}?)(?P<cue>{_ZH_CUES})")
_EN_AFTER = re.compile(
    rf"^\s*[,.]?\s*(?:(?P<cue1>{_EN_CUES})\s+(?P<who1>[^.,;:\"“”]{{2,80}}?)(?=[.,;:]|\s+(?:in|at|on|during|to|when|who|after)\b|$)"
    rf"|(?P<who2>[^.,;:\"“”]{{2,80}}?)\s+(?P<cue2>{_EN_CUES})\b)",
)
_EN_BEFORE = re.compile(
    rf"(?P<who>[^.;\"“”]{{2,100}}?)\s+(?P<cue>{_EN_CUES})(?:\s+[^.;\"“”]{{0,40}}?)?\s*[,:]?\s*$"
)
_JA_BEFORE = re.compile(
    r"(?P<who>[^、。！？\n「」『』]{1,30}?)(?:は|が|も)(?:[^、。「」]{0,20}?)?[、，]?\s*$"
)
_JA_AFTER = re.compile(
    rf"^\s*と(?:、)?(?:(?P<who>[^、。「」]{{1,30}}?)(?:は|が|も))?(?:[^。「」]{{0,20}}?)(?P<cue>{_JA_CUES})"
)

_ANONYMOUS = re.compile(
    r"人士|知情人|消息人士|分析师|分析師|高管|员工|員工|工程师|工程師|投资人|投資人|负责人|負責人|创始人|創始人|人员|人員|员|"
    r"insider|person familiar|people familiar|persons familiar|source|sources|analyst|analysts|executive|official|"
    r"officials|employee|engineer|spokesperson|spokeswoman|spokesman|representative|investor|one person|someone|"
    r"関係者|アナリスト|幹部|担当者|社員|技術者|関係筋",
    re.I,
)
_EN_TITLES = re.compile(
    r"^(?:(?:[A-Z][\w&.'-]*\s+)*?(?:chief executive officer|chief executive|chief financial officer|chief technology officer|"
    r"chief operating officer|chief|executive|founder|co-founder|chairman|chairwoman|president|CEO|CFO|CTO|COO|"
    r"vice president|VP|head|director|analyst|minister|secretary|senator|general manager|manager|partner|"
    r"principal|professor|lead|CEO and founder)\s+)+",
)
_NAME_TAIL = re.compile(r"(?:[A-Z][\w'.-]*(?:\s+|$)){1,4}$")
_ZH_TRIM = re.compile(
    r"(?:在|于|於|对|對|向|也|还|還|则|則|曾|近日|日前|此前|随后|隨後|更|则是|並|并|同时|同時|就)[^，。]*$"
)


@dataclass(frozen=True, slots=True)
class _Span:
    open: int  # index of the opening mark
    close: int  # index of the closing mark
    depth: int


def find_quote_spans(text: str) -> list[_Span]:
    """Top-level and nested quote spans; unbalanced marks are dropped."""
    spans: list[_Span] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            if ch == "‘" and stack and stack[-1][0] == "‘":
                stack.pop()
            stack.append((ch, i))
            continue
        if stack and ch == _PAIRS[stack[-1][0]]:
            if ch == "’" and i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1].isascii():
                continue  # an apostrophe: Nvidia’s
            _mark, start = stack.pop()
            if i - start <= MAX_QUOTE:
                spans.append(_Span(start, i, len(stack)))
            continue
        if ch in "”」』" and stack:
            # a closer for an outer mark: drop the inner unbalanced ones
            for depth in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[depth][0]] == ch:
                    _mark, start = stack[depth]
                    del stack[depth:]
                    if i - start <= MAX_QUOTE:
                        spans.append(_Span(start, i, depth))
                    break
            continue
        if ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                if i - straight_open <= MAX_QUOTE:
                    spans.append(_Span(straight_open, i, len(stack)))
                straight_open = None
            continue
        if ch == "\n":
            straight_open = None
            stack = [(m, s) for m, s in stack if i - s <= MAX_QUOTE]
        if stack and i - stack[0][1] > MAX_QUOTE:
            stack = [(m, s) for m, s in stack if i - s <= MAX_QUOTE]
    spans.sort(key=lambda s: s.open)
    return spans


class QuoteFinder:
    def __init__(self, registry: AliasRegistry) -> None:
        self.registry = registry

    def find(self, text: str, lang: str, entities: list[Entity]) -> list[Quote]:
        quotes: list[Quote] = []
        covered_until = -1
        for span in find_quote_spans(text):
            if span.open < covered_until or text[span.open] == "《":
                continue
            start, end = span.open + 1, span.close
            content = text[start:end]
            if not content.strip():
                continue
            before = text[max(0, span.open - 120) : span.open]
            after = text[span.close + 1 : span.close + 121]
            if _TERM_BEFORE.search(before) or _TERM_AFTER.match(after):
                continue
            found = self._attribute(lang, before, after, span, entities)
            if found is None:
                continue
            speaker, cue = found
            if speaker is None and len(content) < 8 and not re.search(r"[。！？.!?，,]", content):
                continue
            canonical = self._canonical(speaker, entities, span)
            anonymous = (
                speaker is not None and canonical is None and bool(_ANONYMOUS.search(speaker))
            )
            quotes.append(Quote(content, start, end, speaker, canonical, anonymous, cue))
            covered_until = span.close
        return quotes

    # ------------------------------------------------------------------

    def _attribute(
        self, lang: str, before: str, after: str, span: _Span, entities: list[Entity]
    ) -> tuple[str | None, str] | None:
        if lang == "en":
            return _attribute_en(before, after)
        if lang == "ja":
            return _attribute_ja(before, after)
        return _attribute_zh(before, after)

    def _canonical(self, speaker: str | None, entities: list[Entity], span: _Span) -> str | None:
        if not speaker:
            return None
        direct = self.registry.canonical(speaker)
        if direct:
            return direct
        for match in self.registry.find(speaker):
            if match.record.label == "PERSON":
                return match.record.canonical
        return None


def _attribute_zh(before: str, after: str) -> tuple[str | None, str] | None:
    tail = before[-60:]
    if not tail.rstrip().endswith(("：", ":")):
        match = _ZH_AFTER.match(after)
        if match and not after[match.end() :].lstrip().startswith(("：", ":", "“", "「")):
            return _clean_zh(match.group("who")), match.group("cue")
    match = _ZH_BEFORE.search(tail)
    if match:
        return _clean_zh(match.group("who")), match.group("cue")
    if tail.rstrip().endswith(("：", ":")):
        who = re.split(r"[，。！？；\n”」]", tail.rstrip()[:-1])[-1]
        return _clean_zh(who) or None, "："
    return None


def _clean_zh(who: str) -> str:
    who = who.strip(" ，,：:“”")
    trimmed = _ZH_TRIM.sub("", who)
    if len(trimmed) >= 2:
        who = trimmed
    return who.strip()


def _attribute_en(before: str, after: str) -> tuple[str | None, str] | None:
    match = _EN_AFTER.match(after)
    if match and not before.rstrip().endswith(":"):
        who = match.group("who1") or match.group("who2") or ""
        cue = match.group("cue1") or match.group("cue2") or ""
        return _clean_en(who), cue
    sentence_tail = re.split(r"(?<=[.!?])\s+|\n", before)[-1]
    match = _EN_BEFORE.search(sentence_tail)
    if match:
        return _clean_en(match.group("who")), match.group("cue")
    if sentence_tail.rstrip().endswith(":"):
        return _clean_en(sentence_tail.rstrip()[:-1]) or None, ":"
    return None


def _clean_en(who: str) -> str:
    who = who.strip(' ,:"“”')
    who = re.sub(r"^(?:But|And|As|Yet|So|Then|In|On|At)\s+", "", who)
    if _ANONYMOUS.search(who) and not re.search(r"[A-Z][a-z]+\s+[A-Z][a-z]+$", who):
        return re.sub(r"\s+(?:in|on|at|during|to|when|who)\b.*$", "", who)
    tail = _NAME_TAIL.search(who)
    if tail:
        name = _EN_TITLES.sub("", tail.group().strip())
        if name:
            return name
    return who


def _attribute_ja(before: str, after: str) -> tuple[str | None, str] | None:
    match = _JA_AFTER.match(after)
    if match:
        who = match.group("who")
        if not who:
            lead = _JA_BEFORE.search(before[-50:])
            who = lead.group("who") if lead else None
        return (_clean_ja(who) if who else None), match.group("cue")
    return None


def _clean_ja(who: str) -> str:
    who = who.strip("、，, ")
    who = re.sub(r"^(?:また|さらに|一方|ただ|しかし|同社の|なお)、?", "", who)
    return who
