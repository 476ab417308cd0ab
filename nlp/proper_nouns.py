"""English names the registry does not know, by rule: organisations and people.

- an organisation is a run of capitalised words ending in an organisation word
  (Harbor Peak Advisors, Summit Ridge Research, Tidewater Semiconductor Inc.);
- a person is a capitalised two- or three-word name after a title (CEO Lisa
  Su, analyst Hannah Cole, Chief Executive Jensen Huang) or before an
  appositive role (Jonathan Reyes, a portfolio manager at …).

Both keep their surface; the registry gives a canonical name where it knows
one. The rules run in linear time (bounded regular expressions) and find
nothing that the registry or the product patterns already cover, because the
entity stage resolves overlaps in favour of those.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nlp.aliases import AliasRegistry
from nlp.types import Entity

_CAP = r"[A-Z][A-Za-z0-9&'’.-]*"
_ORG_WORDS = (
    "Inc|Inc\\.|Corp|Corp\\.|Corporation|Co\\.|Ltd|Ltd\\.|LLC|plc|PLC|AG|SA|NV|Group|Holdings|"
    "Technologies|Technology|Systems|Semiconductor|Semiconductors|Research|Capital|Ventures|"
    "Partners|Advisors|Advisers|Securities|Labs|Laboratories|Networks|Electronics|Microsystems|"
    "Robotics|Bank|Fund|Institute|University|Investments|Management|Solutions|Software|"
    "Devices|Instruments|Foundry|Motors|Computing|Cloud|AI"
)
_ORG = re.compile(rf"\b(?:{_CAP}\s+){{1,4}}(?:{_ORG_WORDS})(?![A-Za-z])")
_TITLE = (
    "CEO|CFO|CTO|COO|Chief Executive|Chief Financial Officer|Chief Technology Officer|"
    "Chairman|Chairwoman|President|Founder|co-founder|founder|analyst|Analyst|chairman|"
    "president|executive vice president|vice president|Minister|Secretary|Senator|Professor"
)
_NAME = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
_PERSON_AFTER_TITLE = re.compile(rf"\b(?:{_TITLE})\s+(?P<name>{_NAME}(?:\s+{_NAME}){{1,2}})\b")
_PERSON_BEFORE_ROLE = re.compile(
    rf"(?P<name>\b{_NAME}(?:\s+{_NAME}){{1,2}}),\s+(?:a|an|the)\s+[a-z][a-z -]{{2,40}}?\s+(?:at|of|with|for)\s+[A-Z]"
)
_LEADING_FUNCTION_WORDS = re.compile(r"^(?:(?:The|A|An|In|On|At|For|But|And|As|Its|This|That)\s+)+")
_NOT_NAMES = frozenset(
    "The A An In On At For But And As It Its This That These Those He She They We Our "
    "Chief Executive Officer Financial Technology".split()
)


def find_proper_nouns(text: str, registry: AliasRegistry) -> Iterator[Entity]:
    """Organisations and people named in English `text` by the rules above."""
    for match in _ORG.finditer(text):
        lead = _LEADING_FUNCTION_WORDS.match(match.group())
        start, end = match.start() + (lead.end() if lead else 0), match.end()
        surface = text[start:end]
        if len(surface.split()) < 2:
            continue
        yield Entity(surface, start, end, "ORG", registry.canonical(surface))
    for pattern in (_PERSON_AFTER_TITLE, _PERSON_BEFORE_ROLE):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            surface = match.group("name")
            if surface.split()[0] in _NOT_NAMES:
                continue
            yield Entity(surface, start, end, "PERSON", registry.canonical(surface))
