"""newsfacts export: every format read back; paths confined; formulas inert; no invalid JSON."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

import pytest

from db.queries import ALL_COLUMNS, FACT_COLUMNS
from pipelines.errors import NewsfactsError
from pipelines.export import export_table, safe_output_path
from tests.conftest import run_cli


def export(db: Path, fmt: str, out: str, cwd: Path, *extra: str):
    return run_cli("export", "--db", str(db), "--format", fmt, "-o", out, *extra, cwd=cwd)


def read_back(path: Path, fmt: str) -> list[dict]:
    if fmt == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True)["facts"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    # read-only openpyxl leaves out empty trailing cells
    return [
        dict(zip(header, row + (None,) * (len(header) - len(row)), strict=True)) for row in rows[1:]
    ]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "xlsx"])
def test_every_format_reads_back(facts_db, tmp_path, fmt):
    result = export(facts_db, fmt, f"facts.{fmt}", tmp_path)
    assert result.returncode == 0, result.stderr
    rows = read_back(tmp_path / f"facts.{fmt}", fmt)
    assert rows
    assert list(rows[0])[: len(FACT_COLUMNS)] == list(FACT_COLUMNS)
    margins = [r for r in rows if r["metric"] == "gross_margin"]
    assert {r["subject"] for r in margins} == {"NVIDIA"}
    assert {float(r["value"]) for r in margins} == {75.1}
    assert {r["lang"] for r in rows} == {"zh", "en"}
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_parquet_has_an_explicit_schema(facts_db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    assert export(facts_db, "parquet", "f.parquet", tmp_path).returncode == 0
    schema = pq.read_schema(tmp_path / "f.parquet")
    assert schema.field("value").type == pa.float64()
    assert schema.field("start").type == pa.int64()
    assert schema.field("subject").type == pa.string()


def test_accepted_only(facts_db, tmp_path):
    listing = run_cli("review", "--db", str(facts_db), "list", "--json", "--limit", "50")
    claims = json.loads(listing.stdout)
    target = next(c for c in claims if c["metric"] == "gross_margin")
    assert run_cli("review", "--db", str(facts_db), "accept", target["claim_id"]).returncode == 0
    assert export(facts_db, "jsonl", "acc.jsonl", tmp_path, "--accepted-only").returncode == 0
    rows = read_back(tmp_path / "acc.jsonl", "jsonl")
    assert [(r["claim_id"], r["status"]) for r in rows] == [(target["claim_id"], "accepted")]


def test_unknown_format_is_refused_with_the_choices(facts_db, tmp_path):
    result = export(facts_db, "docx", "f.docx", tmp_path)
    assert result.returncode == 2
    assert "csv" in result.stderr and "parquet" in result.stderr and "xlsx" in result.stderr
    assert not (tmp_path / "f.docx").exists()


def test_path_outside_the_root_is_refused(facts_db, tmp_path):
    """Row I3: ../ escapes and symlinks that lead out are refused; nothing is written."""
    work = tmp_path / "work"
    work.mkdir()
    result = export(facts_db, "csv", "../../x.csv", work)
    assert result.returncode == 2 and "outside" in result.stderr
    assert not (tmp_path.parent / "x.csv").exists()
    outside = tmp_path / "outside"
    outside.mkdir()
    (work / "link").symlink_to(outside, target_is_directory=True)
    result = export(facts_db, "csv", "link/x.csv", work)
    assert result.returncode == 2 and "outside" in result.stderr
    assert list(outside.iterdir()) == []
    (work / "file-link.csv").symlink_to(outside / "target.csv")
    result = export(facts_db, "csv", "file-link.csv", work)
    assert result.returncode == 2 and not (outside / "target.csv").exists()


def test_root_option_allows_an_explicit_folder(facts_db, tmp_path):
    target = tmp_path / "exports"
    target.mkdir()
    result = export(facts_db, "csv", str(target / "f.csv"), tmp_path / "..", "--root", str(target))
    assert result.returncode == 0, result.stderr
    assert (target / "f.csv").exists()


ROWS = [
    {"claim_id": "1", "subject": "=HYPERLINK(\"http://x\")", "sentence": "+1 and more",
     "value": float("nan"), "low": float("inf"), "high": -float("inf"), "source": "@SUM(A1)",
     "figure_text": "－5", "doc_title": "＝cmd", "unit": "-3", "currency": "\tTAB"},
]  # fmt: skip


def test_formula_cells_are_neutralised_in_csv_and_xlsx(tmp_path):
    """Row I4 of the fault matrix."""
    columns = [
        "claim_id",
        "subject",
        "sentence",
        "source",
        "figure_text",
        "doc_title",
        "unit",
        "currency",
    ]
    export_table(ROWS, columns, "csv", tmp_path / "f.csv", tmp_path)
    export_table(ROWS, columns, "xlsx", tmp_path / "f.xlsx", tmp_path)
    for fmt in ("csv", "xlsx"):
        row = read_back(tmp_path / f"f.{fmt}", fmt)[0]
        for column in columns[1:]:
            assert str(row[column]).startswith("'"), (fmt, column, row[column])


def test_nan_and_infinity_never_reach_json(tmp_path):
    """Row I6 of the fault matrix."""
    export_table(
        ROWS, ["claim_id", "value", "low", "high"], "jsonl", tmp_path / "f.jsonl", tmp_path
    )
    text = (tmp_path / "f.jsonl").read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {"claim_id": "1", "value": None, "low": None, "high": None}
    export_table(ROWS, ["claim_id", "value"], "parquet", tmp_path / "f.parquet", tmp_path)
    value = read_back(tmp_path / "f.parquet", "parquet")[0]["value"]
    assert value is None or not math.isnan(value)


def test_failed_write_leaves_no_file(tmp_path):
    def rows():
        yield {"claim_id": "1"}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        export_table(rows(), ["claim_id"], "csv", tmp_path / "f.csv", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_safe_output_path_rules(tmp_path):
    assert safe_output_path("a.csv", tmp_path) == tmp_path.resolve() / "a.csv"
    with pytest.raises(NewsfactsError, match="outside"):
        safe_output_path("/etc/x.csv", tmp_path)
    with pytest.raises(NewsfactsError, match="does not exist"):
        safe_output_path("nofolder/x.csv", tmp_path)
    os.mkdir(tmp_path / "dir.csv")
    with pytest.raises(NewsfactsError, match="folder"):
        safe_output_path("dir.csv", tmp_path)
    assert set(FACT_COLUMNS) <= set(ALL_COLUMNS)
