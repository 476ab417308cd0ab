"""Whose figure is it: the subject of the clause the figure stands in.

News sentences chain clauses that share one subject (英伟达第二财季营收为300.4亿
美元，同比增长122%，环比增长15%) and sentences that share one topic (该公司当季…,
The company expects…, 同社は…). The candidates are a sentence's *mentions*
(nlp/mentions.py: entities that may stand as subjects, and back-references);
for a figure, the first of these rules that decides wins:

1. en: the entity written as `X at 42%` (ahead of Samsung at 42.4%); a clause
   opened by which/whose belongs to the entity just named (…Nvidia, whose
   market cap has climbed to $1.5 trillion);
   zh: the entity the figure describes (份额为11.0%的三星);
   ja: the nearest は/が-marked mention, in this clause or an earlier one;
2. the first mention before the figure in its own clause; a back-reference
   (该公司 / the company / its / 同社; 该芯片 / the chip; 后者 / the latter)
   stands for the sentence's first organisation, else the topic; a generic
   owner there (国产卡的利用率) means the figure is about no named entity;
3. the product a count counts (30,000 GB200 NVL72 racks will ship);
4. en: the entity behind "for" (26 times for AMD);
5. the first mention of the nearest earlier clause, passing over relative
   clauses (Quanta, which counts Microsoft…, said…); en `…, and draws 400W`
   goes back to the sentence's first clause;
6. the company speaking in the sentence (Revenue from Japan rose 12%, Micron said);
7. the document's topic: the organisation that last stood as a subject outside
   quoted speech.

Whether a mention's label can own the metric (a chip has a price, not a
market cap) is checked against the metric's `owners`; an object owns only
what is received (funding). Entities joined by 和 / and / , / と share the
figure (谷歌和Meta各自拥有约2.6万张: two claims) unless 分别 / respectively
pairs them with figures in order, and `ORG's PRODUCT` (AMD's MI300X,
华为昇腾910B) is read as the product when the metric prefers products.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nlp.aliases import AliasRegistry
from nlp.attribution import Attribution
from nlp.lexicon import ClaimWords
from nlp.mentions import DocumentScan, Mention, MentionFinder, MentionWords
from nlp.mentions import lang_of as found_lang
from nlp.metrics import MetricSpec
from nlp.spans import SpanSet
from nlp.types import Entity, Figure

_ADJACENT = re.compile(r"^(?:\s*|的|之|の|'s\s+|’s\s+|\s*製)$")
# Between a figure and the entity it is said of, when the entity comes after it.
_FIGURE_OF = {
    "en": re.compile(r"^\s+for\s+(?:the\s+)?$", re.I),
    "zh": re.compile(r"^(?:左右)?的$"),
}
_EN_AT_BEFORE = re.compile(
    r"^\s+at\s+(?:about|around|roughly|approximately|nearly|only|just|some)?\s*$", re.I
)
_COUNTED_GAP = re.compile(r"^\s?$")
# `H100的1.3倍`, `H100の最大4倍`: the entity is the base of the comparison, not its subject.
_COMPARISON_BASE = re.compile(
    r"^(?:的|の)(?:最大|最高|约|約|近|大约|大約|仅约|僅約|仅为|僅為|约为|約為|のおよそ|およそ)?\s*$"
)
_RATIO_KINDS = frozenset(["multiple", "percent", "fraction"])
# What an elliptical clause may hold besides a name and a figure.
_ELLIPSIS_FILLER = re.compile(
    r"[\s、，,。.;；和与及と]|は|が|も|約|约|程度|左右|前後|未満|以上|超|だった|である|です|となった|为|為"
    r"|\b(?:at|about|around|and|with|roughly|nearly|was|is)\b"
)
_RELATIVE_PRONOUN = re.compile(r"(?:which|whose)\b", re.I)
_AND_VERB = re.compile(r"and\s+[a-z]")
_SPACES = re.compile(r"\s*")


@dataclass(frozen=True, slots=True)
class Owners:
    """The entities a figure is said of, and whether only the document topic gave them."""

    entities: list[Entity]
    from_topic: bool = False


@dataclass(frozen=True, slots=True)
class _Ask:
    """One question to the rules: whose is this figure, under this metric?"""

    figure: Figure
    spec: MetricSpec
    topic: Topic
    clause: int  # index of the figure's clause
    bases: set[int]  # starts of entities the figure compares against (H100的1.3倍)


@dataclass(frozen=True, slots=True)
class Topic:
    """What a back-reference can stand for: the last organisation and product named."""

    org: Entity | None = None
    product: Entity | None = None

    def get(self, refers: str) -> Entity | None:
        return self.product if refers == "PRODUCT" else self.org


def topic_after(mentions: Sequence[Mention], topic: Topic) -> Topic:
    """The topic after a sentence with these mentions: its first organisation and
    product outside quotes (the organisation a subject when there is one)."""
    org, product = topic.org, topic.product
    subjects = [m for m in mentions if not m.object] or mentions
    for mention in subjects:
        if mention.entity is None or mention.quoted:
            continue
        if mention.entity.label == "ORG":
            org = mention.entity
            break
    for mention in mentions:
        if mention.entity is not None and not mention.quoted:
            if mention.entity.label == "PRODUCT":
                product = mention.entity
                break
    return Topic(org, product)


class SentenceSubjects:
    """The subject candidates of one sentence, ready to be asked per figure."""

    def __init__(
        self,
        lexicon: MentionWords,
        text: str,
        lang: str,
        offset: int,
        clauses: Sequence[tuple[int, int]],
        mentions: Sequence[Mention],
        entities: Sequence[Entity],
        figures: Sequence[Figure] = (),
    ) -> None:
        self.lexicon = lexicon
        self.figures = figures
        self._end = offset + len(text)
        self.text = text
        self.lang = lang
        self.offset = offset
        self.clauses = clauses
        self.entities = entities  # every entity of the sentence, eligible or not
        self._entity_starts = [e.start for e in entities]
        self._entity_ends = [e.end for e in entities]
        self._clause_starts = [start for start, _ in clauses]
        self.mentions = list(mentions)
        self.objects = {m.start for m in self.mentions if m.object}
        self._mention_entities = [m.entity for m in self.mentions if m.entity is not None]
        self._mention_entity_index = {e.start: i for i, e in enumerate(self._mention_entities)}
        self._mention_index = {m.start: i for i, m in enumerate(self.mentions)}
        self.source_like: set[int] = set()  # starts of news outlets and research firms
        self.speakers: list[Entity] = []  # organisations speaking (…, Micron said)
        self.by_clause: list[list[Mention]] = [[] for _ in clauses]
        for mention in self.mentions:
            self.by_clause[self.clause_index(mention.start)].append(mention)
        self.relative = [
            lang == "en" and bool(lexicon.relative_lead.match(text[s - offset : s - offset + 16]))
            for s, _ in clauses
        ]
        entity_starts = {e.start for e in entities}
        for index in range(1, len(clauses)):
            # "Quanta, which counts Microsoft, Google, Amazon and Meta among…": the list
            # items after a relative clause belong to it
            if not self.relative[index - 1]:
                continue
            start = clauses[index][0]
            lead = _SPACES.match(text, start - offset)
            if start + (lead.end() - lead.start() if lead else 0) in entity_starts:
                self.relative[index] = True

    def clause_index(self, position: int) -> int:
        return max(0, bisect_right(self._clause_starts, position) - 1)

    def subjects_for(self, figure: Figure, spec: MetricSpec, topic: Topic) -> Owners:
        """The entities `figure` is said of under metric `spec` (several when shared).

        The rules of the module docstring, in order; the first that decides wins
        (an empty `Owners` decides too: the figure belongs to something unnamed).
        """
        ask = _Ask(
            figure, spec, topic, self.clause_index(figure.start), self._comparison_bases(figure)
        )
        for rule in _RULES[self.lang]:
            owners = rule(self, ask)
            if owners is not None:
                return owners
        return Owners([])

    def _owns(self, ask: _Ask, mention: Mention) -> bool:
        """Whether `mention` can own the metric asked about."""
        if mention.object and not ask.spec.recipient:
            return False
        if mention.entity is None:
            return mention.refers == "LATTER" or mention.refers in ask.spec.owners
        return mention.entity.label in ask.spec.owners and mention.start not in ask.bases

    # The rules, each returning Owners when it decides and None when it does not.

    def _rule_named_at(self, ask: _Ask) -> Owners | None:
        """en: `Samsung at 42.4%`."""
        named = self._entity_at(ask.figure, ask.spec)
        return Owners([named]) if named is not None else None

    def _rule_described(self, ask: _Ask) -> Owners | None:
        """`26 times for AMD`, `份额为11.0%的三星`: the entity the figure describes."""
        described = self._entity_after(ask.figure, ask.spec)
        return Owners([described]) if described is not None else None

    def _rule_marked_topic(self, ask: _Ask) -> Owners | None:
        """ja: the nearest は/が-marked mention in this clause or an earlier one."""
        for clause_index in range(ask.clause, -1, -1):
            marked = [
                m
                for m in self.by_clause[clause_index]
                if m.marked and m.end <= ask.figure.start and self._owns(ask, m)
            ]
            if marked:
                first = marked[-1] if clause_index == ask.clause else marked[0]
                return self._expand(first, ask.spec, ask.topic)
        return None

    def _rule_own_clause(self, ask: _Ask) -> Owners | None:
        """The first eligible mention before the figure in its own clause."""
        for mention in self.by_clause[ask.clause]:
            if mention.end > ask.figure.start:
                break
            if self._owns(ask, mention):
                owners = self._expand(mention, ask.spec, ask.topic)
                return self._respective(owners, ask.figure)
        lead = self._gap(self.clauses[ask.clause][0], ask.figure.start)
        if self.lexicon.generic_owner[self.lang].search(lead):
            return Owners([])  # 国产卡的算力利用率: a thing named, not the company
        return None

    def _rule_counted_product(self, ask: _Ask) -> Owners | None:
        """`30,000 GB200 NVL72 racks will ship`: the product a count counts."""
        counted = self._counted_product(ask.figure, ask.spec)
        return Owners([counted]) if counted is not None else None

    def _rule_antecedent(self, ask: _Ask) -> Owners | None:
        """en: `…Nvidia, whose market cap has climbed to $1.5 trillion`: the entity just named."""
        clause_text = self._gap(*self.clauses[ask.clause]).lstrip()
        if ask.clause == 0 or not _RELATIVE_PRONOUN.match(clause_text):
            return None
        named = self._last_entity(ask.clause - 1, ask.spec)
        return Owners(self._conjoined(named)) if named is not None else None

    def _rule_earlier_clause(self, ask: _Ask) -> Owners | None:
        """The first eligible mention of the nearest earlier clause (en `…, and draws 400W`:
        the sentence's first clause), passing over relative clauses."""
        order: range = range(ask.clause - 1, -1, -1)
        clause_text = self._gap(*self.clauses[ask.clause]).lstrip()
        if self.lang == "en" and _AND_VERB.match(clause_text):
            order = range(0, ask.clause)
        for earlier in order:
            if self.relative[earlier]:
                continue
            candidates = [m for m in self.by_clause[earlier] if self._owns(ask, m)]
            if candidates:
                owners = self._expand(candidates[0], ask.spec, ask.topic)
                return self._respective(owners, ask.figure)
        return None

    def _rule_speaking_company(self, ask: _Ask) -> Owners | None:
        """`Revenue from Japan rose 12%, Micron said`: the company reporting it."""
        for entity in self.speakers:
            if entity.label in ask.spec.owners:
                return Owners([entity])
        return None

    def _rule_topic(self, ask: _Ask) -> Owners | None:
        """The organisation the document was last about."""
        org = ask.topic.org
        if org is not None and org.label in ask.spec.owners:
            return Owners([org], from_topic=True)
        return None

    def _respective(self, owners: Owners, figure: Figure) -> Owners:
        """荣耀和OPPO分别以16.2%和15.8%: the i-th name takes the i-th figure."""
        group = owners.entities
        if len(group) < 2:
            return owners
        lo, hi = group[-1].end, figure.start
        if not self.lexicon.respectively.search(self._gap(lo, min(hi + 40, self._end))):
            return owners
        index = self.clause_index(figure.start)
        start, end = self.clauses[index]
        same = [f for f in self.figures if start <= f.start < end and f.kind == figure.kind]
        if len(same) != len(group) or figure not in same:
            return owners
        return Owners([group[same.index(figure)]], owners.from_topic)

    def _last_entity(self, index: int, spec: MetricSpec) -> Entity | None:
        start, end = self.clauses[index]
        inside = [e for e in self.entities if start <= e.start and e.end <= end]
        if inside and inside[-1].label in spec.owners:
            return inside[-1]
        return None

    def _comparison_bases(self, figure: Figure) -> set[int]:
        """Starts of the entities a ratio compares against (H100的1.3倍), and their owners."""
        if figure.kind not in _RATIO_KINDS:
            return set()
        bases: set[int] = set()
        before = bisect_right(self._entity_ends, figure.start)
        for entity in reversed(self.entities[max(0, before - 3) : before]):
            if entity.end > figure.start:
                continue
            if bases:
                nearest = min(bases)
                if _ADJACENT.match(self._gap(entity.end, nearest)):
                    bases.add(entity.start)  # NVIDIAのH100: the owner of the base
                break
            if not _COMPARISON_BASE.match(self._gap(entity.end, figure.start)):
                break
            bases.add(entity.start)
        return bases

    def elliptical(self, figure: Figure) -> bool:
        """A clause of little but a name and the figure (サムスン電子は40%程度, Micron at 5%)."""
        start, end = self.clauses[self.clause_index(figure.start)]
        spans = [(e.start, e.end) for e in self.entities if start <= e.start and e.end <= end]
        spans.append((figure.start, figure.end))
        rest = self._gap(start, end)
        for lo, hi in sorted(spans, reverse=True):
            rest = rest[: lo - start] + rest[hi - start :]
        words = _ELLIPSIS_FILLER.sub("", rest)
        return bool(spans[:-1]) and len(words) <= 4

    # ------------------------------------------------------------------

    def _resolve(self, mention: Mention, topic: Topic) -> Entity | None:
        """A back-reference: the sentence's first organisation before it, else the topic."""
        if mention.refers == "LATTER":
            named = [e for e in self.entities if e.end <= mention.start]
            return named[-1] if named else None
        if mention.refers == "ORG":
            # 根据台积电发布的财报，该公司…: named first, even inside an attribution
            for entity in self.entities:
                if entity.start >= mention.start:
                    break
                if entity.label != "ORG" or entity.start in self.source_like:
                    continue
                if entity.start in self.objects or self.relative[self.clause_index(entity.start)]:
                    continue
                return entity
        return topic.get(mention.refers if mention.refers != "LATTER" else "ORG")

    def _expand(self, first: Mention, spec: MetricSpec, topic: Topic) -> Owners:
        if first.entity is None:
            resolved = self._resolve(first, topic)
            if resolved is not None and resolved.label in spec.owners:
                return Owners([resolved])
            return Owners([])
        position = self._mention_index[first.start]
        group = self._conjoined(first.entity)
        if len(group) == 1:
            head = self._product_head(first, position, spec)
            if head is not None:
                return Owners([head])
        return Owners(_unique(group))

    def _conjoined(self, entity: Entity) -> list[Entity]:
        """`entity` with the entities of its label joined to it by 和 / and / , / と.

        Only entities that may stand as subjects or objects join (a research firm
        named as the source does not: According to Counterpoint, Apple …).
        """
        entities = self._mention_entities
        position = self._mention_entity_index.get(entity.start)
        if position is None:
            return [entity]
        last = position
        while last + 1 < len(entities):
            right = entities[last + 1]
            if right.label != entity.label or not self._joined(entities[last], right):
                break
            last += 1
        first = position
        while first > 0:
            left = entities[first - 1]
            if left.label != entity.label or not self._joined(left, entities[first]):
                break
            first -= 1
        return list(entities[first : last + 1])

    def _product_head(self, first: Mention, position: int, spec: MetricSpec) -> Entity | None:
        """AMD's MI300X / 华为昇腾910B: the product, when the metric prefers products."""
        if first.entity is None or first.entity.label != "ORG":
            return None
        if position + 1 >= len(self.mentions) or "PRODUCT" not in spec.owners:
            return None
        following = self.mentions[position + 1].entity
        if following is None or following.label != "PRODUCT":
            return None
        if "ORG" in spec.owners and spec.owners.index("PRODUCT") > spec.owners.index("ORG"):
            return None
        return following if _ADJACENT.match(self._gap(first.end, following.start)) else None

    def _entity_at(self, figure: Figure, spec: MetricSpec) -> Entity | None:
        """`Samsung at 42.4%`: the entity right before "at" and the figure."""
        index = bisect_right(self._entity_ends, figure.start) - 1
        if index < 0:
            return None
        entity = self.entities[index]
        if entity.label not in spec.owners:
            return None
        return entity if _EN_AT_BEFORE.match(self._gap(entity.end, figure.start)) else None

    def _counted_product(self, figure: Figure, spec: MetricSpec) -> Entity | None:
        """`30,000 GB200 NVL72 racks will ship`: the product a count counts."""
        if figure.kind != "count" or "PRODUCT" not in spec.owners:
            return None
        index = bisect_left(self._entity_starts, figure.end)
        if index >= len(self.entities):
            return None
        entity = self.entities[index]
        if entity.label == "PRODUCT" and _COUNTED_GAP.match(self._gap(figure.end, entity.start)):
            return entity
        return None

    def _entity_after(self, figure: Figure, spec: MetricSpec) -> Entity | None:
        """`26 times for AMD`, `市值为3.32万亿美元的微软`: the entity the figure modifies."""
        pattern = _FIGURE_OF.get(self.lang)
        index = bisect_left(self._entity_starts, figure.end)
        if pattern is None or index >= len(self.entities):
            return None
        entity = self.entities[index]
        if pattern.match(self._gap(figure.end, entity.start)) and entity.label in spec.owners:
            return entity
        return None

    def _gap(self, start: int, end: int) -> str:
        return self.text[start - self.offset : end - self.offset]

    def _joined(self, left: Mention | Entity, right: Mention | Entity) -> bool:
        """Whether only a conjunction (和 / and / , / と) stands between two mentions."""
        gap = self._gap(left.end, right.start)
        if self.lang == "ja":
            gap = self.lexicon.country_prefix_ja.sub("", gap)
        return gap in self.lexicon.conjunctions


# The rules of each language in the order they are asked (the module docstring).
_Rule = Callable[[SentenceSubjects, _Ask], Owners | None]
_SHARED: tuple[_Rule, ...] = (
    SentenceSubjects._rule_own_clause,
    SentenceSubjects._rule_counted_product,
)
_LATER: tuple[_Rule, ...] = (
    SentenceSubjects._rule_earlier_clause,
    SentenceSubjects._rule_speaking_company,
    SentenceSubjects._rule_topic,
)
_RULES: dict[str, tuple[_Rule, ...]] = {
    "en": (
        SentenceSubjects._rule_named_at,
        SentenceSubjects._rule_antecedent,
        *_SHARED,
        SentenceSubjects._rule_described,
        *_LATER,
    ),
    "zh": (SentenceSubjects._rule_described, *_SHARED, *_LATER),
    "ja": (SentenceSubjects._rule_marked_topic, *_SHARED, *_LATER),
}


class SubjectResolver:
    """Builds, once per sentence, the subject rules over the sentence's mentions."""

    def __init__(self, registry: AliasRegistry, words: ClaimWords) -> None:
        self.mentions = MentionFinder(registry, words)
        self.lexicon = self.mentions.lexicon

    def scan(self, text: str, lang: str) -> DocumentScan:
        return self.mentions.scan(text, lang)

    def prepare(
        self,
        text: str,
        lang: str,
        offset: int,
        entities: Sequence[Entity],
        attributions: Sequence[Attribution],
        quoted: SpanSet | None = None,
        figures: Sequence[Figure] = (),
        scan: DocumentScan | None = None,
    ) -> SentenceSubjects:
        """`text` is one sentence starting at document offset `offset`; entities are its own."""
        found = self.mentions.find(text, lang, offset, entities, attributions, quoted, scan)
        sentence = SentenceSubjects(
            self.lexicon,
            text,
            found_lang(lang),
            offset,
            found.clauses,
            found.mentions,
            entities,
            figures,
        )
        sentence.source_like = found.source_like
        sentence.speakers = found.speakers
        return sentence


def _unique(entities: list[Entity]) -> list[Entity]:
    seen: set[str] = set()
    out: list[Entity] = []
    for entity in entities:
        key = entity.canonical or entity.text
        if key not in seen:
            seen.add(key)
            out.append(entity)
    return out
