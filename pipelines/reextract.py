"""`run_reextract`: extract stored raw pages again, without fetching anything.

When the extractor improves (EXTRACTOR_VERSION changes) or the registry
grows, the kept page bytes go through decoding, main-text extraction and the
NLP stages again. Reviews stay: they are keyed by claim ids that come from
content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from db.connection import connect
from db.frontier import raw_page
from db.statistics import refresh_statistics
from db.store import finish_run, start_run
from nlp import EXTRACTOR_VERSION, Analyzer
from pipelines.decode import charset_of
from pipelines.documents import PageRef, SkipPage, page_from_bytes, store_page
from pipelines.registry_sync import sync_registry


@dataclass
class ReextractReport:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)


def run_reextract(db_path: str, *, everything: bool = False, source: str | None = None,
                  entity_files: tuple[str, ...] = (),
                  on_progress: Callable[[int, int], None] | None = None) -> ReextractReport:  # fmt: skip
    db = connect(db_path)
    report = ReextractReport()
    run_id = start_run(db, "reextract", source)
    analyzer = Analyzer(entity_files=entity_files)
    sync_registry(db, analyzer)
    where = ["1 = 1"] if everything else ["d.extractor_version != ?"]
    params: list[object] = [] if everything else [EXTRACTOR_VERSION]
    if source:
        where.append("d.source = ?")
        params.append(source)
    ids = [
        r["id"]
        for r in db.query(
            f"SELECT d.id FROM documents d JOIN raw_pages r ON r.document_id = d.id WHERE {' AND '.join(where)} ORDER BY d.id",
            params,
        )
    ]
    status = "failed"
    try:
        for done, doc_id in enumerate(ids, start=1):
            doc = next(iter(db.query("SELECT * FROM documents WHERE id = ?", [doc_id])))
            raw = raw_page(db, doc_id)
            assert raw is not None
            try:
                page = page_from_bytes(raw["body"], url=raw["url"], content_type=raw["content_type"],
                                       charset=charset_of(raw["content_type"]), lang_hint=None)  # fmt: skip
            except SkipPage as exc:
                report.failures.append((doc["url"], str(exc)))
                continue
            ref = PageRef(url=doc["url"], canonical_url=doc["canonical_url"], source=doc["source"],
                          fetched_at=doc["fetched_at"], published_hint=doc["published_at"])  # fmt: skip
            stored = store_page(db, page, analyzer, ref, force=everything)
            report.counts[stored.outcome] += 1
            report.counts["claims"] += stored.claims
            if on_progress:
                on_progress(done, len(ids))
        status = "ok" if not report.failures else "partial"
    finally:
        finish_run(
            db, run_id, status, dict(report.counts), [f"{u}: {m}" for u, m in report.failures]
        )
        refresh_statistics(db)
        db.close()
    return report
