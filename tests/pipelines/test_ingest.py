"""Ingest: files in, one transaction each; idempotent; reviews survive changes; bad files named."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from db.connection import connect
from db.ids import sha256_text
from db.queries import ClaimFilter, query_claims
from db.store import add_review, save_document
from nlp import EXTRACTOR_VERSION
from pipelines.ingest import IngestOptions, run_ingest
from pipelines.parallel import _stored_already
from tests.conftest import run_cli
from tests.db.rows import document
from tests.pipelines.articles import EN_HTML, zh_article


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def table_count(db_path: Path, table: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_ingest_stores_text_figures_and_claims(tmp_path, db_path, analyzer):
    folder = tmp_path / "articles"
    write(folder, "zh/nvidia.html", zh_article())
    write(folder, "en/nvidia.htm", EN_HTML)
    report = run_ingest([folder], IngestOptions(str(db_path)), analyzer)
    assert report.ok and report.new == 2
    db = connect(db_path, readonly=True)
    docs = {d["lang"]: d for d in db.query("SELECT * FROM documents")}
    assert set(docs) == {"zh", "en"}
    zh = docs["zh"]
    assert zh["url"].startswith("file://") and zh["url"].endswith("nvidia.html")
    assert zh["title"] == "英伟达第二财季营收创新高"
    assert zh["published_at"].startswith("2024-08-29")
    assert "毛利率为75.1%" in zh["text"] and "ICP" not in zh["text"]
    margins = query_claims(db, ClaimFilter(metric="gross_margin"))
    assert {(r["subject"], r["value"], r["lang"]) for r in margins} == {
        ("NVIDIA", 75.1, "zh"),
        ("NVIDIA", 75.1, "en"),
    }


def test_offsets_point_into_stored_text(tmp_path, db_path, analyzer):
    write(tmp_path, "a.html", zh_article())
    run_ingest([tmp_path], IngestOptions(str(db_path)), analyzer)
    db = connect(db_path, readonly=True)
    rows = list(
        db.query(
            'SELECT f.text AS surface, f.start, f."end", d.text FROM figures f '
            "JOIN documents d ON d.id = f.document_id"
        )
    )
    assert rows
    for row in rows:
        assert row["text"][row["start"] : row["end"]] == row["surface"]
    for row in db.query(
        "SELECT c.sentence, c.sentence_start, c.sentence_end, d.text FROM claims c "
        "JOIN documents d ON d.id = c.document_id"
    ):
        assert row["text"][row["sentence_start"] : row["sentence_end"]] == row["sentence"]


def test_reingest_unchanged_adds_nothing(tmp_path, db_path, analyzer):
    write(tmp_path, "zh.html", zh_article())
    write(tmp_path, "en.html", EN_HTML)
    options = IngestOptions(str(db_path))
    first = run_ingest([tmp_path], options, analyzer)
    before = {t: table_count(db_path, t) for t in ("documents", "figures", "claims", "quotes")}
    second = run_ingest([tmp_path], options, analyzer)
    after = {t: table_count(db_path, t) for t in ("documents", "figures", "claims", "quotes")}
    assert first.new == 2 and second.unchanged == 2 and second.new == 0
    assert before == after


def test_changed_content_replaces_extractions_and_keeps_reviews(tmp_path, db_path, analyzer):
    path = write(tmp_path, "zh.html", zh_article())
    options = IngestOptions(str(db_path))
    run_ingest([path], options, analyzer)
    db = connect(db_path)
    margin = query_claims(db, ClaimFilter(metric="gross_margin"))[0]
    shipments = query_claims(db, ClaimFilter(metric="shipments", entity="IDC"))
    add_review(db, margin["claim_id"], "accepted", "tester", "checked against the report")
    db.close()

    write(tmp_path, "zh.html", zh_article("另据IDC统计，今年上半年中国加速卡出货量超过120万张。"))
    report = run_ingest([path], options, analyzer)
    assert report.changed == 1
    db = connect(db_path, readonly=True)
    assert table_count(db_path, "documents") == 1
    reviews = list(db.query("SELECT * FROM reviews"))
    assert len(reviews) == 1 and reviews[0]["claim_id"] == margin["claim_id"]
    # the untouched sentence keeps its claim id, so the verdict still applies
    again = query_claims(db, ClaimFilter(metric="gross_margin"))[0]
    assert again["claim_id"] == margin["claim_id"] and again["status"] == "accepted"
    texts = {r["figure_text"] for r in query_claims(db, ClaimFilter())}
    assert "120万张" in texts and "90万张" not in texts
    assert shipments is not None


BAD_FILES: dict[str, bytes] = {
    "picture.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "empty.txt": b"",
    "blank.md": b"   \n\n  ",
    "garbage.txt": b"\x80\xff\x80\xff\xfe\x81" * 100,
}


def test_bad_files_are_named_skipped_and_the_rest_stored(tmp_path, db_path, analyzer):
    for name, data in BAD_FILES.items():
        write(tmp_path, name, data)
    write(tmp_path, "good.html", zh_article())
    report = run_ingest(
        [tmp_path, tmp_path / "missing.html"], IngestOptions(str(db_path)), analyzer
    )
    failed = {Path(p).name: message for p, message in report.failures}
    assert set(failed) == {*BAD_FILES, "missing.html"}
    assert "binary" in failed["picture.html"]
    assert "empty" in failed["empty.txt"] and "empty" in failed["blank.md"]
    assert "decode" in failed["garbage.txt"]
    assert "no such file" in failed["missing.html"]
    assert report.new == 1 and table_count(db_path, "documents") == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_named(tmp_path, db_path, analyzer):
    path = write(tmp_path, "secret.html", zh_article())
    path.chmod(0)
    report = run_ingest([path], IngestOptions(str(db_path)), analyzer)
    assert report.failures and "cannot read" in report.failures[0][1]


def test_bad_file_does_not_lose_what_is_stored(tmp_path, db_path, analyzer):
    write(tmp_path, "good.html", zh_article())
    run_ingest([tmp_path], IngestOptions(str(db_path)), analyzer)
    docs_before = table_count(db_path, "documents")
    claims_before = table_count(db_path, "claims")
    write(tmp_path, "bad.txt", b"\x80\xff" * 50)
    report = run_ingest([tmp_path], IngestOptions(str(db_path)), analyzer)
    assert not report.ok
    assert table_count(db_path, "documents") == docs_before
    assert table_count(db_path, "claims") == claims_before


def test_legacy_encodings_are_decoded(tmp_path, db_path, analyzer):
    text = (
        "<html><head><title>华为昇腾</title></head><body><article><h1>华为昇腾</h1>"
        + ("<p>据TrendForce数据，华为昇腾芯片今年出货量约为40万片，市场份额超过20%。</p>" * 3)
        + "</article></body></html>"
    )
    write(tmp_path, "gbk.html", text.encode("gb18030"))  # no charset anywhere
    big5 = (
        "<html><head><title>華為昇騰</title></head><body><article><h1>華為昇騰</h1>"
        + ("<p>根據TrendForce數據，華為昇騰晶片今年出貨量約為40萬片，市場份額超過20%。</p>" * 3)
        + "</article></body></html>"
    )
    write(tmp_path, "big5.html", big5.encode("big5"))
    report = run_ingest([tmp_path], IngestOptions(str(db_path)), analyzer)
    assert report.ok and report.new == 2
    db = connect(db_path, readonly=True)
    texts = [r["text"] for r in db.query("SELECT text FROM documents ORDER BY url")]
    assert any("华为昇腾芯片" in t for t in texts) and any("華為昇騰晶片" in t for t in texts)
    assert all("\ufffd" not in t for t in texts)


def test_cli_ingest_reports_bad_files_and_exits_non_zero(tmp_path):
    write(tmp_path, "good.html", EN_HTML)
    write(tmp_path, "empty.txt", b"")
    result = run_cli("ingest", str(tmp_path), "--db", str(tmp_path / "cli.db"))
    assert result.returncode == 1, result.stderr
    assert "empty.txt" in result.stderr and "empty file" in result.stderr
    assert "1 new" in result.stderr
    assert table_count(tmp_path / "cli.db", "documents") == 1


def test_cli_ingest_without_paths_is_an_error(tmp_path):
    result = run_cli("ingest", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert "at least one file or folder" in result.stderr


def test_stored_check_keeps_no_stale_answer_for_a_remade_database(tmp_path, monkeypatch):
    """Workers keep one read-only connection per database; a file deleted and made
    again at the same path must be read afresh."""
    monkeypatch.setattr("pipelines.parallel._IN_WORKER", True)  # as in a forked worker
    monkeypatch.setattr("pipelines.parallel._READERS", {})
    path = tmp_path / "facts.db"
    doc, extraction = document(1, "2024-08-01", "words")
    db = connect(path)
    save_document(
        db,
        replace(doc, content_sha256=sha256_text("the text"), extractor_version=EXTRACTOR_VERSION),
        extraction,
    )
    db.close()
    assert _stored_already(str(path), doc.canonical_url, "the text")
    assert not _stored_already(str(path), doc.canonical_url, "other text")
    for leftover in tmp_path.glob("facts.db*"):
        leftover.unlink()
    connect(path).close()
    assert not _stored_already(str(path), doc.canonical_url, "the text")
