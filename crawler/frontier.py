"""What the spider needs from a crawl frontier; the SQLite one lives in `pipelines`.

The spider only records what it discovers and what failed; marking a page
done happens in the item pipeline, in the same transaction as the document,
so a crash can never leave a page "done" without its document or the other
way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Known:
    """What the frontier remembers about a URL."""

    state: str  # pending | done | failed | deferred
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    attempts: int = 0


class Frontier(Protocol):
    def discover(
        self, source: str, urls: list[tuple[str, str, str | None]]
    ) -> dict[str, Known | None]:
        """Record article URLs (canonical key, URL to fetch, published hint) as
        pending unless known; return what was known before, by key (None: new)."""
        ...

    def resume(self, source: str) -> list[tuple[str, str | None]]:
        """(URL to fetch, published hint) of articles of `source` that an earlier
        run left pending or deferred."""
        ...

    def failed(self, source: str, url: str, reason: str, status: int | None = None,
               state: str = "failed") -> None:  # fmt: skip
        """Record a failure of the article with canonical key `url` (state failed,
        forbidden, or deferred to try again next run)."""
        ...
