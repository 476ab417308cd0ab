"""After each crawl run, a quality check per source: has it quietly broken?

Sites change their templates without telling anyone; the crawl still
"succeeds" while storing nav bars, or nothing. Each check compares this run
with the source's own history and turns a sharp change into a warning on the
run record (shown by `newsfacts runs`):

- no new articles for much longer than the usual gap between new ones;
- main text suddenly empty or tiny;
- publication dates missing;
- figure yield collapsing;
- the share of U+FFFD (undecodable text) rising.
"""

from __future__ import annotations

import itertools
import statistics
from datetime import datetime
from typing import Any

from sqlite_utils import Database

HISTORY = 50  # earlier documents of the source to compare with
MIN_HISTORY = 5


def _stats(rows: list[dict[str, Any]]) -> dict[str, float]:
    if not rows:
        return {}
    return {
        "length": statistics.median(r["length"] for r in rows),
        "undated": sum(1 for r in rows if not r["published_at"]) / len(rows),
        "figures": statistics.mean(r["figures"] for r in rows),
        "fffd": statistics.mean(r["replacement_share"] or 0.0 for r in rows),
    }


_DOCS = (
    "SELECT d.id, length(d.text) AS length, d.published_at, d.replacement_share, "
    "(SELECT count(*) FROM figures f WHERE f.document_id = d.id) AS figures "
    "FROM documents d WHERE d.source = ? AND d.fetched_at {op} ? ORDER BY d.fetched_at DESC LIMIT {limit}"
)


def check_run(db: Database, source: str, run_started_at: str, new_documents: int) -> list[str]:
    """Warnings for this run of `source` (documents fetched since `run_started_at`)."""
    now_docs = list(db.query(_DOCS.format(op=">=", limit=1000), [source, run_started_at]))
    before = list(db.query(_DOCS.format(op="<", limit=HISTORY), [source, run_started_at]))
    warnings: list[str] = []
    if new_documents == 0:
        warning = _quiet_too_long(db, source, run_started_at)
        if warning:
            warnings.append(warning)
    if not now_docs or len(before) < MIN_HISTORY:
        return warnings
    now, then = _stats(now_docs), _stats(before)
    if then["length"] >= 500 and now["length"] < 0.3 * then["length"]:
        warnings.append(
            f"main text shrank: median {now['length']:.0f} characters, usually {then['length']:.0f} "
            "(has the site's template changed?)"
        )
    if now["undated"] >= 0.5 and then["undated"] <= 0.1:
        warnings.append(
            f"publication dates missing on {now['undated']:.0%} of new documents (usually {then['undated']:.0%})"
        )
    if then["figures"] >= 2 and now["figures"] < 0.3 * then["figures"]:
        warnings.append(
            f"figure yield collapsed: {now['figures']:.1f} per document, usually {then['figures']:.1f}"
        )
    if now["fffd"] > 0.005 and now["fffd"] > 3 * then["fffd"]:
        warnings.append(
            f"undecodable text (U+FFFD) rose to {now['fffd']:.2%} of characters, usually {then['fffd']:.2%}"
        )
    return warnings


def _quiet_too_long(db: Database, source: str, run_started_at: str) -> str | None:
    """No new article for more than three times the usual gap between new ones (and over a day)."""
    stamps = [
        datetime.fromisoformat(r["fetched_at"])
        for r in db.query(
            "SELECT fetched_at FROM documents WHERE source = ? ORDER BY fetched_at DESC LIMIT ?",
            [source, HISTORY],
        )
    ]
    if len(stamps) < MIN_HISTORY:
        return None
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(stamps) if a > b]
    if not gaps:
        return None
    usual = statistics.median(gaps)
    quiet = (datetime.fromisoformat(run_started_at) - stamps[0]).total_seconds()
    if quiet > max(3 * usual, 86_400):
        return f"no new articles for {quiet / 3600:.0f} h (usually one every {usual / 3600:.1f} h)"
    return None
