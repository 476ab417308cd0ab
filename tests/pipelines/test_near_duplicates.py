"""Syndicated copies of one story across sites are linked to the first one stored."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from sqlite_utils import Database

from db.connection import connect
from db.frontier import fingerprint_columns, near_duplicate, save_fingerprint
from db.migrations import migrations
from db.store import Extraction, save_document
from pipelines import dedupe
from pipelines.dedupe import distance, simhash
from pipelines.ingest import IngestOptions, run_ingest
from tests.conftest import SAMPLES
from tests.db.rows import document


def body_of(path: str) -> str:
    from pipelines.extract_text import extract_html

    return extract_html((SAMPLES / path).read_text("utf-8")).text


def test_simhash_separates_copies_from_other_stories():
    story = body_of("36kr/p/2926374015871.html")
    copy = (
        "【转载自36氪】\n"
        + story[: int(len(story) * 0.95)]
        + "\n（本文来源：36氪，责任编辑：张三）"
    )
    other = body_of("jiwei/n/1041876.html")
    assert distance(simhash(story), simhash(copy)) <= 7
    assert distance(simhash(story), simhash(other)) > 12


def test_english_copies_are_close_and_stories_on_one_topic_are_not():
    """Two Reuters earnings stories share most of their character trigrams; their
    word shingles differ, so they must not look like copies of each other."""
    nvidia = body_of(
        "reuters/technology/nvidia-forecasts-third-quarter-revenue-above-estimates-shares-slide-2024-08-28/index.html"
    )
    amd = body_of(
        "reuters/technology/amd-forecasts-third-quarter-revenue-above-estimates-on-ai-chip-demand-2024-07-30/index.html"
    )
    copy = (
        "Reprinted from Reuters\n"
        + nvidia[: int(len(nvidia) * 0.95)]
        + "\n(Editing by Jane Doe; reporting by John Roe)"
    )
    assert distance(simhash(nvidia), simhash(copy)) <= 7
    assert distance(simhash(nvidia), simhash(amd)) > 12


def test_ingested_copy_points_to_the_original(tmp_path, analyzer):
    story = body_of("36kr/p/2926374015871.html")
    (tmp_path / "a-original.txt").write_text("英伟达财报\n" + story, encoding="utf-8")
    (tmp_path / "b-copy.txt").write_text(
        "英伟达财报（转载）\n" + story + "\n本文转载自36氪。", encoding="utf-8"
    )
    (tmp_path / "c-other.txt").write_text(
        "寒武纪\n" + body_of("jiwei/n/1041876.html"), encoding="utf-8"
    )
    report = run_ingest([tmp_path], IngestOptions(str(tmp_path / "d.db")), analyzer)
    assert report.ok
    db = connect(tmp_path / "d.db", readonly=True)
    docs = {
        d["url"].rsplit("/", 1)[1]: d
        for d in db.query("SELECT id, url, duplicate_of FROM documents")
    }
    assert docs["b-copy.txt"]["duplicate_of"] == docs["a-original.txt"]["id"]
    assert docs["a-original.txt"]["duplicate_of"] is None
    assert docs["c-other.txt"]["duplicate_of"] is None


def test_lookup_links_the_earliest_close_fingerprint_only(tmp_path):
    """Hashes within 7 bits match (top bit set too: they are stored signed), the
    earliest fetched of several matches wins, 8 bits apart is another story."""
    db = connect(tmp_path / "f.db")
    base = (1 << 63) | 0x0F0F_0F0F_0F0F_0F0F
    fingerprints = {
        "d1": base ^ 0b111_1111,  # 7 bits away, fetched second
        "d2": base ^ (0b1111_1111 << 8),  # 8 bits away
        "d3": base ^ (1 << 40),  # 1 bit away, fetched first
    }
    for n, (doc_id, fetched) in enumerate(
        (("d1", "2024-02"), ("d2", "2024-03"), ("d3", "2024-01"))
    ):
        doc, _ = document(n + 1, None, "words")
        save_document(db, replace(doc, fetched_at=fetched), Extraction())
        save_fingerprint(db, doc_id, fingerprints[doc_id])
    assert near_duplicate(db, "new", base) == "d3"
    assert near_duplicate(db, "d3", base) == "d1"  # a document never matches itself
    assert near_duplicate(db, "new", base ^ (0xFF << 56)) is None


def test_every_hash_within_seven_bits_is_found_and_none_further(tmp_path):
    """The block lookup must not miss a close hash however its differing bits fall
    (several in one block, spread over all four, on block edges)."""
    db = connect(tmp_path / "f.db")
    rnd = random.Random(9)
    stored = []
    for n in range(40):
        doc, _ = document(n, None, "words")
        save_document(db, doc, Extraction())
        simhash = rnd.getrandbits(64)
        save_fingerprint(db, doc.id, simhash)
        stored.append((doc.id, simhash))
    edges = [0, 15, 16, 31, 32, 47, 48, 63]
    for doc_id, simhash in stored:
        for bits in (rnd.sample(range(64), rnd.randint(0, 7)), edges[:7], range(7)):
            probe = simhash
            for bit in bits:
                probe ^= 1 << bit
            assert near_duplicate(db, "new", probe) == doc_id, (doc_id, sorted(bits))
        assert near_duplicate(db, "new", simhash ^ ((1 << 8) - 1) << 20) != doc_id


def test_distance_beyond_the_block_guarantee_is_refused(tmp_path):
    db = connect(tmp_path / "f.db")
    with pytest.raises(ValueError, match="max_distance must be 0-7, not 8"):
        near_duplicate(db, "new", 1, max_distance=8)


def test_upgrade_moves_band_fingerprints_to_blocks(tmp_path):
    """m004 keeps every stored fingerprint findable, negative (signed) hashes too."""
    old = Database(tmp_path / "old.db")
    migrations.apply(old, stop_before="m004_fingerprint_blocks")
    doc, _ = document(1, None, "words")
    save_document(old, doc, Extraction())
    simhash = (1 << 63) | 0x1234_5678_9ABC_DEF0
    bands = [(simhash >> (8 * i)) & 0xFF for i in range(8)]
    old.execute(
        "INSERT INTO fingerprints (document_id, simhash, b0, b1, b2, b3, b4, b5, b6, b7) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc.id, simhash - (1 << 64), *bands],
    )
    old.conn.commit()
    old.close()
    db = Database(tmp_path / "old.db")  # up to m007, which makes fingerprints afresh from text
    migrations.apply(db, stop_before="m007_simhash_of_unit_hashes")
    assert near_duplicate(db, "new", simhash ^ 0b11 << 62 ^ 1) == doc.id
    assert "b0" not in db.table("fingerprints").columns_dict
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_upgrade_recomputes_fingerprints_so_old_stories_still_find_their_copies(tmp_path, analyzer):
    """m007: fingerprints stored by the SimHash before it (here: every bit flipped,
    as unrelated to today's as the old ones were) are made afresh from the stored
    text, and a copy ingested after the upgrade finds its original."""
    story = body_of("36kr/p/2926374015871.html")
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    (first / "a-original.txt").write_text("英伟达财报\n" + story, encoding="utf-8")
    (first / "c-other.txt").write_text("寒武纪\n" + body_of("jiwei/n/1041876.html"), "utf-8")
    path = tmp_path / "d.db"
    assert run_ingest([first], IngestOptions(str(path)), analyzer).ok
    old = Database(path)
    stored = old.execute("SELECT document_id, simhash FROM fingerprints").fetchall()
    assert len(stored) == 2
    for document_id, value in stored:
        old.execute(
            "UPDATE fingerprints SET simhash = ?, k0 = ?, k1 = ?, k2 = ?, k3 = ? "
            "WHERE document_id = ?",
            [*fingerprint_columns(~value & (1 << 64) - 1), document_id],
        )
    old.execute("DELETE FROM _sqlite_migrations WHERE name = 'm007_simhash_of_unit_hashes'")
    old.conn.commit()
    old.close()

    db = connect(path)  # applies m007
    for document_id, text in db.execute(
        "SELECT d.id, d.text FROM documents d JOIN fingerprints f ON f.document_id = d.id"
    ).fetchall():
        row = db.execute(
            "SELECT simhash, k0, k1, k2, k3 FROM fingerprints WHERE document_id = ?",
            [document_id],
        ).fetchone()
        assert list(row) == fingerprint_columns(simhash(text))
    db.close()

    (later / "b-copy.txt").write_text(
        "英伟达财报（转载）\n" + story + "\n本文转载自36氪。", encoding="utf-8"
    )
    assert run_ingest([later], IngestOptions(str(path)), analyzer).ok
    db = connect(path, readonly=True)
    docs = {
        d["url"].rsplit("/", 1)[1]: d
        for d in db.query("SELECT id, url, duplicate_of FROM documents")
    }
    assert docs["b-copy.txt"]["duplicate_of"] == docs["a-original.txt"]["id"]


def test_remembered_unit_hashes_are_bounded_and_change_no_fingerprint(monkeypatch):
    """The unit hashes kept between documents never grow past their bound (plus one
    document's units), and a fingerprint is the same from a cold or a warm memory."""
    monkeypatch.setattr(dedupe, "MAX_REMEMBERED_UNITS", 100)
    monkeypatch.setattr(dedupe, "_unit_hashes", {})
    texts = [" ".join(f"w{i}x{j}" for j in range(30)) for i in range(20)]
    warm = []
    for text in texts:
        warm.append(simhash(text))
        assert len(dedupe._unit_hashes) <= 100 + 30
    for text, value in zip(texts, warm, strict=True):
        dedupe._unit_hashes.clear()
        assert simhash(text) == value
