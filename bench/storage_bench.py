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
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build  # noqa: E402
from db.connection import connect  # noqa: E402
from nlp import Analyzer  # noqa: E402
from pipelines.decode import decode  # noqa: E402
from pipelines.documents import PageRef, PageText, Prepared, prepare_page, write_prepared  # noqa: E402
from pipelines.extract_text import extract_html  # noqa: E402

SOURCE = "local"  # the source `newsfacts ingest` files its documents under


def prepared_pages(folder: Path, count: int) -> list[Prepared]:
    analyzer = Analyzer()
    pages = []
    for path in build(folder, count, seed=99):  # another seed: pages the database lacks
        page = extract_html(decode(path.read_bytes()).text, path.as_uri())
        ref = PageRef(
            url=path.as_uri(),
            canonical_url=path.as_uri(),
            source=SOURCE,
            fetched_at="2026-01-01T00:00:00+00:00",
        )
        text = PageText(page.text, page.title, page.author, page.published_at)
        pages.append(prepare_page(text, ref, analyzer))
    return pages


def write_all(path: Path, pages: list[Prepared]) -> tuple[float, float, int]:
    """Wall and CPU seconds per document to write `pages` into `path` (closing included)."""
    db = connect(path)
    db.execute(
        "INSERT OR IGNORE INTO sources (name, kind, created_at) VALUES (?, 'local', 'now')",
        [SOURCE],
    )
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
        with sqlite3.connect(f"file:{args.big}?mode=ro", uri=True) as source:
            target = sqlite3.connect(copy)
            source.backup(target)  # WAL frames included
            target.close()
        for target in (Path(tmp) / "empty.db", copy):
            wall, cpu, before = write_all(target, pages)
            print(
                f"into {before:>7,} documents: {wall * 1000:6.1f} ms wall, "
                f"{cpu * 1000:6.1f} ms CPU per document"
            )


if __name__ == "__main__":
    main()
