"""Bad input (rows I1-I11 of the fault matrix): one test per row, named by its id.

Rows with their own tests elsewhere (I1-I4, I6 in tests/pipelines, I8-I10 in
tests/nlp, I11 in tests/pipelines/test_ingest.py) get a thin test here too, so
that every row is checked in one place; I5 and I7 live only here.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from db.connection import connect
from db.errors import DatabaseError
from db.queries import ALL_COLUMNS, ClaimFilter, check_column, query_claims
from db.store import add_review
from nlp.figures.extract import extract_figures
from pipelines.errors import NewsfactsError
from pipelines.export import export_table, neutralise
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.registry_sync import fold
from pipelines.search import search_words
from pipelines.web import DeskConfig, create_app
from tests.conftest import run_cli
from tests.faults.helpers import assert_intact, count, rows
from tests.pipelines.articles import zh_article


def strict_json(text: str) -> object:
    """json.loads that refuses NaN and Infinity (Python's own parser accepts them)."""

    def refuse(constant: str) -> object:
        raise ValueError(f"invalid JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def desk(db: Path) -> TestClient:
    return TestClient(create_app(DeskConfig(db_path=str(db), reviewer="tester", secret=b"s")))


def csrf() -> str:
    import hashlib
    import hmac

    return hmac.new(b"s", b"csrf", hashlib.sha256).hexdigest()


def a_claim(db: Path, metric: str = "gross_margin") -> str:
    return rows(db, "SELECT id FROM claims WHERE metric = ? ORDER BY id LIMIT 1", metric)[0]["id"]


# ---------------------------------------------------------------- I1, I2: query input


INJECTIONS = ["x' OR 1=1 --", "x' OR '1'='1", "'; DROP TABLE claims; --", '" OR ""="', "1) OR (1=1"]


def test_I1_filter_values_are_text_and_travel_as_parameters(fact_db):
    db = connect(fact_db, readonly=True)
    try:
        assert query_claims(db, ClaimFilter(), fold)
        for value in INJECTIONS:
            assert query_claims(db, ClaimFilter(entity=value), fold) == [], value
            assert query_claims(db, ClaimFilter(source=value), fold) == [], value
            assert query_claims(db, ClaimFilter(search=search_words(value)), fold) == [], value
        assert query_claims(db, ClaimFilter(entity="英伟达"), fold)  # a real alias still matches
    finally:
        db.close()
    for value in INJECTIONS:
        page = desk(fact_db).get("/queue", params={"entity": value, "q": value, "status": "all"})
        assert page.status_code == 200 and 'class="card"' not in page.text
    result = run_cli("query", "--db", str(fact_db), "--format", "json", "--entity", INJECTIONS[2])
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert count(fact_db, "claims") > 0
    assert_intact(fact_db)


def test_I1_a_search_of_punctuation_only_finds_nothing_instead_of_everything(fact_db):
    refused = run_cli("query", "--db", str(fact_db), "--search", "!!!")
    assert refused.returncode == 2 and "no word to search for" in refused.stderr
    page = desk(fact_db).get("/queue", params={"q": '"*"', "status": "all"})
    assert page.status_code == 200 and 'class="card"' not in page.text


def test_I2_unknown_columns_and_sort_keys_are_refused_with_the_allowed_names(fact_db):
    for name in ("password", "value; DROP TABLE claims", 'subject" --'):
        with pytest.raises(DatabaseError, match="unknown column") as refused:
            check_column(name)
        assert all(column in str(refused.value) for column in ALL_COLUMNS)
        db = connect(fact_db, readonly=True)
        try:
            with pytest.raises(DatabaseError, match="allowed: claim_id"):
                query_claims(db, ClaimFilter(sort=name), fold)
            with pytest.raises(DatabaseError, match="allowed: claim_id"):
                query_claims(db, ClaimFilter(columns=("claim_id", name)), fold)
        finally:
            db.close()
    result = run_cli("query", "--db", str(fact_db), "--sort", "value; DROP TABLE claims")
    assert result.returncode == 2 and "allowed: claim_id" in result.stderr
    assert "Traceback" not in result.stderr and count(fact_db, "claims") > 0


# ---------------------------------------------------------------- I3, I4, I6: export


def test_I3_export_paths_that_lead_outside_are_refused_and_nothing_is_written(tmp_path):
    root = tmp_path / "root"
    outside = tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "out").symlink_to(outside, target_is_directory=True)
    (root / "file.csv").symlink_to(outside / "target.csv")
    before = files_under(tmp_path)
    escapes = ["../../x.csv", "../outside/x.csv", "out/x.csv", "file.csv", str(outside / "x.csv"),
               "/tmp/newsfacts-fault-x.csv"]  # fmt: skip
    for path in escapes:
        with pytest.raises(NewsfactsError, match="outside"):
            export_table([{"claim_id": "1"}], ["claim_id"], "csv", path, root)
    assert files_under(tmp_path) == before
    assert not Path("/tmp/newsfacts-fault-x.csv").exists()
    assert not (tmp_path.parent / "x.csv").exists()
    written, _ = export_table([{"claim_id": "1"}], ["claim_id"], "csv", "ok.csv", root)
    assert written == root.resolve() / "ok.csv" and files_under(tmp_path) == before | {written}


FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "＝1+1", "＋1", "－1", "＠x", "\t=1", "\r=1"]


def test_I4_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    records = [{"claim_id": str(i), "subject": cell} for i, cell in enumerate(FORMULAS)]
    export_table(records, ["claim_id", "subject"], "csv", "f.csv", tmp_path)
    export_table(records, ["claim_id", "subject"], "xlsx", "f.xlsx", tmp_path)
    with (tmp_path / "f.csv").open(encoding="utf-8-sig", newline="") as handle:
        from_csv = [row["subject"] for row in csv.DictReader(handle)]
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "f.xlsx", read_only=True)["facts"]
    from_xlsx = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    for cells in (from_csv, from_xlsx):
        assert all(str(cell).startswith("'") for cell in cells), cells
    assert neutralise("75.1%") == "75.1%" and neutralise(-1.5) == -1.5  # numbers stay numbers


def test_I6_nan_and_infinity_never_reach_json(fact_db, tmp_path):
    claim = a_claim(fact_db)
    with sqlite3.connect(fact_db) as conn:  # an old row, stored before values were checked
        conn.execute("UPDATE figures SET value = ?, low = ?, high = ? WHERE id = "
                     "(SELECT figure_id FROM claims WHERE id = ?)",
                     [float("inf"), float("-inf"), float("nan"), claim])  # fmt: skip
    queried = run_cli("query", "--db", str(fact_db), "--format", "json")
    assert queried.returncode == 0, queried.stderr
    row = next(r for r in strict_json(queried.stdout) if r["claim_id"] == claim)  # type: ignore[union-attr]
    assert (row["value"], row["low"], row["high"]) == (None, None, None)
    exported = run_cli("export", "--db", str(fact_db), "--format", "jsonl", "-o", "f.jsonl",
                       cwd=tmp_path)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    for line in (tmp_path / "f.jsonl").read_text("utf-8").splitlines():
        strict_json(line)
    accepted = run_cli("review", "--db", str(fact_db), "accept", claim)
    assert accepted.returncode == 0, accepted.stderr  # its snapshot is valid JSON too
    strict_json(rows(fact_db, "SELECT snapshot FROM reviews")[0]["snapshot"])


# ---------------------------------------------------------------- I5: huge numbers

HUGE = {"1e400": "1e400", "5,000 digits": "9" * 5000, "2^63": str(2**63)}


@pytest.mark.parametrize(
    "name",
    [
        "1e400",
        "5,000 digits",
        "2^63",
    ],
)
@pytest.mark.parametrize(("template", "lang"), [("该公司营收为{}元。", "zh"),
                                                ("The company's revenue was {} dollars.", "en")])  # fmt: skip
def test_I5_huge_numbers_are_kept_as_text_with_a_parse_error(name, template, lang):
    number = HUGE[name]
    text = template.format(number)
    figures = extract_figures(text, lang)
    assert len(figures) == 1, figures
    figure = figures[0]
    assert text[figure.start : figure.end] == figure.text and number in figure.text
    assert figure.error and figure.value is None and figure.low is None


def test_I5_huge_numbers_are_stored_and_exported_without_a_crash(tmp_path, analyzer):
    text = ("英伟达第二财季毛利率为75.1%。" + "".join(
        f"据测试网报道，该公司本季度营收为{number}美元。" for number in HUGE.values()))  # fmt: skip
    (tmp_path / "huge.txt").write_text(text * 2, encoding="utf-8")
    db = tmp_path / "huge.db"
    assert run_ingest([tmp_path / "huge.txt"], IngestOptions(str(db)), analyzer).ok
    figures = rows(db, "SELECT text, value, error FROM figures")
    too_long = [f for f in figures if f["error"]]
    assert too_long and all(f["value"] is None for f in too_long)
    assert any("9" * 5000 in f["text"] for f in figures)  # kept as text, whole
    assert all(f["value"] is None or math.isfinite(f["value"]) for f in figures)
    exported = run_cli("export", "--db", str(db), "--format", "jsonl", "-o", "f.jsonl",
                       cwd=tmp_path)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    for line in (tmp_path / "f.jsonl").read_text("utf-8").splitlines():
        strict_json(line)
    assert_intact(db, documents=1)


def test_I5_an_edited_value_must_be_a_finite_number(fact_db):
    claim = a_claim(fact_db)
    for value in ("1e400", "9" * 5000, "-1e999", "nan"):
        result = run_cli("review", "--db", str(fact_db), "edit", claim, "--value", value)
        assert result.returncode == 2 and "not a finite number" in result.stderr, result.stderr
        posted = desk(fact_db).post(f"/claim/{claim}/review",
                                    data={"verdict": "edited", "value": value, "csrf": csrf()})  # fmt: skip
        assert posted.status_code == 400 and "finite" in posted.text
    assert count(fact_db, "reviews") == 0
    db = connect(fact_db)
    try:
        with pytest.raises(DatabaseError, match="not a finite number"):
            add_review(db, claim, "edited", "t", edits={"value": float("inf")})
        assert add_review(db, claim, "edited", "t", edits={"value": float(2**63)}) > 0
    finally:
        db.close()


# ---------------------------------------------------------------- I7: odd text

ODD = {
    "emoji": "英伟达🚀第二财季毛利率为75.1%。👍🏽👨‍👩‍👧",
    "rtl": "قالت الشركة إن الإيرادات 30 مليار دولار. החברה אמרה.",
    "mixed": "Nvidia（英伟达、エヌビディア）の粗利益率は75.1%だった。Ｎｖｉｄｉａ",
    "controls": "zero\u200bwidth\u200djoiner\u202eoverride\u202c and\ufeffbom",
}


def test_I7_emoji_rtl_and_mixed_scripts_round_trip_through_ingest_query_and_export(
    tmp_path, analyzer
):
    article = zh_article("。".join(ODD.values()) + "。")
    (tmp_path / "odd.html").write_text(article, encoding="utf-8")
    db = tmp_path / "odd.db"
    assert run_ingest([tmp_path / "odd.html"], IngestOptions(str(db)), analyzer).ok
    stored = rows(db, "SELECT text FROM documents")[0]["text"]
    for name, piece in ODD.items():
        assert piece in stored, name
    for table, surface in (("figures", "text"), ("mentions", "surface"), ("quotes", "text")):
        for row in rows(db, f"SELECT t.{surface} AS surface, t.start, t.\"end\", d.text "
                            f"FROM {table} t JOIN documents d ON d.id = t.document_id"):  # fmt: skip
            assert row["text"][row["start"] : row["end"]] == row["surface"]
    claim = a_claim(db)
    note = "✅ " + ODD["rtl"] + ODD["emoji"]
    posted = desk(db).post(f"/claim/{claim}/review", data={"verdict": "accepted", "note": note,
                           "csrf": csrf()}, headers={"accept": "application/json"})  # fmt: skip
    assert posted.status_code == 200
    assert rows(db, "SELECT note FROM reviews")[0]["note"] == note
    for fmt in ("csv", "jsonl", "parquet", "xlsx"):
        result = run_cli("export", "--db", str(db), "--format", fmt, "-o", f"f.{fmt}",
                         cwd=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert note in (tmp_path / "f.jsonl").read_text("utf-8")
    assert note in (tmp_path / "f.csv").read_text("utf-8-sig")


def test_I7_lone_surrogates_are_a_clear_error(fact_db, tmp_path):
    bad = os.fsdecode(b"\xffabc")  # what Python makes of bytes that are not UTF-8 on argv
    claim = a_claim(fact_db)
    for args, option in [
        (["query", "--entity", bad], "--entity"),
        (["query", "--search", bad], "--search"),
        (["query", "--sql", f"SELECT '{bad}'"], "--sql"),
        (["review", "accept", claim, "--note", bad], "--note"),
        (["review", "accept", bad], "CLAIM"),
        (["review", "list", "--entity", bad], "--entity"),
        (["export", "--format", "csv", "-o", "x.csv", "--source", bad], "--source"),
    ]:
        result = run_cli(*args[:1], "--db", str(fact_db), *args[1:], cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert f"{option} " in result.stderr and "not valid text" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.csv").exists() and count(fact_db, "reviews") == 0
    db = connect(fact_db)
    try:
        with pytest.raises(DatabaseError, match=r"note .* not valid text"):
            add_review(db, claim, "accepted", "t", note="\ud800")
    finally:
        db.close()
    with pytest.raises(NewsfactsError, match="not valid text"):
        export_table([{"subject": "a\ud800b"}], ["subject"], "csv", "s.csv", tmp_path)
    assert not (tmp_path / "s.csv").exists()
    result = run_cli("export", "--db", str(fact_db), "--format", "csv", "-o",
                     os.fsdecode(b"\xff.csv"), cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr  # a file name may be any bytes
    assert (tmp_path / os.fsdecode(b"\xff.csv")).exists()


# ---------------------------------------------------------------- I8-I11: extraction and ingest


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit"),
    [("出货量为３，０００台。", "３，０００台", 3000, "台"),
     ("毛利率为１２．５％。", "１２．５％", 12.5, "%")],
)  # fmt: skip
def test_I8_full_width_numbers_read_as_ascii_ones(text, surface, value, unit):
    figure = extract_figures(text, "zh")[0]
    assert (figure.text, figure.value, figure.unit) == (surface, value, unit)
    assert text[figure.start : figure.end] == surface


@pytest.mark.parametrize(
    ("text", "surface", "value", "currency"),
    [("公司有三千名员工。", "三千名", 3000, None),
     ("用户数达1.2万人。", "1.2万人", 12000, None),
     ("本轮融资3.5亿元。", "3.5亿元", 3.5e8, "CNY"),
     ("采购了两百台服务器。", "两百台", 200, None)],
)  # fmt: skip
def test_I9_chinese_numerals_and_scales(text, surface, value, currency):
    figure = extract_figures(text, "zh")[0]
    assert (figure.text, figure.value, figure.currency) == (surface, value, currency)


def test_I9_a_year_in_chinese_numerals_is_no_figure():
    for text in ("二〇二四年，公司继续扩张。", "公司于二〇二四年成立。"):
        assert extract_figures(text, "zh") == [], text


def test_I11_binary_invalid_and_empty_files_are_named_and_the_others_ingested(tmp_path, analyzer):
    bad = {
        "photo.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "archive.txt": b"PK\x03\x04" + bytes(range(256)) * 4,
        "invalid.txt": b"\x80\xff\xfe\x81" * 200,
        "empty.md": b"",
        "spaces.txt": b" \n\t\n",
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    (folder / "good.html").write_text(zh_article(), encoding="utf-8")
    db = tmp_path / "i11.db"
    report = run_ingest([folder], IngestOptions(str(db)), analyzer)
    named = {Path(path).name: message for path, message in report.failures}
    assert set(named) == set(bad)
    assert "binary" in named["photo.html"] and "binary" in named["archive.txt"]
    assert "decode" in named["invalid.txt"] and "empty" in named["empty.md"]
    assert report.new == 1
    assert_intact(db, documents=1)
    result = run_cli("ingest", str(folder), "--db", str(tmp_path / "cli.db"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert all(name in result.stderr for name in bad) and "1 new" in result.stderr
