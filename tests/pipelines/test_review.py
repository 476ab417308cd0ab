"""newsfacts review: verdicts go to an append-only audit trail and show in the fact table."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import run_cli


def claims(db) -> list[dict]:
    result = run_cli(
        "review", "--db", str(db), "list", "--json", "--status", "all", "--limit", "100"
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_list_shows_pending_claims_with_the_figure(facts_db):
    result = run_cli("review", "--db", str(facts_db))
    assert result.returncode == 0, result.stderr
    assert "gross_margin" in result.stdout and "75.1%" in result.stdout


def test_accept_reject_edit_and_history(facts_db):
    rows = {(r["metric"], r["lang"]): r for r in claims(facts_db)}
    margin_zh = rows[("gross_margin", "zh")]["claim_id"]
    margin_en = rows[("gross_margin", "en")]["claim_id"]
    stock = rows[("stock_change", "en")]["claim_id"]
    assert run_cli("review", "--db", str(facts_db), "accept", margin_zh[:10], "--note", "ok",
                   "--reviewer", "ana").returncode == 0  # fmt: skip
    assert (
        run_cli("review", "--db", str(facts_db), "reject", stock, "--reviewer", "ana").returncode
        == 0
    )
    edit = run_cli("review", "--db", str(facts_db), "edit", margin_en, "--value", "75.15",
                   "--period", "FY2025Q2", "--note", "from the 10-Q", "--reviewer", "bo")  # fmt: skip
    assert edit.returncode == 0, edit.stderr
    after = {r["claim_id"]: r for r in claims(facts_db)}
    assert after[margin_zh]["status"] == "accepted"
    assert after[stock]["status"] == "rejected"
    assert after[margin_en]["status"] == "edited"
    assert after[margin_en]["value"] == 75.15 and after[margin_en]["period"] == "FY2025Q2"
    # a second verdict is appended, the first kept
    assert run_cli("review", "--db", str(facts_db), "reject", margin_zh).returncode == 0
    history = run_cli("review", "--db", str(facts_db), "history", margin_zh)
    verdicts = [json.loads(line)["verdict"] for line in history.stdout.splitlines()]
    assert verdicts == ["accepted", "rejected"]
    first = json.loads(history.stdout.splitlines()[0])
    assert first["reviewer"] == "ana" and first["note"] == "ok"
    assert json.loads(first["snapshot"])["figure_text"] == "75.1%"


def test_audit_trail_cannot_be_changed(facts_db):
    claim_id = claims(facts_db)[0]["claim_id"]
    assert run_cli("review", "--db", str(facts_db), "accept", claim_id).returncode == 0
    with sqlite3.connect(facts_db) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE reviews SET verdict = 'rejected'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM reviews")


def test_bad_review_input_is_named(facts_db):
    unknown = run_cli("review", "--db", str(facts_db), "accept", "ffffffffff")
    assert unknown.returncode == 2 and "no claim with id 'ffffffffff'" in unknown.stderr
    short = run_cli("review", "--db", str(facts_db), "accept", "ab")
    assert short.returncode == 2 and "too short" in short.stderr
    claim_id = claims(facts_db)[0]["claim_id"]
    document_prefix = run_cli("review", "--db", str(facts_db), "accept", claim_id[:6])
    assert document_prefix.returncode == 2 and "ambiguous" in document_prefix.stderr
    empty = run_cli("review", "--db", str(facts_db), "edit", claim_id)
    assert empty.returncode == 2 and "--value" in empty.stderr
    half = run_cli("review", "--db", str(facts_db), "edit", claim_id, "--low", "1")
    assert half.returncode == 2 and "--low and --high" in half.stderr
