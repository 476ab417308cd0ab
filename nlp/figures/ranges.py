"""Two neighbouring numbers read as one figure: a range (3万至5万片, 70〜80%,
between 20 and 30, $1.2bn to $1.5bn) or a ratio (one in five, 1 out of 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nlp.figures.candidate import Candidate

RANGE_CONNECTORS = frozenset(
    ["至", "到", "~", "-", "to", "through", "and", "和", "与", "與", "と", "或", "から"]
)
# Joined by these only when the pair is framed (between A and B, 在A和B之间).
_WEAK_CONNECTORS = frozenset(["and", "和", "与", "與", "と", "或"])
_BETWEEN_AFTER = ("之间", "之間", "间", "間", "の間")
_CHANGE_VERBS = frozenset(
    "rose risen rise rises rising climbed jumped increased increase grew grown fell fallen falls "
    "dropped declined decreased slid slipped cut raised lifted lowered boosted expanded shrank "
    "narrowed widened up down improved went moved changed surged soared plunged tumbled "
    "revised upgraded downgraded".split()
)
_RATIO = re.compile(r"[ ]+(?P<word>out[ ]+of|over|in)[ ]+$")


def join_neighbours(
    low: str, cands: list[Candidate], ranges: bool, is_name: Callable[[Candidate], bool]
) -> list[Candidate]:
    """Candidates with ranges (when `ranges`) and ratios joined; order kept.
    `is_name` says whether a candidate is digits in a name (never joined)."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        first = cands[i]
        if i + 1 < len(cands):
            second = cands[i + 1]
            joined = _as_ratio(low, first, second, is_name)
            if joined is None and ranges:
                joined = _as_range(low, first, second, is_name)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
            if ranges and second.date and _connector(low[first.end : second.start]):
                first.date = True  # 4〜6月期, July 1-3: both ends are dates
        out.append(first)
        i += 1
    return out


def _connector(gap: str) -> str | None:
    connector = gap.strip()
    if connector in RANGE_CONNECTORS and len(gap) <= len(connector) + 2:
        return connector
    return None


def _words_before(low: str, start: int) -> list[str]:
    return low[max(0, start - 30) : start].split()


def _as_range(
    low: str, first: Candidate, second: Candidate, is_name: Callable[[Candidate], bool]
) -> Candidate | None:
    connector = _connector(low[first.end : second.start])
    if connector is None or not _can_join(first, second) or is_name(first) or is_name(second):
        return None
    before = _words_before(low, first.start)
    if connector in _WEAK_CONNECTORS and not _framed(low, connector, before, first, second):
        return None
    if connector == "to" and before and before[-1] in _CHANGE_VERBS:
        return None  # "rose to 5 to 6"
    if (
        connector == "to"
        and len(before) >= 2
        and before[-1] == "from"
        and before[-2] in _CHANGE_VERBS
    ):
        return None  # "rose from 10% to 20%" is a change, not a range
    if (
        connector == "-"
        and low[first.end : second.start] != "-"
        and not (first.kind or second.kind)
    ):
        return None  # "3 - 4" with spaces between bare numbers is arithmetic or a score
    if first.kind is not None and second.kind is not None and first.kind != second.kind:
        return None
    if first.kind is not None and second.kind is None:
        return None
    assert first.value is not None and second.value is not None
    low_value = first.value
    if not first.scaled and second.scale != 1.0 and first.kind is None:
        # 3至5万: the scale of the upper end applies to both
        if low_value * second.scale <= second.value:
            low_value *= second.scale
    if low_value > second.value:
        return None
    return _range(first, second, low_value)


def _can_join(first: Candidate, second: Candidate) -> bool:
    if first.date or second.date or first.value is None or second.value is None:
        return False
    return not (first.error or second.error or first.is_range or second.is_range)


def _framed(
    low: str, connector: str, before: list[str], first: Candidate, second: Candidate
) -> bool:
    """ "and" and 和 make a range only when framed: between 20 and 30, 在20和30之间
    (分别为74.4%和75.0% is two figures); 或 only between bare numbers (3或4家)."""
    if connector == "and":
        return bool(before) and before[-1] == "between"
    if connector == "或":
        return first.kind is None
    return low.startswith(_BETWEEN_AFTER, second.end)


def _range(first: Candidate, second: Candidate, low_value: float) -> Candidate:
    kind, unit = (second.kind, second.unit) if second.kind is not None else (first.kind, first.unit)
    rng = Candidate(
        first.start, second.end, first.num_start, second.num_end, second.value, second.number,
        second.source,
    )  # fmt: skip
    rng.kind, rng.unit = kind, unit
    rng.currency = second.currency or first.currency
    rng.scaled = second.scaled or first.scaled
    rng.scale = second.scale
    rng.qualifier = first.qualifier or second.qualifier
    rng.low, rng.first = low_value, first
    return rng


def _as_ratio(
    low: str, first: Candidate, second: Candidate, is_name: Callable[[Candidate], bool]
) -> Candidate | None:
    """'one in five', '1 out of 3', 'one over three': a fraction of bare numbers."""
    match = _RATIO.match(low, first.end, second.start)
    if match is None or first.kind or first.scaled or first.date or second.date:
        return None
    if is_name(first):
        return None
    if second.kind is not None and (second.kind != "count" or match["word"] == "over"):
        return None  # "$2000 over 3 years" is money and a duration
    if first.value is None or not second.value or first.error or second.error:
        return None
    if match["word"] != "over" and first.value > second.value:
        return None  # "8 in 5" is two numbers
    value = first.value / second.value
    ratio = Candidate(
        first.start, second.num_end, first.start, second.num_end, value, value, "fraction"
    )
    ratio.kind = "fraction"
    return ratio
