"""Cross-lingual facts: claims that say the same thing, from any language and source.

Claims share a fact when they have the same subject (canonical, so 英伟达 and
Nvidia meet), metric, period, figure kind and currency, and values that agree
within rounding (a relative difference of at most `TOLERANCE`, or
overlapping ranges): "75.1%" in a Chinese article and "75.1 percent" in an
English one are one fact with two sources. The same subject, metric and
period with values that do not agree are separate facts flagged as a
conflict, for a reviewer to settle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from db.ids import stable_id


@dataclass
class Fact:
    fact_id: str
    subject: str
    metric: str
    period: str | None
    kind: str | None
    currency: str | None
    unit: str | None
    low: float
    high: float
    claims: list[dict[str, Any]] = field(default_factory=list)
    conflict: bool = False

    @property
    def value(self) -> float | None:
        return self.low if self.low == self.high else None

    def row(self) -> dict[str, Any]:
        """The fact-level export row."""
        statuses = [c["status"] for c in self.claims]
        return {
            "fact_id": self.fact_id,
            "subject": self.subject,
            "metric": self.metric,
            "period": self.period,
            "value": self.value,
            "low": None if self.value is not None else self.low,
            "high": None if self.value is not None else self.high,
            "unit": self.unit,
            "currency": self.currency,
            "claims": len(self.claims),
            "documents": len({c["doc_id"] for c in self.claims}),
            "languages": ",".join(sorted({c["lang"] for c in self.claims if c.get("lang")})),
            "sources": sorted({s for c in self.claims for s in claim_sources(c)}),
            "accepted": sum(1 for s in statuses if s in ("accepted", "edited")),
            "rejected": sum(1 for s in statuses if s == "rejected"),
            "conflict": self.conflict,
            "claim_ids": [c["claim_id"] for c in self.claims],
            "doc_urls": sorted({c["doc_url"] for c in self.claims if c.get("doc_url")}),
        }


FACT_COLUMNS = ("fact_id", "subject", "metric", "period", "value", "low", "high", "unit", "currency",
                "claims", "documents", "languages", "sources", "accepted", "rejected", "conflict",
                "claim_ids", "doc_urls")  # fmt: skip


FACT_LINK_COLUMNS = ("fact_id", "fact_sources", "fact_languages", "conflict")


def claim_sources(claim: dict[str, Any]) -> list[str]:
    """Who a claim rests on: its attribution when it has one, and the site it was read on."""
    names = [claim.get("source"), claim.get("doc_source")]
    return [n for n in names if n]


def _interval(claim: dict[str, Any]) -> tuple[float, float] | None:
    if claim.get("value") is not None:
        return float(claim["value"]), float(claim["value"])
    if claim.get("low") is not None and claim.get("high") is not None:
        return float(claim["low"]), float(claim["high"])
    return None


def significant_digits(number: float) -> int:
    """How precisely a figure was written: 30040000000 -> 4, 3e10 -> 1, 75.1 -> 3, 1200 -> 2."""
    mantissa = f"{abs(number):.12g}".split("e")[0]
    if "." in mantissa:
        digits = mantissa.replace(".", "").lstrip("0")
    else:
        digits = mantissa.strip("0")  # trailing zeros of a whole number are not precision
    return max(1, len(digits))


def _round_to(number: float, digits: int) -> float:
    return float(f"{number:.{digits}g}")


def _agrees(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Same value once both are rounded to the coarser one's precision, or overlapping ranges.
    75.1% and "about 75%" agree; 74.4% and 75.1% do not; $30.04bn and 300.4亿美元 agree."""
    if a[0] != a[1] or b[0] != b[1]:
        return a[0] <= b[1] and b[0] <= a[1]
    digits = min(significant_digits(a[0]), significant_digits(b[0]))
    return _round_to(a[0], digits) == _round_to(b[0], digits)


def group_facts(claims: Iterable[dict[str, Any]]) -> list[Fact]:
    """Facts from fact-table rows (rejected claims are left out)."""
    buckets: dict[tuple[Any, ...], list[tuple[tuple[float, float], dict[str, Any]]]] = {}
    for claim in claims:
        if claim.get("status") == "rejected":
            continue
        interval = _interval(claim)
        if interval is None:
            continue
        key = (
            (claim.get("subject") or "").casefold(),
            claim["metric"],
            claim.get("period"),
            claim.get("kind"),
            claim.get("currency"),
        )
        buckets.setdefault(key, []).append((interval, claim))
    facts: list[Fact] = []
    for key, members in buckets.items():
        members.sort(key=lambda m: (m[0][0], m[0][1]))
        clusters: list[list[tuple[tuple[float, float], dict[str, Any]]]] = []
        for member in members:
            # a claim joins a fact only if it agrees with every claim already in it (no chains)
            if clusters and all(_agrees(other, member[0]) for other, _ in clusters[-1]):
                clusters[-1].append(member)
            else:
                clusters.append([member])
        for cluster in clusters:
            low, high = _span(cluster)
            first = cluster[0][1]
            facts.append(
                Fact(
                    fact_id=stable_id("fact", *key, round(low, 6)),
                    subject=first["subject"],
                    metric=first["metric"],
                    period=first.get("period"),
                    kind=first.get("kind"),
                    currency=first.get("currency"),
                    unit=first.get("unit"),
                    low=low,
                    high=high,
                    claims=[c for _, c in cluster],
                    conflict=len(clusters) > 1,
                )
            )
    facts.sort(key=lambda f: (-len({c["doc_id"] for c in f.claims}), f.subject, f.metric))
    return facts


def _span(cluster: list[tuple[tuple[float, float], dict[str, Any]]]) -> tuple[float, float]:
    return min(i[0] for i, _ in cluster), max(i[1] for i, _ in cluster)


def annotate_claims(rows: list[dict[str, Any]], facts: list[Fact]) -> list[dict[str, Any]]:
    """Add fact_id, fact_sources, fact_languages and conflict to claim rows."""
    by_claim: dict[str, Fact] = {c["claim_id"]: f for f in facts for c in f.claims}
    for row in rows:
        fact = by_claim.get(row["claim_id"])
        row["fact_id"] = fact.fact_id if fact else None
        row["fact_sources"] = (
            sorted({s for c in fact.claims for s in claim_sources(c)}) if fact else []
        )
        row["fact_languages"] = (
            ",".join(sorted({c["lang"] for c in fact.claims})) if fact else row.get("lang")
        )
        row["conflict"] = fact.conflict if fact else False
    return rows
