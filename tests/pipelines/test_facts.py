"""Cross-lingual facts: the same subject, metric, period and value (within rounding) from any source."""

from __future__ import annotations

import json

from pipelines.facts import group_facts, significant_digits
from tests.conftest import run_cli


def claim(cid: str, subject: str, value: float | None, lang: str, source: str | None = None,
          metric: str = "gross_margin", period: str | None = "FY2025Q2", low: float | None = None,
          high: float | None = None, status: str = "pending", kind: str = "percent",
          currency: str | None = None) -> dict:  # fmt: skip
    return {"claim_id": cid, "subject": subject, "metric": metric, "period": period, "value": value,
            "low": low, "high": high, "lang": lang, "source": source, "doc_source": f"site-{lang}",
            "doc_id": f"doc-{cid}", "doc_url": f"http://x/{cid}", "status": status, "kind": kind,
            "currency": currency, "unit": "%"}  # fmt: skip


def test_same_value_in_three_languages_is_one_fact_with_every_source():
    facts = group_facts([
        claim("a", "NVIDIA", 75.1, "zh", "财报"),
        claim("b", "NVIDIA", 75.1, "en", "filing"),
        claim("c", "NVIDIA", 75.0, "ja"),  # "about 75%" agrees at its precision
    ])  # fmt: skip
    assert len(facts) == 1
    row = facts[0].row()
    assert row["claims"] == 3 and row["languages"] == "en,ja,zh"
    assert row["sources"] == ["filing", "site-en", "site-ja", "site-zh", "财报"]
    assert row["conflict"] is False


def test_different_values_for_the_same_period_are_a_conflict():
    facts = group_facts([claim("a", "NVIDIA", 75.1, "zh"), claim("b", "NVIDIA", 74.4, "en")])
    assert len(facts) == 2 and all(f.conflict for f in facts)


def test_agreement_does_not_chain():
    facts = group_facts(
        [claim("a", "X", 7.0, "en"), claim("b", "X", 7.4, "en"), claim("c", "X", 6.6, "en")]
    )
    # 7 agrees with both 6.6 and 7.4 at one digit, but 6.6 and 7.4 disagree: two facts
    assert len(facts) == 2


def test_money_in_other_currencies_periods_and_rejected_claims_stay_apart():
    facts = group_facts([
        claim("a", "NVIDIA", 3.004e10, "en", metric="revenue", kind="money", currency="USD"),
        claim("b", "NVIDIA", 3.0e10, "zh", metric="revenue", kind="money", currency="USD"),
        claim("c", "NVIDIA", 3.004e10, "zh", metric="revenue", kind="money", currency="CNY"),
        claim("d", "NVIDIA", 3.004e10, "en", metric="revenue", kind="money", currency="USD", period="FY2024Q2"),
        claim("e", "NVIDIA", 1.0, "en", metric="revenue", kind="money", currency="USD", status="rejected"),
    ])  # fmt: skip
    sizes = sorted(len(f.claims) for f in facts)
    assert sizes == [1, 1, 2]
    assert not any(f.conflict for f in facts)


def test_ranges_agree_when_they_overlap():
    facts = group_facts([
        claim("a", "Huawei", None, "zh", metric="shipments", kind="count", low=4e5, high=5e5),
        claim("b", "Huawei", 4.5e5, "en", metric="shipments", kind="count"),
        claim("c", "Huawei", 7e5, "zh", metric="shipments", kind="count"),
    ])  # fmt: skip
    assert sorted(len(f.claims) for f in facts) == [1, 2] and all(f.conflict for f in facts)


def test_significant_digits():
    assert [significant_digits(v) for v in (3.004e10, 3e10, 75.1, 75.0, 1200.0, 0.25)] == [
        4,
        1,
        3,
        2,
        2,
        2,
    ]


def test_fact_level_export(facts_db, tmp_path):
    result = run_cli("export", "--db", str(facts_db), "--format", "jsonl", "-o", "facts.jsonl",
                     "--level", "fact", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    facts = [json.loads(line) for line in (tmp_path / "facts.jsonl").read_text().splitlines()]
    margin = [f for f in facts if f["metric"] == "gross_margin" and f["subject"] == "NVIDIA"]
    assert margin and {"zh", "en"} <= set(",".join(f["languages"] for f in margin).split(","))
    claims = run_cli(
        "export", "--db", str(facts_db), "--format", "jsonl", "-o", "claims.jsonl", cwd=tmp_path
    )
    assert claims.returncode == 0
    rows = [json.loads(line) for line in (tmp_path / "claims.jsonl").read_text().splitlines()]
    assert all({"fact_id", "fact_sources", "fact_languages", "conflict"} <= set(r) for r in rows)
