"""Entities: the alias registry first, then product-name patterns, then names by
rule for what the registry does not know — jieba's proper-noun tags (nr, ns,
nt) for Chinese, capitalised organisation and person names for English.

Registry matches carry their canonical name. A Chinese alias match that cuts
through a jieba word (联电 inside 并联电容) is dropped, so short aliases do not
fire inside ordinary words. Names by rule only fill the gaps the registry and
the product patterns leave: they never split or replace a registry match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from nlp.aliases import AliasRegistry
from nlp.proper_nouns import find_proper_nouns
from nlp.types import Entity, Token

# Chip, model and device names written with digits; the registry gives the
# canonical name where it knows the surface.
PRODUCT_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?:[ABHL]|GH|GB|MI|BR|MTT\s?S)\d{2,4}[A-Z]{0,3}(?:\s?NVL\d{1,3})?"
    r"|RTX\s?(?:PRO\s?)?\d{4}(?:\s?(?:Ti|Super))?"
    r"|GTX\s?\d{3,4}(?:\s?Ti)?"
    r"|(?:Radeon\s)?RX\s?\d{4}(?:\s?XTX?)?"
    r"|Ryzen\s(?:AI\s)?\d{3,4}[A-Z]{0,3}"
    r"|Zen\s?\d"
    r"|Core\sUltra(?:\s\d{1,3}[A-Z]?)?"
    r"|AD\d{3}"
    r"|Gaudi\s?\d"
    r"|Ascend\s?\d{3}[A-Z]?"
    r"|(?:昇腾|昇騰|思元|麒麟|天玑|天璣|骁龙|驍龍|鲲鹏|鯤鵬)\s?\d{3,4}[A-Z]{0,2}"
    r"|Kirin\s?\d{3,4}[A-Z]{0,2}"
    r"|Dimensity\s?\d{4}"
    r"|Snapdragon\s?\d(?:\s?Gen\s?\d)?"
    r"|TPU\s?v\d[a-z]?"
    r"|HBM\d[eE]?"
    r"|GPT-\d(?:\.\d)?[a-z]?(?:\s\d{1,3}B)?"
    r"|Llama\s?\d(?:\.\d)?(?:\s\d{1,3}B)?"
    r"|Qwen\s?\d(?:\.\d)?"
    r"|DeepSeek-[VR]\d(?:\.\d)?"
    r"|Xeon\s?\d"
    r"|EPYC\s?\d{4}"
    r"|MLU\d{3}"
    r"|iPhone\s?\d{1,2}(?:\s?Pro(?:\s?Max)?)?"
    r"|Mate\s?\d{2}(?:\s?Pro\+?)?"
    r"|Pura\s?\d{2}"
    r")(?=s\b|(?![A-Za-z0-9]))"
)

_JIEBA_LABELS = {"nt": "ORG", "nr": "PERSON", "ns": "GPE"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def find_entities(
    text: str, registry: AliasRegistry, tokens: list[Token] | None = None, lang: str = ""
) -> list[Entity]:
    """Registry aliases and product patterns, then names by rule in the gaps they leave."""
    found: list[Entity] = []
    boundaries = _token_boundaries(tokens) if tokens else None
    for match in registry.find(text):
        if boundaries is not None and _cuts_a_word(match.start, match.end, match.text, boundaries):
            continue
        found.append(
            Entity(match.text, match.start, match.end, match.record.label, match.record.canonical)
        )
    for product in PRODUCT_PATTERN.finditer(text):
        surface = product.group()
        canonical = registry.canonical(surface) or registry.canonical(surface.replace(" ", ""))
        found.append(Entity(surface, product.start(), product.end(), "PRODUCT", canonical))
    primary = _resolve_overlaps(found)
    secondary: list[Entity] = []
    if tokens:
        for token in tokens:
            label = _JIEBA_LABELS.get(token.pos)
            if label and len(token.text) >= 2 and _CJK.search(token.text):
                canonical = registry.canonical(token.text)
                secondary.append(Entity(token.text, token.start, token.end, label, canonical))
    if lang == "en":
        secondary.extend(find_proper_nouns(text, registry))
    return fill_gaps(primary, secondary)


def fill_gaps(primary: list[Entity], extra: Iterable[Entity]) -> list[Entity]:
    """`primary` (sorted, non-overlapping) plus the `extra` entities that overlap none of it."""
    starts = [e.start for e in primary]
    added: list[Entity] = []
    for entity in extra:
        index = bisect_right(starts, entity.start)
        before = primary[index - 1] if index > 0 else None
        after = primary[index] if index < len(primary) else None
        if before is not None and before.end > entity.start:
            continue
        if after is not None and after.start < entity.end:
            continue
        added.append(entity)
    return _resolve_overlaps(primary + added)


def _token_boundaries(tokens: list[Token]) -> tuple[set[int], set[int]]:
    return {t.start for t in tokens}, {t.end for t in tokens}


def _cuts_a_word(start: int, end: int, surface: str, bounds: tuple[set[int], set[int]]) -> bool:
    if not _CJK.search(surface):
        return False
    starts, ends = bounds
    return start not in starts or end not in ends


def _resolve_overlaps(entities: list[Entity]) -> list[Entity]:
    """Leftmost first; on the same start the longer span; registry wins ties."""
    ordered = sorted(entities, key=lambda e: (e.start, -(e.end - e.start), e.canonical is None))
    out: list[Entity] = []
    last_end = -1
    for entity in ordered:
        if entity.start >= last_end:
            out.append(entity)
            last_end = entity.end
    return out
