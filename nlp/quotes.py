"""Quotes: direct speech in “…”, 「…」, "…", ‘…’ with the speaker the text names.

Quote marks are paired by a scanner that keeps nesting (『』 inside 「」,
‘’ inside “”), never pairs across more than `MAX_QUOTE` characters or a line
break, and drops a mark it cannot close, so an unbalanced mark costs one
quote, not the rest of the document. Only outermost spans are quotes; the scan
is linear.

A quoted span is speech when a speech cue names a speaker next to it:

- before it: 黄仁勋表示：“…”, Su said: "…", フアン氏は「…」;
- after it: “…”张建中说, "…," Huang said / said an analyst, 「…」と語った;
- a continuation of the quote before it: "A," X said, "B." / 「A」と述べ、「B」と続けた;
- a partial quote in reported speech of the same sentence: 一位接近华为的人士表示，
  该公司的投入“只会增加，不会减少”.

Quoted terms and titles are not speech (被称为“国产英伟达”, the so-called "AI
bubble", 「Izanagi」と呼ばれる, 《…》). Speakers are tidied and identified by
nlp/speakers.py; cue words live in nlp/data/quotes.toml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.aliases import AliasRegistry
from nlp.lexicon import alternation
from nlp.speakers import PeopleIndex, Speaker, SpeakerResolver, load_quote_words
from nlp.types import Entity, Quote

MAX_QUOTE = 1500
_WINDOW = 160
# A partial quote inside reported speech shorter than this is a quoted term (“增持”).
_MIN_REPORTED = 4
_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", "《": "》", "〝": "〞", "﹁": "﹂"}
_CLOSERS = frozenset(_PAIRS.values())
# Marks that nest inside another kind, never inside themselves (‘’ in “”, 『』 in 「」).
_NOT_NESTED = frozenset("“‘「『")
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?=\s)")
_ZH_STOPS = "，。！？；\n“”「」"


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    open: int  # index of the opening mark
    close: int  # index of the closing mark
    depth: int


# Every character the pairing reacts to; the others only age the open marks.
_MARKS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS) + '"\n') + "]")


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Quote spans, nested ones included (depth > 0); unbalanced marks are dropped.

    Only mark characters are visited. Marks open longer than `MAX_QUOTE` are
    forgotten as of the last plain character before the next mark, which is
    when a character-by-character scan would have forgotten them too.
    """
    spans: list[QuoteSpan] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    previous = -1
    for match in _MARKS.finditer(text):
        i = match.start()
        ch = text[i]
        if i - 1 > previous:  # plain characters since the last mark
            stack, straight_open = _forget_old(stack, straight_open, i - 1)
        previous = i
        if ch in _PAIRS:
            if stack and stack[-1][0] == ch and ch in _NOT_NESTED:
                stack.pop()  # “A “B”: the first mark was never closed
            stack.append((ch, i))
            continue
        if stack and ch == _PAIRS[stack[-1][0]]:
            if ch == "’" and i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1].isascii():
                continue  # an apostrophe: Nvidia’s
            _mark, start = stack.pop()
            if i - start <= MAX_QUOTE:
                spans.append(QuoteSpan(start, i, len(stack)))
            continue
        if ch in _CLOSERS and ch != "’" and stack:
            # a closer for an outer mark: drop the inner unbalanced ones
            for depth in range(len(stack) - 1, -1, -1):
                if _PAIRS[stack[depth][0]] == ch:
                    _mark, start = stack[depth]
                    del stack[depth:]
                    if i - start <= MAX_QUOTE:
                        spans.append(QuoteSpan(start, i, depth))
                    break
            continue
        if ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                if i - straight_open <= MAX_QUOTE:
                    spans.append(QuoteSpan(straight_open, i, len(stack)))
                straight_open = None
            continue
        if ch == "\n":
            straight_open = None
            stack.clear()  # a quote does not run on into the next paragraph unclosed
        stack, straight_open = _forget_old(stack, straight_open, i)
    spans.sort(key=lambda s: s.open)
    return spans


def _forget_old(
    stack: list[tuple[str, int]], straight_open: int | None, i: int
) -> tuple[list[tuple[str, int]], int | None]:
    """The open marks still within `MAX_QUOTE` characters of position `i`."""
    if stack and i - stack[0][1] > MAX_QUOTE:
        stack = [(m, s) for m, s in stack if i - s <= MAX_QUOTE]
    if straight_open is not None and i - straight_open > MAX_QUOTE:
        straight_open = None
    return stack, straight_open


@dataclass(frozen=True, slots=True)
class _Attribution:
    phrase: str | None  # the words naming the speaker, untidied
    cue: str
    reported: bool = False  # a partial quote inside reported speech


class _Patterns:
    """The attribution patterns of each language, built from nlp/data/quotes.toml.

    Patterns that look back from a quote are anchored on their cue word (found
    first, the speaker then read back from it) and patterns that look forward
    are matched at one position only, so the work per quote is bounded.
    """

    def __init__(self, raw: dict) -> None:
        zh = alternation(raw["cues"]["zh"])
        en = alternation(raw["cues"]["en"])
        ja = alternation(raw["cues"]["ja"])
        self.term_before = re.compile(
            rf"(?:^|\W|[\u3400-\u9fff])(?:{alternation(raw['terms']['before'])})\s*$", re.I
        )
        self.term_after = re.compile(rf"^\s*(?:{alternation(raw['terms']['after'])})")

        # zh -- before: 黄仁勋在电话会上表示：“  /  他透露，“
        self.zh_cue = re.compile(rf"(?:{zh})(?![师師])")
        self.zh_lead_in = re.compile(r"[^，。！？；\n“”「」]{0,6}?[：:，,]?\s*")
        # after: ”张建中在此前的一次行业活动上说。
        self.zh_after = re.compile(
            rf"^[，,。]?\s*(?P<who>[^，。！？；\n“”「」]{{1,30}}?)(?P<cue>{zh})(?![师師])"
        )
        # reported: 一位接近华为的人士表示，该公司今年的投入“只会增加”; and a quote after
        # the attributed sentence: 苏姿丰表示，AMD 预计…。“…”
        self.zh_reported_cue = re.compile(rf"(?:{zh})(?![师師])[，,：:]")
        self.zh_rest_of_sentence = re.compile(r"[^。！？\n“”「」]*[。！？]\s*")

        # en -- after: "…," said Jonathan Reyes, a portfolio manager  /  "…," Huang said
        # / "…," Lu Weibing, Xiaomi's president, said. A name may hold the dots of
        # initials (C.C. Wei, U.S.).
        name = r"(?:[^.,;:\"“”\n]|\.(?=[A-Za-z])|(?<=\b[A-Z])\.)"
        self.en_after = re.compile(
            rf"^\s*[,.!?]?\s*(?:(?P<cue1>{en})\s+(?P<who1>{name}{{2,120}}?)(?=[.;:,]|$)"
            rf"|(?P<who3>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){{0,3}}),\s+[^,\"“”]{{2,60}},\s+(?P<cue3>{en})\b"
            rf"|(?P<who2>{name}{{2,90}}?)\s+(?P<cue2>{en})\b)",
        )
        # before: Su said: "…"  /  Zuckerberg said that … "…"
        self.en_cue = re.compile(rf"\b(?:{en})\b")
        self.en_lead_in = re.compile(r"(?:\s+[^.;\"“”]{0,120}?)?\s*[,:]?\s*")

        # ja -- after: 」と語った  /  」と、ある半導体商社の担当者はこぼす
        self.ja_after = re.compile(
            r"^\s*と(?![「『])(?:[、，])?(?:(?P<who>[^、。「」『』]{1,30}?)(?:は|が|も))?"
            rf"(?P<rest>[^。「」]{{0,30}}?)(?P<cue>{ja}|[^。「」]{{1,8}}(?=。|$))"
        )
        # the topic before the quote when the words after it name no one: Xは「…」と語った
        self.ja_who_before = re.compile(
            r"(?P<who>[^、。！？\n「」『』]{1,30}?)(?:は|が|も)(?:[^、。「」]{0,20}?)?[、，]?\s*$"
        )
        # 「…」と話すのは、ある中国のクラウド事業者の幹部だ
        self.ja_cleft = re.compile(
            rf"^\s*と(?P<cue>{ja}|[^。「」]{{1,8}}?)のは[、，]?(?P<who>[^。「」]{{1,40}}?)(?:だ|である|です)"
        )
        # 「…」（国内のAI開発企業の技術者）との声もある
        self.ja_paren = re.compile(
            r"^\s*[（(](?P<who>[^）)「」]{1,40})[）)]との(?P<cue>声|指摘|見方|意見|見解|コメント)"
        )
        # 「…」。Rapidusの小池淳義社長はこう意気込みを語った。
        self.ja_next = re.compile(
            rf"^[。]\s*(?P<who>[^、。「」]{{1,40}}?)(?:は|が)(?:[^。「」]{{0,20}}?)こう(?:[^。「」]{{0,12}}?)(?P<cue>{ja})"
        )


@dataclass(frozen=True, slots=True)
class _Found:
    speaker: Speaker
    cue: str
    reported: bool = False


class QuoteFinder:
    def __init__(self, registry: AliasRegistry) -> None:
        self.registry = registry
        self.speakers = SpeakerResolver(registry)
        self.patterns = _Patterns(load_quote_words())

    def find(self, text: str, lang: str, entities: Sequence[Entity]) -> list[Quote]:
        lang = lang if lang in ("zh", "en", "ja") else "zh"
        people = PeopleIndex(self.registry, [e for e in entities if e.label == "PERSON"])
        quotes: list[Quote] = []
        previous: tuple[QuoteSpan, _Found] | None = None
        for span in find_quote_spans(text):
            if span.depth > 0 or text[span.open] == "《":
                continue
            start, end = span.open + 1, span.close
            content = text[start:end]
            if not content.strip():
                continue
            before = text[max(0, span.open - _WINDOW) : span.open]
            after = text[span.close + 1 : span.close + 1 + _WINDOW]
            if self._is_term(before, after, lang):
                continue
            people.up_to(span.open)
            found = self._attribute(lang, before, after, text, span, previous, people)
            if found is None or (found.reported and len(content.strip()) < _MIN_REPORTED):
                continue
            speaker = found.speaker
            quotes.append(
                Quote(
                    content,
                    start,
                    end,
                    speaker.text,
                    speaker.canonical,
                    speaker.anonymous,
                    found.cue,
                )
            )
            previous = (span, found)
        return quotes

    # ------------------------------------------------------------------

    def _is_term(self, before: str, after: str, lang: str) -> bool:
        if self.patterns.term_before.search(before[-20:]) or self.patterns.term_after.match(after):
            return True
        if lang == "ja" and (
            after.startswith(("と「", "や「", "、「")) or before.endswith(("」と", "」や"))
        ):
            return True  # 「A」と「B」: a list of names
        return False

    def _attribute(
        self,
        lang: str,
        before: str,
        after: str,
        text: str,
        span: QuoteSpan,
        previous: tuple[QuoteSpan, _Found] | None,
        people: PeopleIndex,
    ) -> _Found | None:
        if lang == "en":
            attribution = self._attribute_en(before, after)
        elif lang == "ja":
            attribution = self._attribute_ja(before, after)
        else:
            attribution = self._attribute_zh(before, after)
        if attribution is None or attribution.phrase is None:
            return self._continuation(text, span, previous, lang)
        phrase = self.speakers.tidy(attribution.phrase, lang)
        if not phrase:
            return None
        if self.speakers.is_pronoun(phrase, lang):
            # she added / 他表示: the last speaker named
            if previous is not None and not previous[1].speaker.anonymous:
                return _Found(previous[1].speaker, attribution.cue)
            return None
        speaker = self.speakers.identify(phrase, lang, people)
        return _Found(speaker, attribution.cue, attribution.reported)

    def _continuation(
        self,
        text: str,
        span: QuoteSpan,
        previous: tuple[QuoteSpan, _Found] | None,
        lang: str,
    ) -> _Found | None:
        """ "A," X said, "B." — the second half belongs to the first half's speaker."""
        if previous is None:
            return None
        between = text[previous[0].close + 1 : span.open]
        if len(between) > 100 or "\n" in between:
            return None
        if lang == "ja":
            if re.fullmatch(r"と[^。「」]{0,20}[、，]", between):
                return _Found(previous[1].speaker, previous[1].cue)
            return None
        inner = between.strip(" ,，、:：")
        if not inner or _SENTENCE_END.search(inner):
            return None
        return _Found(previous[1].speaker, previous[1].cue)

    def _attribute_zh(self, before: str, after: str) -> _Attribution | None:
        patterns = self.patterns
        tail = before[-60:]
        ends_with_colon = tail.rstrip().endswith(("：", ":"))
        if not ends_with_colon:
            match = patterns.zh_after.match(after)
            if match and not after[match.end() :].lstrip().startswith(("：", ":", "“", "「")):
                return _Attribution(match.group("who"), match.group("cue"))
        for cue in patterns.zh_cue.finditer(tail):
            # the first cue that only a short lead-in (在会上表示：) separates from the quote
            if patterns.zh_lead_in.fullmatch(tail, cue.end()):
                return _Attribution(_speaker_before(tail, cue.start(), _ZH_STOPS, 40), cue.group())
        if ends_with_colon:
            who = re.split(r"[，。！？；\n”」]", tail.rstrip()[:-1])[-1]
            return _Attribution(who or None, "：")
        if before.rstrip().endswith(("。", "！", "？")):
            # 苏姿丰表示，AMD 预计…。“…” : the speaker of the sentence before
            last_sentence = re.split(r"[。！？\n]", before.rstrip()[:-1])[-1] + "。"
            for cue in patterns.zh_reported_cue.finditer(last_sentence):
                if patterns.zh_rest_of_sentence.fullmatch(last_sentence, cue.end()):
                    who = _speaker_before(last_sentence, cue.start(), _ZH_STOPS, 30)
                    return _Attribution(who, cue.group()[:-1])
        sentence = re.split(r"[。！？\n]", before)[-1]
        reported = list(patterns.zh_reported_cue.finditer(sentence))
        if reported:
            last = reported[-1]
            who = _speaker_before(sentence, last.start(), _ZH_STOPS, 30)
            return _Attribution(who, last.group()[:-1], reported=True)
        return None

    def _attribute_en(self, before: str, after: str) -> _Attribution | None:
        patterns = self.patterns
        match = None if after.startswith("\n") else patterns.en_after.match(after)
        if match and not before.rstrip().endswith(":"):
            who = match.group("who1") or match.group("who3") or match.group("who2") or ""
            cue = match.group("cue1") or match.group("cue3") or match.group("cue2") or ""
            return _Attribution(who, cue)
        sentence_tail = re.split(r"(?<=[.!?])\s+|\n", before)[-1]
        for cue in patterns.en_cue.finditer(sentence_tail):
            if patterns.en_lead_in.fullmatch(sentence_tail, cue.end()):
                who = _speaker_before(sentence_tail, cue.start(), '.;"“”', 100)
                # In a video posted on Thursday, Zuckerberg said that …: the name next to the cue
                who = who.split(",")[-1].strip() if who else None
                return _Attribution(who if who and len(who) >= 2 else None, cue.group())
        if sentence_tail.rstrip().endswith(":"):
            return _Attribution(sentence_tail.rstrip()[:-1] or None, ":")
        return None

    def _attribute_ja(self, before: str, after: str) -> _Attribution | None:
        patterns = self.patterns
        cleft = patterns.ja_cleft.match(after)
        if cleft:
            return _Attribution(cleft.group("who"), cleft.group("cue"))
        match = patterns.ja_after.match(after)
        if match:
            who = match.group("who")
            if not who:
                lead = patterns.ja_who_before.search(before[-50:])
                who = lead.group("who") if lead else None
            return _Attribution(who, match.group("cue").strip())
        for pattern in (patterns.ja_cleft, patterns.ja_paren, patterns.ja_next):
            match = pattern.match(after)
            if match:
                return _Attribution(match.group("who"), match.group("cue"))
        return None


def _speaker_before(text: str, end: int, stops: str, reach: int) -> str | None:
    """The words before a cue back to the nearest stop mark, at most `reach` characters."""
    start = max(0, end - reach)
    for index in range(end - 1, start - 1, -1):
        if text[index] in stops:
            start = index + 1
            break
    who = text[start:end]
    return who if who.strip() else None
