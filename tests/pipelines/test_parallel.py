"""AnalysisPool.map_unordered: every job comes back, with jobs and bytes in flight bounded."""

from __future__ import annotations

from pipelines.documents import PageRef
from pipelines.parallel import AnalysisPool, PageJob

MB = 1024 * 1024


def blank_jobs(count: int, size: int, log: dict[str, int]):
    """Pages of blank bytes (a worker skips them as empty files at once); `log` keeps
    the most jobs handed out and not yet returned when the pool asked for another."""
    for number in range(count):
        log["most"] = max(log["most"], log["given"] - log["returned"])
        log["given"] += 1
        url = f"file:///blank/{number}.txt"
        ref = PageRef(url=url, canonical_url=url, source="t", fetched_at="2026-01-01T00:00:00")
        yield PageJob(b" " * size, ref, tag=str(number))


def run(pool: AnalysisPool, count: int, size: int, **bounds: int) -> tuple[list[str], int]:
    log = {"most": 0, "given": 0, "returned": 0}
    tags = []
    for result in pool.map_unordered(blank_jobs(count, size, log), **bounds):
        log["returned"] += 1
        assert result.skipped == "empty file"
        tags.append(result.job.tag)
    return tags, log["most"]


def test_bytes_in_flight_stay_under_the_bound_and_every_job_returns(analyzer):
    with AnalysisPool(analyzer, workers=2) as pool:
        tags, most = run(pool, 24, MB, window=100, max_bytes=3 * MB)
    assert sorted(tags, key=int) == [str(n) for n in range(24)]
    assert most <= 3  # never a fourth megabyte handed out before one came back


def test_the_window_bounds_jobs_in_flight(analyzer):
    with AnalysisPool(analyzer, workers=2) as pool:
        tags, most = run(pool, 40, 10, window=5)
    assert len(set(tags)) == 40
    assert most <= 5
