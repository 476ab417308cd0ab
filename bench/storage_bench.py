"""Does storing a document cost more as the database grows?

    python bench/storage_bench.py BIG_DB [--pages 400]

Ingest and crawl write every document from one process, so its cost per
document caps the throughput of both. This prepares `--pages` new bench pages
once (extraction and analysis, untimed), then writes them, one transaction
each as ingest does, into an empty database and into a copy of BIG_DB (a
database made by `newsfacts ingest`, for example of the 100,000-page bench
corpus), and prints wall and CPU milliseconds per document for both. BIG_DB
itself is not changed.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build  # noqa: E402
from db.connection import connect  # noqa: E402
from db.store import ensure_source  # noqa: E402
from nlp import Analyzer  # noqa: E402
from pipelines.documents import PageRef, Prepared, page_from_bytes, prepare_page, write_prepared  # noqa: E402

SOURCE = "local"  # the source `newsfacts ingest` files its documents under


def prepared_pages(folder: Path, count: int) -> list[Prepared]:
    analyzer = Analyzer()
    pages = []
    for path in build(folder, count, seed=99):  # another seed: pages the database lacks
        url = path.as_uri()
        page = page_from_bytes(path.read_bytes(), url=url, as_html=True)
        ref = PageRef(
            url=url, canonical_url=url, source=SOURCE, fetched_at="2026-01-01T00:00:00+00:00"
        )
        pages.append(prepare_page(page, ref, analyzer))
    return pages


def write_all(path: Path, pages: list[Prepared]) -> tuple[float, float, int]:
    """Wall and CPU seconds per document to write `pages` into `path` (closing included)."""
    db = connect(path)
    ensure_source(db, SOURCE, "local")
    db.conn.commit()
    before = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        write_prepared(db, page)
    db.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall / len(pages), cpu / len(pages), before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("big", type=Path, help="a database made by newsfacts ingest")
    parser.add_argument("--pages", type=int, default=400)
    args = parser.parse_args()
    if not args.big.exists():
        raise SystemExit(f"no database at {args.big}")
    with tempfile.TemporaryDirectory() as tmp:
        pages = prepared_pages(Path(tmp) / "pages", args.pages)
        copy = Path(tmp) / "big.db"
        with closing(sqlite3.connect(f"file:{args.big}?mode=ro", uri=True)) as source:
            with closing(sqlite3.connect(copy)) as target:
                source.backup(target)  # WAL frames included
        for path in (Path(tmp) / "empty.db", copy):
            wall, cpu, before = write_all(path, pages)
            print(
                f"into {before:>7,} documents: {wall * 1000:6.1f} ms wall, "
                f"{cpu * 1000:6.1f} ms CPU per document"
            )


if __name__ == "__main__":
    main()
