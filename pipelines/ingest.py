"""`run_ingest`: local files and folders into the database, one transaction per file.

A file that cannot be read, is binary or empty, or whose encoding cannot be
told is reported by name and skipped; the others are stored; nothing stored
before is touched. Unchanged files (same content, same extractor version)
cost a hash and no analysis.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from db.connection import connect
from db.errors import DatabaseError
from db.store import ensure_source, finish_run, now_iso, start_run
from nlp import Analyzer
from pipelines.documents import PageText, SkipPage, page_from_bytes, store_page
from pipelines.registry_sync import sync_registry

log = logging.getLogger(__name__)

SUFFIXES = (".html", ".htm", ".txt", ".md", ".pdf")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    db_path: str
    source: str = "local"
    lang: str | None = None
    entity_files: tuple[str, ...] = ()


@dataclass
class IngestReport:
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reanalysed: int = 0
    figures: int = 0
    claims: int = 0
    quotes: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files, "new": self.new, "changed": self.changed,
            "unchanged": self.unchanged, "reanalysed": self.reanalysed, "failed": len(self.failures),
            "figures": self.figures, "claims": self.claims, "quotes": self.quotes,
        }  # fmt: skip


class SkipFile(Exception):
    """This one file cannot be ingested; the message says why."""


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest (folders recursed, sorted) and the paths refused up front."""
    files: list[Path] = []
    refused: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                refused.append((str(path), f"no {'/'.join(SUFFIXES)} files in this folder"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif not path.exists():
            refused.append((str(path), "no such file or folder"))
        else:
            refused.append((str(path), "not a regular file"))
    return list(dict.fromkeys(files)), refused


def read_file(path: Path, lang_hint: str | None = None) -> PageText:
    """Main text of one local file, or SkipFile naming why not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SkipFile(f"too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    suffix = path.suffix.lower()
    as_html = (
        True if suffix in (".html", ".htm") else (False if suffix in (".txt", ".md") else None)
    )
    try:
        return page_from_bytes(
            data, url=path.resolve().as_uri(), lang_hint=lang_hint, as_html=as_html
        )
    except SkipPage as exc:
        raise SkipFile(str(exc)) from exc


def iter_ingest(
    files: list[Path],
    options: IngestOptions,
    analyzer: Analyzer,
    report: IngestReport,
) -> Iterator[Path]:
    """Ingest `files` one by one, yielding each after it is done (for progress)."""
    db = connect(options.db_path)
    try:
        ensure_source(db, options.source, "local")
        for path in files:
            report.files += 1
            try:
                page = read_file(path, options.lang)
                url = path.resolve().as_uri()
                stored = store_page(db, page, analyzer, url=url, canonical_url=url,
                                    source=options.source, fetched_at=now_iso(),
                                    lang_hint=options.lang)  # fmt: skip
                setattr(report, stored.outcome, getattr(report, stored.outcome) + 1)
                report.figures += stored.figures
                report.claims += stored.claims
                report.quotes += stored.quotes
            except SkipFile as exc:
                report.failures.append((str(path), str(exc)))
            except DatabaseError as exc:
                report.failures.append((str(path), f"not stored: {exc}"))
            yield path
    finally:
        db.close()


def run_ingest(
    paths: Iterable[str | Path],
    options: IngestOptions,
    analyzer: Analyzer | None = None,
    on_progress: Callable[[int, int, Path], None] | None = None,
) -> IngestReport:
    """Ingest files and folders; never raises for a bad file, only for a bad database."""
    files, refused = collect_files(paths)
    report = IngestReport()
    report.failures.extend(refused)
    db = connect(options.db_path)
    run_id = start_run(db, "ingest", options.source)
    analyzer = analyzer or Analyzer(entity_files=options.entity_files)
    sync_registry(db, analyzer)
    status = "failed"
    try:
        for done, path in enumerate(iter_ingest(files, options, analyzer, report), start=1):
            if on_progress:
                on_progress(done, len(files), path)
        status = "ok" if report.ok else "partial"
    finally:
        finish_run(db, run_id, status, report.counts(),
                   [f"{p}: {m}" for p, m in report.failures])  # fmt: skip
        db.close()
    return report
