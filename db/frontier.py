"""The crawl frontier in SQLite: every article URL a source has shown us, and its state.

`pending` rows are fetched by the next run (so a killed run loses nothing);
a row becomes `done` only in the same transaction that stores its document
(`mark_done` is called inside the caller's write transaction); `failed`,
`forbidden` (robots.txt) and `deferred` (robots.txt unreachable) keep the
reason. Raw pages are kept compressed so that a later extractor can run again
without fetching.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from db.connection import write_transaction
from db.store import now_iso

RETRY_FAILED_RUNS = 3  # a failed page is tried again in this many later runs


def discover(
    db: Database, source: str, entries: Sequence[tuple[str, str, str | None]]
) -> dict[str, dict[str, Any] | None]:
    """Insert unknown URLs as pending; return the earlier row of each key (None: new)."""
    keys = [key for key, _, _ in entries]
    known: dict[str, dict[str, Any] | None] = dict.fromkeys(keys)
    now = now_iso()
    with write_transaction(db):
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in db.query(f"SELECT * FROM frontier WHERE url IN ({marks})", chunk):
                known[row["url"]] = row
        for key, fetch_url, published in entries:
            before = known[key]
            if before is None:
                db.execute(
                    "INSERT OR IGNORE INTO frontier (url, fetch_url, source, state, attempts, "
                    "published_hint, discovered_at, updated_at) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)",
                    [key, fetch_url, source, published, now, now],
                )
            elif before["state"] in ("failed", "deferred"):
                db.execute(
                    "UPDATE frontier SET state = 'pending', updated_at = ? WHERE url = ? "
                    "AND (state = 'deferred' OR attempts < ?)",
                    [now, key, RETRY_FAILED_RUNS],
                )
    return known


def resume(db: Database, source: str) -> list[tuple[str, str | None]]:
    """(fetch URL, published hint) of the source's pending and deferred articles."""
    rows = db.query(
        "SELECT fetch_url, published_hint FROM frontier WHERE source = ? AND "
        "(state IN ('pending', 'deferred') OR (state = 'failed' AND attempts < ?)) "
        "ORDER BY published_hint DESC, discovered_at",
        [source, RETRY_FAILED_RUNS],
    )
    return [(row["fetch_url"], row["published_hint"]) for row in rows]


def mark_failed(db: Database, source: str, key: str, fetch_url: str, reason: str,
                status: int | None, state: str = "failed") -> None:  # fmt: skip
    now = now_iso()
    with write_transaction(db):
        db.execute(
            "INSERT INTO frontier (url, fetch_url, source, state, attempts, http_status, error, "
            "discovered_at, updated_at, fetched_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET state = excluded.state, attempts = frontier.attempts + 1, "
            "http_status = excluded.http_status, error = excluded.error, updated_at = excluded.updated_at, "
            "fetched_at = excluded.fetched_at",
            [key, fetch_url, source, state, status, reason, now, now, now],
        )


def mark_done(db: Database, key: str, *, fetch_url: str, source: str, document_id: str | None,
              status: int, etag: str | None, last_modified: str | None,
              content_sha256: str | None) -> None:  # fmt: skip
    """Call inside the transaction that stores the page's document."""
    now = now_iso()
    db.execute(
        "INSERT INTO frontier (url, fetch_url, source, state, attempts, http_status, etag, "
        "last_modified, content_sha256, document_id, discovered_at, fetched_at, updated_at) "
        "VALUES (?, ?, ?, 'done', 0, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
        "state = 'done', http_status = excluded.http_status, "
        "etag = COALESCE(excluded.etag, frontier.etag), "
        "last_modified = COALESCE(excluded.last_modified, frontier.last_modified), "
        "content_sha256 = COALESCE(excluded.content_sha256, frontier.content_sha256), "
        "document_id = COALESCE(excluded.document_id, frontier.document_id), error = NULL, "
        "fetched_at = excluded.fetched_at, updated_at = excluded.updated_at",
        [
            key,
            fetch_url,
            source,
            status,
            etag,
            last_modified,
            content_sha256,
            document_id,
            now,
            now,
            now,
        ],
    )


def state_counts(db: Database, source: str | None = None) -> dict[str, int]:
    where, params = ("WHERE source = ?", [source]) if source else ("", [])
    rows = db.query(f"SELECT state, count(*) AS n FROM frontier {where} GROUP BY state", params)
    return {row["state"]: row["n"] for row in rows}


# ------------------------------------------------------------------ raw pages


def save_raw_page(db: Database, document_id: str, url: str, status: int, headers: dict[str, str],
                  encoding: str | None, body: bytes, fetched_at: str) -> None:  # fmt: skip
    """Keep the page's bytes (compressed); call inside the document's transaction."""
    db.execute(
        "INSERT INTO raw_pages (document_id, url, fetched_at, status, content_type, headers, "
        "encoding, body, body_sha256, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(document_id) DO UPDATE SET url = excluded.url, fetched_at = excluded.fetched_at, "
        "status = excluded.status, content_type = excluded.content_type, headers = excluded.headers, "
        "encoding = excluded.encoding, body = excluded.body, body_sha256 = excluded.body_sha256, "
        "size = excluded.size",
        [
            document_id, url, fetched_at, status, headers.get("content-type"),
            json.dumps(headers, ensure_ascii=False), encoding, zlib.compress(body, 6),
            hashlib.sha256(body).hexdigest(), len(body),
        ],
    )  # fmt: skip


def raw_page(db: Database, document_id: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM raw_pages WHERE document_id = ?", [document_id]))
    if not rows:
        return None
    row = rows[0]
    row["body"] = zlib.decompress(row["body"])
    row["headers"] = json.loads(row["headers"] or "{}")
    return row


# ------------------------------------------------------------------ near-duplicates


BLOCKS = 4  # 16-bit blocks of the 64-bit SimHash, each indexed (migration m004)
BLOCK_BITS = 64 // BLOCKS
# Probing each block within one bit finds all hashes fewer than 2 bits a block apart.
MAX_DISTANCE = 2 * BLOCKS - 1
_MASK = (1 << 64) - 1  # simhashes are stored as signed 64-bit integers
_PROBES = 1 + BLOCK_BITS  # a block value and its one-bit neighbours
_LOOKUP = (
    "SELECT document_id, simhash FROM fingerprints WHERE ("
    + " OR ".join(f"k{i} IN ({', '.join('?' * _PROBES)})" for i in range(BLOCKS))
    + ") AND document_id != ?"
)
_SAVE = (
    f"INSERT OR REPLACE INTO fingerprints (document_id, simhash, "
    f"{', '.join(f'k{i}' for i in range(BLOCKS))}) VALUES (?, ?{', ?' * BLOCKS})"
)


def _blocks(simhash: int) -> list[int]:
    return [(simhash >> (BLOCK_BITS * i)) & ((1 << BLOCK_BITS) - 1) for i in range(BLOCKS)]


def fingerprint_columns(simhash: int) -> list[int]:
    """`simhash` as the fingerprints table stores it: signed, then its blocks k0…k3."""
    signed = simhash - (1 << 64) if simhash >= 1 << 63 else simhash
    return [signed, *_blocks(simhash)]


def save_fingerprint(db: Database, document_id: str, simhash: int) -> None:
    db.execute(_SAVE, [document_id, *fingerprint_columns(simhash)])


def _probes(block: int) -> list[int]:
    """A block value and every value one bit away from it."""
    return [block, *(block ^ (1 << bit) for bit in range(BLOCK_BITS))]


def near_duplicate(
    db: Database, document_id: str, simhash: int, max_distance: int = MAX_DISTANCE
) -> str | None:
    """The earliest other document whose fingerprint differs in at most `max_distance` bits.

    Two 64-bit hashes within 7 bits differ in at most one bit of at least one
    of their four 16-bit blocks (were all four 2 bits apart, that would be 8),
    so looking up each block and its 16 one-bit neighbours in the block
    indexes finds every candidate. That reads about 1 in 1,000 of the stored
    fingerprints (eight 8-bit bands read 1 in 32). Copies of one
    story with a different header and footer typically differ in 3-7 bits;
    different stories in about 32.
    """
    if not 0 <= max_distance <= MAX_DISTANCE:
        raise ValueError(f"max_distance must be 0-{MAX_DISTANCE}, not {max_distance}")
    probes = [value for block in _blocks(simhash) for value in _probes(block)]
    candidates = db.execute(_LOOKUP, [*probes, document_id])
    close = [
        other
        for other, other_hash in candidates
        if ((other_hash & _MASK) ^ simhash).bit_count() <= max_distance
    ]
    if not close:
        return None
    earliest = db.execute(
        "SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(?)) "
        "ORDER BY fetched_at, id LIMIT 1",
        [json.dumps(close)],
    ).fetchone()
    return str(earliest[0]) if earliest else None
