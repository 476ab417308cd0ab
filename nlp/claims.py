"""Claims: a figure said of an entity, with a metric, a period and a source.

For each figure in a sentence:

- metric: the nearest cue word (nlp/data/metrics.toml) whose metric accepts
  the figure's kind; cues across a clause break or after the figure cost
  more, and the generic `growth` gives way to a specific metric in the clause;
- subject: the entity the figure belongs to — the nearest organisation or
  product before the metric cue in the same clause, else in the sentence,
  else (for 该公司 / the company / 同社, or a sentence with none) the subject
  of the sentence before; entities joined by 和 / and / と share the figure;
- period: the nearest period expression (nlp/periods.py) in the sentence;
- source: an attribution phrase (据…, according to …, …によると);
- direction: "up" / "down" from change words near the figure.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from nlp.aliases import AliasRegistry
from nlp.periods import find_periods
from nlp.phrases import PhraseMatch, PhraseMatcher
from nlp.types import Claim, Entity, Figure, Sentence

_CLAUSE_BREAK = re.compile(r"[，,；;：:（）()、]|\s-\s|—")
# Metrics that are changes: only these carry a direction (a margin or a price is a level).
_CHANGE_METRICS = frozenset(
    ["growth", "stock_change", "market_cap_change", "headcount", "net_profit"]
)
_SUBJECT_LABELS = ("ORG", "PRODUCT", "PERSON", "GPE")
_LABEL_RANK = {"ORG": 0, "PRODUCT": 0, "GPE": 2, "PERSON": 3}
_CONJUNCTIONS = (
    "和",
    "与",
    "與",
    "及",
    "、",
    "以及",
    "跟",
    "と",
    "や",
    " and ",
    ", ",
    " & ",
    "和",
    "同",
)
_PRONOUNS = re.compile(
    r"该公司|該公司|该企业|公司|其|它|the company|the firm|the chipmaker|the group|it|its|同社|同グループ",
    re.I,
)

_SOURCE_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "zh": [
        re.compile(
            r"(?:据|據|根据|根據|援引|引述)(?P<src>[^，。,；;]{1,30}?)(?:的)?(?:最新)?(?:数据|數據|统计|統計|报告|報告|估计|估計|预测|預測|测算|測算|调查|調查|研究|消息|报道|報導|报导|显示|顯示|披露|资料|資料|分析|指出|估算|调研|調研)"
        ),
        re.compile(
            r"(?:据|據)(?P<src>[^，。,；;]{2,20}?)(?:称|稱|表示|透露|指出|估计|估計|预计|預計|介绍|介紹|披露)"
        ),
        re.compile(
            r"(?P<src>[^，。,；;：:“”「」]{2,24}?)(?:分析师|分析師)?(?:表示|称|稱|认为|認為|预计|預計|预估|預估|估计|估計|估算|指出|测算|測算|透露)"
        ),
    ],
    "en": [
        re.compile(
            r"according to (?P<src>[^,.;]{2,60}?)(?=[,.;]| data| estimates| figures| research| analysis| report|$)",
            re.I,
        ),
        re.compile(
            r"(?P<src>(?:[A-Z][\w&'.-]*\s?){1,5}?)(?:\s+analysts?)?\s+(?:estimates?|estimated|forecasts?|forecast|projects?|projected|calculates?|calculated|reckons?)\b"
        ),
        re.compile(
            r"\b(?:data|figures|research|estimates) from (?P<src>(?:[A-Z][\w&'.-]*\s?){1,5})"
        ),
        re.compile(
            r"\b(?:the company|it|the firm|the chipmaker) said in (?:its |a )?(?P<src>filing|statement|annual report|quarterly report|earnings report|report)",
            re.I,
        ),
        re.compile(
            r"\bsaid in (?:its |a )(?P<src>filing|regulatory filing|statement|annual report)", re.I
        ),
    ],
    "ja": [
        re.compile(
            r"(?P<src>[^、。，,「」]{2,30}?)(?:の調査|の推計|の予測|の試算|の集計|の分析|のデータ)?(?:によると|によれば|では)"
        ),
        re.compile(r"(?P<src>[^、。，,「」]{2,30}?)(?:の調査|の推計|の予測|の試算|の集計)で"),
    ],
}
_SOURCE_NOISE = re.compile(
    r"^(?:最新|目前|此前|同时|同時|另外|此外|其中|而|但|并|並|且|与此同时|The |the )"
)


@dataclass(frozen=True)
class MetricCue:
    metric: str
    kinds: frozenset[str]


@dataclass(frozen=True)
class MetricLexicon:
    cues: dict[str, PhraseMatcher[MetricCue]]
    direction: dict[str, PhraseMatcher[str]]


@cache
def load_metric_lexicon() -> MetricLexicon:
    raw = tomllib.loads(resources.files("nlp").joinpath("data/metrics.toml").read_text("utf-8"))
    direction_raw = raw.pop("direction")
    cues: dict[str, PhraseMatcher[MetricCue]] = {}
    for lang in ("zh", "en", "ja"):
        phrases: list[tuple[str, MetricCue]] = []
        for metric, entry in raw.items():
            cue = MetricCue(metric, frozenset(entry["kinds"]))
            phrases.extend((word, cue) for word in entry.get(lang, []))
        if lang == "zh":  # Chinese cues also read Japanese kanji text and vice versa
            for metric, entry in raw.items():
                cue = MetricCue(metric, frozenset(entry["kinds"]))
                phrases.extend((word, cue) for word in entry.get("ja", []))
        cues[lang] = PhraseMatcher(phrases)
    direction = {
        lang: PhraseMatcher(
            [(w, "down") for w in direction_raw[f"down_{lang}"]]
            + [(w, "up") for w in direction_raw[f"up_{lang}"]]
        )
        for lang in ("zh", "en", "ja")
    }
    return MetricLexicon(cues, direction)


class ClaimFinder:
    def __init__(self, registry: AliasRegistry) -> None:
        self.registry = registry
        self.lex = load_metric_lexicon()

    def find(
        self,
        text: str,
        lang: str,
        sentences: list[Sentence],
        entities: list[Entity],
        figures: list[Figure],
        doc_date: str | None = None,
    ) -> list[Claim]:
        claims: list[Claim] = []
        fig_i = ent_i = 0
        previous_subjects: list[Entity] = []
        for sentence in sentences:
            sent_figures: list[Figure] = []
            while fig_i < len(figures) and figures[fig_i].start < sentence.end:
                if figures[fig_i].start >= sentence.start:
                    sent_figures.append(figures[fig_i])
                fig_i += 1
            sent_entities: list[Entity] = []
            while ent_i < len(entities) and entities[ent_i].start < sentence.end:
                if entities[ent_i].start >= sentence.start:
                    sent_entities.append(entities[ent_i])
                ent_i += 1
            subjects_here = [e for e in sent_entities if e.label in ("ORG", "PRODUCT")]
            if sent_figures:
                claims.extend(
                    self._sentence_claims(
                        text,
                        lang,
                        sentence,
                        sent_entities,
                        sent_figures,
                        previous_subjects,
                        doc_date,
                    )
                )
            if subjects_here:
                previous_subjects = subjects_here
        return claims

    # ------------------------------------------------------------------

    def _sentence_claims(
        self,
        text: str,
        lang: str,
        sentence: Sentence,
        entities: list[Entity],
        figures: list[Figure],
        previous_subjects: list[Entity],
        doc_date: str | None,
    ) -> list[Claim]:
        s_text, offset = sentence.text, sentence.start
        cues = self.lex.cues[lang].find_all(s_text)
        breaks = [m.start() + offset for m in _CLAUSE_BREAK.finditer(s_text)]
        periods = [(p.start + offset, p.value) for p in find_periods(s_text, doc_date)]
        source_span, source = self._source(s_text, lang, offset)
        candidates = [
            e for e in entities if e.label in _SUBJECT_LABELS and not _inside(e, source_span)
        ]
        out: list[Claim] = []
        for figure in figures:
            cue = self._metric(figure, cues, breaks, offset)
            if cue is None:
                continue
            anchor = min(cue.start + offset, figure.start)
            subjects = self._subjects(
                text, candidates, anchor, figure, breaks, previous_subjects, s_text, offset
            )
            if not subjects:
                continue
            period = _nearest(periods, figure.start)
            direction = None
            if cue.payload.metric in _CHANGE_METRICS or figure.kind == "percentage_point":
                direction = self._direction(s_text, lang, figure, offset)
            for subject in subjects:
                out.append(
                    Claim(
                        subject=subject.canonical or subject.text,
                        metric=cue.payload.metric,
                        figure=figure,
                        sentence=sentence,
                        period=period,
                        source=source,
                        direction=direction,
                        subject_canonical=subject.canonical,
                    )
                )
        return out

    def _metric(
        self, figure: Figure, cues: list[PhraseMatch[MetricCue]], breaks: list[int], offset: int
    ) -> PhraseMatch[MetricCue] | None:
        best: tuple[float, PhraseMatch[MetricCue]] | None = None
        for cue in cues:
            if figure.kind not in cue.payload.kinds:
                continue
            c_start, c_end = cue.start + offset, cue.end + offset
            if c_start < figure.end and c_end > figure.start:
                continue
            if c_end <= figure.start:
                distance = figure.start - c_end
                lo, hi = c_end, figure.start
            else:
                distance = c_start - figure.end + 8
                lo, hi = figure.end, c_start
            crossings = sum(1 for b in breaks if lo <= b < hi)
            score = distance + 30 * crossings
            if cue.payload.metric == "growth":
                score += 25
            score -= min(len(cue.text), 6)
            if best is None or score < best[0]:
                best = (score, cue)
        if best is None or best[0] > 120:
            return None
        return best[1]

    def _subjects(
        self,
        text: str,
        candidates: list[Entity],
        anchor: int,
        figure: Figure,
        breaks: list[int],
        previous: list[Entity],
        s_text: str,
        offset: int,
    ) -> list[Entity]:
        before = [e for e in candidates if e.end <= anchor]
        scored: list[tuple[float, Entity]] = []
        for entity in before:
            crossings = sum(1 for b in breaks if entity.end <= b < anchor)
            score = (anchor - entity.end) * 0.2 + 12 * crossings + 8 * _LABEL_RANK[entity.label]
            scored.append((score, entity))
        if not scored:
            after = [e for e in candidates if e.start >= figure.end]
            if after and not _PRONOUNS.search(s_text[: max(0, anchor - offset)]):
                scored = [(0.0, after[0])]
        if not scored:
            lead = s_text[: max(0, anchor - offset)]
            if previous and (not candidates or _PRONOUNS.search(lead)):
                return previous[:1]
            return []
        scored.sort(key=lambda pair: pair[0])
        best = scored[0][1]
        group = [best]
        # 谷歌和Meta…各自 / Google and Meta each: entities joined by a conjunction share the figure
        ordered = sorted(before, key=lambda e: e.start)
        idx = ordered.index(best) if best in ordered else -1
        while idx > 0:
            prev = ordered[idx - 1]
            between = text[prev.end : ordered[idx].start]
            if between in _CONJUNCTIONS and prev.label == best.label:
                group.insert(0, prev)
                idx -= 1
            else:
                break
        return _unique(group)

    def _source(
        self, s_text: str, lang: str, offset: int
    ) -> tuple[tuple[int, int] | None, str | None]:
        patterns = _SOURCE_PATTERNS["zh" if lang not in _SOURCE_PATTERNS else lang]
        for pattern in patterns:
            match = pattern.search(s_text)
            if not match:
                continue
            raw = _SOURCE_NOISE.sub("", match.group("src").strip(' \u3000"“”「」'))
            if not raw or len(raw) > 40:
                continue
            canonical = self._canonical_in(raw)
            span = (match.start("src") + offset, match.end("src") + offset)
            return span, canonical or raw
        return None, None

    def _canonical_in(self, raw: str) -> str | None:
        found = self.registry.find(raw)
        if found:
            return found[0].record.canonical
        return self.registry.canonical(raw)

    def _direction(self, s_text: str, lang: str, figure: Figure, offset: int) -> str | None:
        best: tuple[int, str] | None = None
        f_start, f_end = figure.start - offset, figure.end - offset
        for match in self.lex.direction[lang].find(s_text):
            if match.end <= f_start:
                distance = f_start - match.end
            elif match.start >= f_end:
                distance = match.start - f_end + 4
            else:
                continue
            if distance <= 12 and (best is None or distance < best[0]):
                best = (distance, match.payload)
        return best[1] if best else None


def _inside(entity: Entity, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= entity.start and entity.end <= span[1]


def _nearest(periods: list[tuple[int, str]], position: int) -> str | None:
    if not periods:
        return None
    before = [p for p in periods if p[0] <= position]
    chosen = before[-1] if before else periods[0]
    return chosen[1]


def _unique(entities: list[Entity]) -> list[Entity]:
    seen: set[str] = set()
    out = []
    for entity in entities:
        key = entity.canonical or entity.text
        if key not in seen:
            seen.add(key)
            out.append(entity)
    return out
