"""newsfacts query: every filter, aliases in any script, read-only, injection-proof."""

from __future__ import annotations

import json

from db.connection import connect
from db.queries import FACT_COLUMNS
from tests.conftest import run_cli


def query(db, *args: str) -> list[dict]:
    result = run_cli("query", "--db", str(db), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_json_rows_have_the_fact_table_columns(facts_db):
    rows = query(facts_db)
    assert rows
    for row in rows:
        assert list(row)[: len(FACT_COLUMNS)] == list(FACT_COLUMNS)
        assert row["status"] == "pending"


def test_entity_filter_takes_any_alias_in_any_script(facts_db):
    for alias in ("英伟达", "輝達", "エヌビディア", "nvidia", "NVIDIA"):
        rows = query(facts_db, "--entity", alias, "--metric", "gross_margin")
        assert {(r["subject"], r["lang"]) for r in rows} == {("NVIDIA", "zh"), ("NVIDIA", "en")}, (
            alias
        )


def test_filters_narrow_the_rows(facts_db):
    assert {r["lang"] for r in query(facts_db, "--lang", "en")} == {"en"}
    assert {r["metric"] for r in query(facts_db, "--metric", "stock_change")} == {"stock_change"}
    assert query(facts_db, "--source", "testwire")
    assert {r["source"] for r in query(facts_db, "--source", "TrendForce")} == {"TrendForce"}
    assert query(facts_db, "--since", "2024-08-29") and all(
        r["published_at"] >= "2024-08-29" for r in query(facts_db, "--since", "2024-08-29")
    )
    assert all(
        r["published_at"][:10] <= "2024-08-28" for r in query(facts_db, "--until", "2024-08-28")
    )
    assert query(facts_db, "--status", "accepted") == []


def test_full_text_search_in_chinese_and_english(facts_db):
    zh = query(facts_db, "--search", "毛利率")
    assert zh and all(r["lang"] == "zh" or "毛利率" in r["sentence"] for r in zh)
    assert any("毛利率" in r["sentence"] for r in zh)
    en = query(facts_db, "--search", "gross margin")
    assert any("gross margin" in r["sentence"] for r in en)
    assert query(facts_db, "--search", "不存在的词语") == []


def test_filter_values_are_text_not_sql(facts_db):
    """Row I1 of the fault matrix."""
    assert query(facts_db, "--entity", "x' OR 1=1 --") == []
    assert query(facts_db, "--source", "x' OR '1'='1") == []
    assert query(facts_db, "--search", '" OR 1=1 --') == []


def test_unknown_sort_key_is_refused_with_the_allowed_names(facts_db):
    """Row I2 of the fault matrix."""
    result = run_cli("query", "--db", str(facts_db), "--sort", "password")
    assert result.returncode == 2
    assert "unknown column 'password'" in result.stderr and "claim_id" in result.stderr


def test_unknown_metric_is_refused(facts_db):
    result = run_cli("query", "--db", str(facts_db), "--metric", "vibes")
    assert result.returncode == 2 and "gross_margin" in result.stderr


def test_query_opens_the_database_read_only(facts_db):
    before = facts_db.stat().st_mtime_ns
    query(facts_db, "--entity", "NVIDIA")
    assert facts_db.stat().st_mtime_ns == before
    db = connect(facts_db, readonly=True)
    try:
        import sqlite3

        try:
            db.execute("DELETE FROM claims")
        except sqlite3.OperationalError as exc:
            assert "readonly" in str(exc) or "read-only" in str(exc) or "query_only" in str(exc)
        else:
            raise AssertionError("a read-only connection accepted a write")
    finally:
        db.close()


def test_csv_and_table_formats(facts_db):
    csv_out = run_cli("query", "--db", str(facts_db), "--format", "csv", "--metric", "gross_margin")
    assert csv_out.returncode == 0
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0].startswith("claim_id,subject,metric,value") and len(lines) == 3
    table = run_cli("query", "--db", str(facts_db), "--metric", "gross_margin")
    assert table.returncode == 0 and "NVIDIA" in table.stdout and "gross_margin" in table.stdout


def test_missing_database_is_named(tmp_path):
    result = run_cli("query", "--db", str(tmp_path / "none.db"))
    assert (
        result.returncode == 2 and "none.db" in result.stderr and "does not exist" in result.stderr
    )


def test_sql_is_read_only_and_time_limited(facts_db, tmp_path):
    ok = run_cli("query", "--db", str(facts_db), "--format", "json",
                 "--sql", "SELECT lang, count(*) AS n FROM documents GROUP BY lang ORDER BY lang")  # fmt: skip
    assert ok.returncode == 0 and json.loads(ok.stdout) == [
        {"lang": "en", "n": 1},
        {"lang": "zh", "n": 1},
    ]
    before = facts_db.read_bytes()
    for statement, word in [
        ("DELETE FROM claims", "delete"),
        ("UPDATE documents SET title = 'x'", "update"),
        (f"ATTACH '{tmp_path / 'evil.db'}' AS evil", "attach"),
        ("PRAGMA writable_schema = 1", "pragma"),
        ("SELECT load_extension('/tmp/x')", "load_extension"),
    ]:
        refused = run_cli("query", "--db", str(facts_db), "--sql", statement)
        assert refused.returncode == 2 and word in refused.stderr, (statement, refused.stderr)
    assert not (tmp_path / "evil.db").exists()
    assert facts_db.read_bytes() == before
    slow = run_cli("query", "--db", str(facts_db), "--timeout", "0.5", "--sql",
                   "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c")  # fmt: skip
    assert slow.returncode == 2 and "time limit" in slow.stderr
