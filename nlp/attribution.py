"""On whose word a figure stands: 据TrendForce数据, according to IDC, Omdiaによると, AMD claimed.

Two kinds of frame, built from the word lists in nlp/data/claims.toml:

- *attribution* frames (据…数据, according to …, …によると) name a source and
  nothing else: every entity inside is the source, never the subject;
- *speaker* frames (X表示, X estimates, X said) name someone speaking, who may
  well be the company the figure is about (英伟达表示，其营收…): only people
  and research or media organisations inside are kept from the subject.

The source is the registry's canonical name of the first entity inside the
frame, else the words as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.aliases import AliasRegistry
from nlp.lexicon import ClaimWords, alternation
from nlp.spans import SpanSet
from nlp.word_search import WordSearch

_MAX_SOURCE = 40
_NOISE = re.compile(
    r"^(?:最新|目前|此前|同时|同時|另外|此外|其中|而|但|并|並|且|与此同时|另|再|又|The |the |However, |But )"
)
_STRIP = " \u3000\"“”「」『』'‘’,，、"


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int  # span of the source's words in the document
    end: int
    name: str  # canonical where the registry knows it, else as written
    strict: bool  # an attribution frame (据…, according to …): its entities are never subjects


@dataclass(frozen=True)
class _Frame:
    """One attribution frame: fixed words (the anchor) and the source's words beside them.

    Anchors are found first and the source is read within `reach` characters of
    each, so the search stays linear in the text whatever it holds.
    """

    anchor: WordSearch
    source: re.Pattern[str]  # `after`: matched at the anchor's end; `before`: searched back
    side: str  # "after" (据 X 数据, according to X) or "before" (X 表示, X estimates)
    reach: int
    strict: bool


class SourceFinder:
    def __init__(self, registry: AliasRegistry, words: ClaimWords) -> None:
        self.registry = registry
        self._frames = _frames(words)
        self._canonical_cache: dict[str, str] = {}

    def find(self, text: str, lang: str, offset: int = 0) -> list[Attribution]:
        """Every attribution in `text` (one sentence), offsets shifted by `offset`."""
        found: list[Attribution] = []
        taken = SpanSet([])
        for frame in self._frames.get(lang, self._frames["zh"]):
            for anchor in frame.anchor.spans(text):
                span = _source_span(frame, text, *anchor)
                if span is None:
                    continue
                start, end = span
                raw = text[start:end]
                lead = len(raw) - len(raw.lstrip(_STRIP))
                cleaned = _NOISE.sub("", raw.strip(_STRIP))
                if not cleaned or len(cleaned) > _MAX_SOURCE:
                    continue
                if taken.overlaps(start, end):
                    continue
                taken.add(start, end)
                name = self._canonical_in(cleaned)
                found.append(Attribution(start + lead + offset, end + offset, name, frame.strict))
        found.sort(key=lambda a: a.start)
        return found

    def _canonical_in(self, raw: str) -> str:
        cached = self._canonical_cache.get(raw)
        if cached is None:
            matches = self.registry.find(raw)
            if matches:
                cached = matches[0].record.canonical
            else:
                cached = self.registry.canonical(raw) or raw
            if len(self._canonical_cache) < 4096:
                self._canonical_cache[raw] = cached
        return cached


def _source_span(frame: _Frame, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The source's words beside the anchor found at text[start:end]."""
    if frame.side == "after":
        match = frame.source.match(text, end)
        return match.span("src") if match else None
    lo = max(0, start - frame.reach)
    match = frame.source.search(text[lo:start])
    if match is None:
        return None
    return lo + match.start("src"), lo + match.end("src")


def _frames(words: ClaimWords) -> dict[str, list[_Frame]]:
    def words_of(key: str) -> str:
        return alternation(words.source(key))

    zh_stop = "，。,；;：:“”「」"
    return {
        "zh": [
            _Frame(
                WordSearch(words.source("zh_before"), whole_words=False),
                re.compile(
                    rf"(?P<src>[^{zh_stop}]{{1,30}}?)(?:的)?(?:最新)?(?:{words_of('zh_after')})"
                ),
                "after",
                30,
                True,
            ),
            _Frame(
                WordSearch(words.source("zh_speaker_after"), whole_words=False),
                re.compile(rf"(?P<src>[^{zh_stop}]{{2,24}})$"),
                "before",
                24,
                False,
            ),
        ],
        "en": [
            _Frame(
                WordSearch(words.source("en_according"), whole_words=True, ignore_case=True),
                re.compile(
                    r"\s+(?P<src>[^,.;:()]{2,60}?)"
                    r"(?=[,.;:()]|\s+(?:data|estimates|figures|research|analysis|calculations)\b|$)",
                    re.I,
                ),
                "after",
                60,
                True,
            ),
            _Frame(
                WordSearch(words.source("en_speaker_after"), whole_words=True),
                re.compile(r"(?P<src>(?:[A-Z][\w&'’.-]*\s?){1,5})(?:\s+analysts?)?\s+$"),
                "before",
                60,
                False,
            ),
        ],
        "ja": [
            _Frame(
                WordSearch(words.source("ja_after"), whole_words=False),
                re.compile(r"(?P<src>[^、。，,「」]{2,30})$"),
                "before",
                30,
                True,
            ),
        ],
    }
