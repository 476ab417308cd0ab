"""Who can stand as the subject of a figure in a sentence: the mentions.

A mention is an entity, or a back-reference (该公司 / the company / its / 同社;
该芯片 / the chip; 后者 / the latter). An entity is left out when the words
around it make it something other than a subject: inside an attribution
(据TrendForce数据), a media dateline (IT之家 8 月 29 日消息), a person speaking
(黄仁勋表示), a research firm or news outlet (registry `role`), or a place that
is not a named market (美国出口管制 vs 中国智能手机市场). It is kept but marked
an *object* when grammar makes it one: after a preposition (来自中国的营收,
revenue from China, sales to Huawei) or before an object particle
(エヌビディアに); objects own only what is received (funding).

Clause breaks and back-references are found once per document (`scan`) and
read per sentence; the word lists are nlp/data/claims.toml [subjects].
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from nlp.aliases import AliasRegistry
from nlp.attribution import Attribution
from nlp.figures.numerals import ascii_lower
from nlp.lexicon import ClaimWords, alternation
from nlp.spans import SpanSet
from nlp.types import Entity
from nlp.word_search import WordSearch

_EN_DETERMINER = re.compile(r"(?:\b(?:the|a|an)\s+)$", re.I)
_CLAUSE_START = re.compile(r"(?:^|[。.!?！？\n]\s*)$")
JA_MARKED = re.compile(r"^[」』”\"）)]*\s*(?:は|が|も)")
_JA_OF = "の"


@dataclass(frozen=True, slots=True)
class Mention:
    """A possible subject in a sentence: an entity, or a back-reference."""

    start: int
    end: int
    entity: Entity | None  # None for a back-reference
    refers: str = "ORG"  # a back-reference stands for: "ORG", "PRODUCT" or "LATTER"
    quoted: bool = False  # inside quoted speech
    marked: bool = False  # Japanese topic or subject particle right after it (は / が / も)
    object: bool = False  # grammar makes it an object (sales to Huawei, Rapidusに対して)


class MentionWords:
    """The compiled word lists of nlp/data/claims.toml [subjects]."""

    def __init__(self, words: ClaimWords) -> None:
        def tail(key: str, latin: bool = False) -> re.Pattern[str]:
            body = alternation(words.subject(key))
            if latin:
                return re.compile(rf"(?:^|\W)(?:{body})\s*$", re.I)
            return re.compile(rf"(?:{body})\s*$")

        def head(key: str) -> re.Pattern[str]:
            return re.compile(rf"^\s*(?:{alternation(words.subject(key))})")

        def anywhere(key: str, latin: bool) -> re.Pattern[str]:
            body = alternation(words.subject(key))
            return re.compile(rf"\b(?:{body})\b", re.I) if latin else re.compile(body)

        self.blocked_before = {
            "zh": tail("blocked_before_zh"),
            "en": tail("blocked_before_en", latin=True),
            "ja": tail("blocked_before_ja"),
        }
        self.unblocked_before_en = tail("unblocked_before_en", latin=True)
        self.blocked_after_ja = head("blocked_after_ja")
        self.market_locative_ja = head("market_locative_ja")
        self.market_after = {
            lang: re.compile(rf"^(?:{alternation(words.subject(f'market_after_{lang}'))})", re.I)
            for lang in ("zh", "en", "ja")
        }

        def in_text(key: str) -> dict[str, WordSearch]:
            """Searched in whole documents: whole words in any case for English."""
            return {
                lang: WordSearch(words.subject(f"{key}_{lang}"), lang == "en", lang == "en")
                for lang in ("zh", "en", "ja")
            }

        self.pronouns = in_text("pronouns")
        self.product_pronouns = in_text("product_pronouns")
        self.not_pronouns = in_text("not_pronouns")
        self.latter = in_text("latter")
        self.generic_owner = {
            lang: anywhere(f"generic_owners_{lang}", lang == "en") for lang in ("zh", "en", "ja")
        }
        self.respectively = re.compile(r"分别|分別|各自|respectively|それぞれ", re.I)
        self.relative_lead = re.compile(
            rf"^\s*(?:{alternation(words.subject('relative_leads_en'))})\b", re.I
        )
        self.speech_after = re.compile(
            rf"^[^，,。：:]{{0,12}}?(?:{alternation(words.subject('speech_after'))})"
        )
        self.dateline_after = re.compile(
            r"^\s*(?:[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日\s*)?"
            rf"(?:{alternation(words.subject('dateline_after'))})"
        )
        conjunctions = words.subject("conjunctions")
        self.conjunctions = frozenset(conjunctions) | frozenset(c.strip() for c in conjunctions)
        self.country_prefix_ja = re.compile(
            rf"(?:{alternation(words.subject('country_prefixes_ja'))})$"
        )


@dataclass(frozen=True, slots=True)
class SentenceMentions:
    """What `MentionFinder.find` learns about one sentence."""

    clauses: list[tuple[int, int]]
    mentions: list[Mention]
    source_like: set[int]  # starts of news outlets and research firms
    speakers: list[Entity]  # organisations speaking (…, Micron said)


class MentionFinder:
    """Finds, once per sentence, the mentions that can stand as subjects."""

    def __init__(self, registry: AliasRegistry, words: ClaimWords) -> None:
        self.registry = registry
        self.lexicon = MentionWords(words)
        self._breaks = {lang: words.clause_breaks(lang) for lang in ("zh", "en", "ja")}

    def scan(self, text: str, lang: str) -> DocumentScan:
        """Clause breaks and back-references of a whole document, found in one pass each."""
        lang = lang_of(lang)
        marks = [m.span() for m in self._breaks[lang].finditer(text)]
        lowered = ascii_lower(text) if lang == "en" else None
        blocked = SpanSet(self.lexicon.not_pronouns[lang].spans(text, lowered))
        references: list[Mention] = []
        for refers, searches in (
            ("LATTER", self.lexicon.latter),
            ("PRODUCT", self.lexicon.product_pronouns),
            ("ORG", self.lexicon.pronouns),
        ):
            for start, end in searches[lang].spans(text, lowered):
                if blocked.overlaps(start, end):
                    continue
                marked = lang == "ja" and bool(JA_MARKED.match(text, end))
                references.append(Mention(start, end, None, refers, marked=marked))
        references.sort(key=lambda m: m.start)
        return DocumentScan([end for _, end in marks], references, [start for start, _ in marks])

    def find(
        self,
        text: str,
        lang: str,
        offset: int,
        entities: Sequence[Entity],
        attributions: Sequence[Attribution],
        quoted: SpanSet | None = None,
        scan: DocumentScan | None = None,
    ) -> SentenceMentions:
        """`text` is one sentence starting at document offset `offset`; entities are its own.

        `quoted` holds the spans of quoted speech in the document; `scan` what
        `scan` found in the whole document (else the sentence is scanned alone).
        """
        lang = lang_of(lang)
        if scan is None:
            scan = self.scan(text, lang)
            scan = DocumentScan(
                [b + offset for b in scan.breaks],
                [
                    Mention(m.start + offset, m.end + offset, None, m.refers, marked=m.marked)
                    for m in scan.references
                ],
            )
        end = offset + len(text)
        clauses = scan.clauses(offset, end)
        in_quote = quoted.contains if quoted is not None else _nowhere

        mentions: list[Mention] = []
        for position, entity in enumerate(entities):
            status = self._status(entity, text, lang, offset, attributions)
            if status is None:
                continue
            if lang == "ja" and self._object_of_possessive(entities, position, text, offset):
                status = "object"
            after = text[entity.end - offset : entity.end - offset + 4]
            marked = lang == "ja" and bool(JA_MARKED.match(after))
            mentions.append(
                Mention(
                    entity.start,
                    entity.end,
                    entity,
                    quoted=in_quote(entity.start),
                    marked=marked,
                    object=status == "object",
                )
            )
        named = SpanSet([(e.start, e.end) for e in entities])
        taken = SpanSet([])
        for reference in scan.references_in(offset, end):
            if named.overlaps(reference.start, reference.end):
                continue  # 其 inside 其他, its inside a name
            if taken.overlaps(reference.start, reference.end):
                continue
            taken.add(reference.start, reference.end)
            mentions.append(
                Mention(
                    reference.start,
                    reference.end,
                    None,
                    reference.refers,
                    in_quote(reference.start),
                    reference.marked,
                )
            )
        mentions.sort(key=lambda m: m.start)
        speakers = [
            e
            for a in attributions
            if not a.strict
            for e in entities
            if e.label == "ORG"
            and a.start <= e.start
            and e.end <= a.end
            and not self._source_like(e)
        ]
        source_like = {e.start for e in entities if self._source_like(e)}
        return SentenceMentions(clauses, mentions, source_like, speakers)

    def _source_like(self, entity: Entity) -> bool:
        record = self.registry.record(entity.canonical) if entity.canonical else None
        return record is not None and record.is_source_like

    def _object_of_possessive(
        self, entities: Sequence[Entity], position: int, text: str, offset: int
    ) -> bool:
        """エヌビディアのH100と比べて: the owner of an object is no subject either."""
        entity = entities[position]
        if position + 1 >= len(entities):
            return False
        following = entities[position + 1]
        if text[entity.end - offset : following.start - offset] != _JA_OF:
            return False
        after = text[following.end - offset : following.end - offset + 24]
        return bool(self.lexicon.blocked_after_ja.match(after))

    def _status(
        self,
        entity: Entity,
        text: str,
        lang: str,
        offset: int,
        attributions: Sequence[Attribution],
    ) -> str | None:
        """ "subject", "object" (grammar makes it one) or None (never a subject here)."""
        record = self.registry.record(entity.canonical) if entity.canonical else None
        if record is not None and record.is_source_like:
            return None
        for attribution in attributions:
            inside = attribution.start <= entity.start and entity.end <= attribution.end
            if inside and (attribution.strict or entity.label == "PERSON"):
                return None
        start, end = entity.start - offset, entity.end - offset
        before, after = text[max(0, start - 24) : start], text[end : end + 24]
        lexicon = self.lexicon
        if lexicon.dateline_after.match(after):
            return None
        if entity.label == "PERSON" and lexicon.speech_after.match(after):
            return None
        if entity.label == "GPE":
            market = lexicon.market_after[lang].match(after)
            if market is None and not (lang == "en" and _CLAUSE_START.search(before)):
                return None  # 美国出口管制: a place, not a named market or a subject
            if market and lang == "ja" and lexicon.market_locative_ja.match(after[market.end() :]):
                return None
        elif entity.label not in ("ORG", "PRODUCT", "PERSON"):
            return None
        if lang == "en":
            before = _EN_DETERMINER.sub("", before)
        if lexicon.blocked_before[lang].search(before):
            if not (lang == "en" and lexicon.unblocked_before_en.search(before)):
                return "object"
        if lang == "ja" and lexicon.blocked_after_ja.match(after):
            return "object"
        return "subject"


class DocumentScan:
    """Clause breaks (ends of break marks, and where the marks begin) and
    back-references of one document."""

    def __init__(
        self, breaks: list[int], references: list[Mention], break_starts: list[int] | None = None
    ) -> None:
        self.breaks = breaks
        self.break_starts = break_starts or []  # where each break mark begins
        self.references = references
        self.reference_starts = [m.start for m in references]

    def clauses(self, start: int, end: int) -> list[tuple[int, int]]:
        bounds = [start]
        for position in self.breaks[
            bisect_right(self.breaks, start) : bisect_left(self.breaks, end)
        ]:
            if position > bounds[-1]:
                bounds.append(position)
        bounds.append(end)
        return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]

    def references_in(self, start: int, end: int) -> list[Mention]:
        starts = self.reference_starts
        return self.references[bisect_left(starts, start) : bisect_left(starts, end)]


def _nowhere(position: int) -> bool:
    return False


def lang_of(lang: str) -> str:
    return lang if lang in ("zh", "en", "ja") else "zh"
