"""Query latency on a large database: the filters people use, and full-text search in zh and en.

    python bench/query_bench.py SOURCE_DB --copies 100 [--out big.db]
    python bench/query_bench.py BIG_DB --copies 1

SOURCE_DB is a database made by `newsfacts ingest` (for example of the
1,000-page bench corpus). It is copied `--copies` times into a new database
(documents, figures, claims, mentions, reviews and the full-text rows, every
id made new), so that a 1,000-document database becomes a 100,000-document
one with realistic rows; then each common query runs a few times and the
median time is printed. Target: under 100 ms each. With `--copies 1` the
database is measured as it is (for example the one a 100,000-document ingest made).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from db.connection import connect  # noqa: E402
from db.queries import ClaimFilter, query_claims  # noqa: E402
from db.statistics import refresh_statistics  # noqa: E402
from pipelines.registry_sync import fold  # noqa: E402
from pipelines.search import search_words  # noqa: E402

# The tables copied, and the key columns each copy suffixes to stay unique.
CLONED = {
    "documents": ("id", "url", "canonical_url"),
    "figures": ("id", "document_id"),
    "claims": ("id", "document_id", "figure_id"),
    "mentions": ("id", "document_id"),
    "quotes": ("id", "document_id"),
}


def grow(source: Path, target: Path, copies: int) -> int:
    shutil.copy(source, target)
    db = connect(target)  # migrates an older source first
    conn = db.conn
    span = conn.execute("SELECT IFNULL(MAX(seq), 0) FROM documents").fetchone()[0]
    columns = {t: [row[1] for row in conn.execute(f"PRAGMA table_info({t})")] for t in CLONED}
    for n in range(1, copies):
        suffix = f"~{n}"
        conn.execute("BEGIN IMMEDIATE")
        for table, keys in CLONED.items():
            select = ", ".join(
                f"{c} || '{suffix}'" if c in keys else f"seq + {n * span}" if c == "seq" else c
                for c in columns[table]
            )
            conn.execute(
                f"INSERT INTO {table} ({', '.join(columns[table])}) SELECT {select} FROM {table} "
                f"WHERE instr(id, '~') = 0"
            )
        conn.execute(
            "INSERT INTO documents_fts (rowid, document_id, title, body) "
            "SELECT rowid + ?, document_id || ?, title, body FROM documents_fts "
            "WHERE instr(document_id, '~') = 0",
            [n * span, suffix],
        )
        conn.execute("COMMIT")
    refresh_statistics(db)  # as every ingest or crawl run does at its end
    count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    db.close()
    return count


QUERIES = {
    "entity (alias 英伟达), newest 50": ClaimFilter(entity="英伟达", limit=50),
    "entity + metric (NVIDIA gross_margin)": ClaimFilter(
        entity="NVIDIA", metric="gross_margin", limit=50
    ),
    "entity + metric (AMD shipments)": ClaimFilter(entity="AMD", metric="shipments", limit=50),
    "a rare entity (MLU590)": ClaimFilter(entity="MLU590", limit=50),
    "metric + language (revenue, zh)": ClaimFilter(metric="revenue", lang="zh", limit=50),
    "date range (Aug 2024)": ClaimFilter(since="2024-08-01", until="2024-08-31", limit=50),
    "pending queue, first page": ClaimFilter(status="pending", limit=20),
    "full text zh (毛利率)": ClaimFilter(search=search_words("毛利率"), limit=50),
    "full text en (gross margin)": ClaimFilter(search=search_words("gross margin"), limit=50),
    "full text + entity (出货量, 华为)": ClaimFilter(
        search=search_words("出货量"), entity="华为", limit=50
    ),
}


def measure(path: Path, rounds: int = 5) -> None:
    db = connect(path, readonly=True)
    docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    print(f"{path}: {docs:,} documents, {claims:,} claims")
    for name, flt in QUERIES.items():
        times = []
        rows = 0
        for _ in range(rounds):
            start = time.perf_counter()
            rows = len(query_claims(db, flt, fold))
            times.append(time.perf_counter() - start)
        print(f"  {name:<40} {statistics.median(times) * 1000:8.1f} ms   ({rows} rows)")
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--out", type=Path, default=Path("/tmp/nf-query-bench.db"))
    args = parser.parse_args()
    if args.copies > 1:
        print(f"growing to {grow(args.source, args.out, args.copies):,} documents …")
        measure(args.out)
    else:
        measure(args.source)


if __name__ == "__main__":
    main()
