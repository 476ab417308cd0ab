"""How fast is ingest, where does the time go, and how does it compare with the floor?

    python bench/ingest_bench.py --docs 1000 [--docs 10000 …] [--workers 0]

For each corpus size N (built by bench/corpus.py from the sample pages):

- floor: what any such pipeline pays on the same pages — bare trafilatura
  extraction plus bare jieba segmentation (jieba.cut) of the text, one core;
- stages: newsfacts' own per-stage time on one core (decode, main text, each
  NLP stage, storage), so that the ratio to the floor is stated per stage.
  The two take turns page by page, each on emptied per-content caches, after
  both have run untimed over WARM_UP other pages, as an ingest worker has
  after its first pages (jieba's dictionary, lexicons, dateparser's tables):
  the one-off cost of a process is not a cost per page;
- end to end: `newsfacts ingest` in a subprocess with all cores, wall time,
  articles per minute, MB/s and peak RSS, and time and RSS per document.

Run it by hand; the README reports its latest output.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build  # noqa: E402

WARM_UP = 30  # pages read untimed before the timed sample
FLOOR = "floor"
PREPARE = "analysis and rows (prepare_page)"
ROWS = "rows, SimHash, search words"


def one_core(warm: list[Path], pages: list[Path]) -> tuple[dict[str, float], dict[str, float]]:
    """CPU seconds per page on one core: the floor (bare trafilatura + bare jieba.cut)
    and each newsfacts step as ingest runs it (decode, main text, prepare_page,
    storage in `db.batches` transactions, flushed by size or age as ingest's
    are); and, beside them, prepare_page broken down: each NLP stage run by
    itself over the same text, and the rest (rows, SimHash, search words).

    Both read each page in turn, so that whatever else the machine does weighs on
    both alike, and each starts on emptied per-content caches (trafilatura's and
    htmldate's), so neither reads the page after the other has warmed them. The
    `warm` pages go through both untimed first."""
    import jieba
    import trafilatura

    from db.batches import WriteBatch
    from db.connection import connect
    from db.store import ensure_source
    from nlp import Analyzer
    from nlp.types import Analysis
    from pipelines.decode import decode
    from pipelines.documents import PageRef, PageText, Stored, prepare_page, write_prepared
    from pipelines.evaluation.extraction import forget_page_caches
    from pipelines.extract_text import extract_html
    from pipelines.registry_sync import sync_registry

    def ignore(label: str, stored: Stored) -> None:
        pass

    def fail(label: str, exc: Exception) -> None:
        raise SystemExit(f"{label}: {exc}")

    jieba.setLogLevel(60)
    jieba.initialize()
    analyzer = Analyzer()
    spent: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(Path(tmp) / "stages.db")
        sync_registry(db, analyzer)
        ensure_source(db, "bench", "local")
        batch: WriteBatch[Stored] = WriteBatch(db, on_commit=ignore, on_failure=fail)
        for number, path in enumerate([*warm, *pages]):
            if number == len(warm):
                batch.flush()
                spent.clear()
                parts.clear()
            data = path.read_bytes()

            forget_page_caches()
            t = time.process_time()
            text = trafilatura.extract(data.decode("utf-8")) or ""
            if ".zh." in path.name or ".ja." in path.name:
                for _ in jieba.cut(text):
                    pass
            spent[FLOOR] += time.process_time() - t

            forget_page_caches()
            t0 = time.process_time()
            decoded = decode(data)
            t1 = time.process_time()
            page = extract_html(decoded.text, path.as_uri())
            t2 = time.process_time()
            spent["decode"] += t1 - t0
            spent["main text"] += t2 - t1
            analysis = Analysis(text=page.text)
            for name, step in analyzer.pipeline.steps:
                t = time.process_time()
                step(analysis)
                parts[name] += time.process_time() - t
            t3 = time.process_time()
            ref = PageRef(
                url=path.as_uri(),
                canonical_url=path.as_uri(),
                source="bench",
                fetched_at="2026-01-01T00:00:00+00:00",
            )
            prepared = prepare_page(
                PageText(page.text, page.title, page.author, page.published_at), ref, analyzer
            )
            t4 = time.process_time()
            batch.add(path.name, lambda prepared=prepared: write_prepared(db, prepared))
            spent[PREPARE] += t4 - t3
            spent["storage"] += time.process_time() - t4
        t = time.process_time()
        batch.flush()
        spent["storage"] += time.process_time() - t
        db.close()
    parts[ROWS] = spent[PREPARE] - sum(parts.values())
    return (
        {name: seconds / len(pages) for name, seconds in spent.items()},
        {name: seconds / len(pages) for name, seconds in parts.items()},
    )


_MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"code": proc.returncode, "err": proc.stderr[-2000:], "wall": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def end_to_end(folder: Path, workers: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEWSFACTS_WORKERS": str(workers)}
        command = [
            sys.executable,
            "-m",
            "pipelines",
            "--quiet",
            "ingest",
            str(folder),
            "--db",
            str(Path(tmp) / "e2e.db"),
        ]
        out = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
        )
        result = json.loads(out.stdout)
        if result["code"] != 0:
            raise SystemExit(f"ingest failed: {result['err']}")
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, action="append", help="corpus sizes (repeatable)")
    parser.add_argument(
        "--workers", type=int, default=0, help="processes for ingest (0: one per core)"
    )
    parser.add_argument(
        "--sample", type=int, default=300, help="pages for the one-core floor and stage timings"
    )
    parser.add_argument("--keep", type=Path, help="build corpora here and keep them")
    args = parser.parse_args()
    sizes = args.docs or [1000]
    base = args.keep or Path(tempfile.mkdtemp(prefix="nf-bench-"))
    print(
        f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    pages = build(base / "sample", WARM_UP + args.sample)
    warm, sample = pages[:WARM_UP], pages[WARM_UP:]
    steps, breakdown = one_core(warm, sample)
    per_floor = steps.pop(FLOOR)
    ours = sum(steps.values())
    print(f"\none core, {len(sample)} pages after {len(warm)} untimed (CPU ms per page):")
    print(f"  floor (trafilatura + jieba.cut)   {per_floor * 1000:7.2f}")
    for name, seconds in steps.items():
        print(f"  {name:<33} {seconds * 1000:7.2f}")
        if name == PREPARE:
            for part, part_seconds in breakdown.items():
                print(f"    {part:<31} {part_seconds * 1000:7.2f}")
    print(
        f"  newsfacts total                   {ours * 1000:7.2f}   = {ours / per_floor:.2f} x the floor"
    )
    print(
        f"\nend to end, `newsfacts ingest` with {args.workers or os.cpu_count()} worker processes:"
    )
    print("      docs      MB    wall s   docs/min    MB/s   ms/doc   peak RSS MB   RSS/doc KB")
    for n in sizes:
        folder = base / f"n{n}"
        if not folder.exists():
            build(folder, n)
        size = sum(p.stat().st_size for p in folder.rglob("*.html")) / 1e6
        result = end_to_end(folder, args.workers)
        wall = result["wall"]
        print(
            f"  {n:>8} {size:7.1f} {wall:9.1f} {n / wall * 60:10.0f} {size / wall:7.2f} {wall / n * 1000:8.1f} "
            f"{result['rss_mb']:13.0f} {result['rss_mb'] * 1024 / n:12.2f}"
        )


if __name__ == "__main__":
    main()
