"""Crawl cost against its floors: a local site of N realistic pages on 127.0.0.1.

    python bench/crawl_bench.py --pages 10000 [--workers 0]

Measured in one run, on the same pages:

- network floor: a bare Scrapy spider that reads the sitemap and fetches every
  page, keeping nothing;
- ingest: `newsfacts ingest` of the same pages from disk (no network);
- crawl: `newsfacts crawl` of the site (fetch, frontier, raw pages, analysis);
- re-crawl: the same crawl again on the unchanged site (the sitemap's lastmod
  says nothing changed, so pages are not asked again).

The crawl machinery's own overhead is crawl / ingest; the target is ≤ 1.3×,
and the incremental re-crawl ≤ 5 % of the first crawl. Each line also gives
the CPU of the command's own process (Scrapy and the writer) and of the
analysis workers it started: where a crawl costs more than an ingest.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import build  # noqa: E402
from pipelines.localsite import serve_folder, write_sitemap  # noqa: E402

BARE_SPIDER = """
import sys, scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.utils.sitemap import Sitemap

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [sys.argv[1]]
    def parse(self, response):
        for entry in Sitemap(response.body):
            yield scrapy.Request(entry["loc"], callback=self.page)
    def page(self, response):
        pass

process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": 16,
                          "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "TELNETCONSOLE_ENABLED": False})
process.crawl(Bare)
process.start()
"""
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=false",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
]


@dataclass
class Timing:
    wall: float
    cpu: float  # CPU seconds of the command and every process it started
    own_cpu: float  # its own process (Scrapy, the writer; sampled every 0.2 s); the rest: workers

    @property
    def cores(self) -> float:
        return self.cpu / self.wall


def timed(command: list[str], env: dict[str, str]) -> Timing:
    """Run `command`; its wall time and CPU, its own process's read from /proc as it runs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                stderr=errors)  # fmt: skip
        own = 0.0
        while proc.poll() is None:
            own = _process_cpu(proc.pid) or own
            time.sleep(0.2)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")[-2000:]
            raise SystemExit(f"{' '.join(command[:6])} … failed:\n{message}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, own)


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a live process (Linux), None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    base_dir = args.keep or Path(tempfile.mkdtemp(prefix="nf-crawl-"))
    site = base_dir / f"site{args.pages}"
    if not site.exists():
        build(site, args.pages)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    write_sitemap(site, pages, lastmod="2024-08-30T00:00:00+00:00")
    count = len(pages)
    env = {**os.environ, "NEWSFACTS_WORKERS": str(args.workers)}
    python = [sys.executable, "-m", "pipelines", "--quiet"]
    print(f"{count} pages; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    with serve_folder(site) as base:
        sources = base_dir / "sources.toml"
        sources.write_text(
            f'[[source]]\nname = "bench"\nsitemaps = ["{base}/sitemap.xml"]\n', encoding="utf-8"
        )
        bare = timed([sys.executable, "-c", BARE_SPIDER, f"{base}/sitemap.xml"], env)
        ingest_db, crawl_db = base_dir / "ingest.db", base_dir / "crawl.db"
        for stale in (ingest_db, crawl_db):  # a kept folder's databases from an earlier run
            for path in (stale, *(stale.with_name(stale.name + s) for s in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
        ingest = timed([*python, "ingest", str(site), "--db", str(ingest_db)], env)
        crawl_command = [*python, "crawl", "bench", "--sources", str(sources), "--sources-only",
                         "--db", str(crawl_db), *FAST]  # fmt: skip
        crawl = timed(crawl_command, env)
        again = timed(crawl_command, env)  # the unchanged site again
    print(f"  {'':34}{'wall s':>8} {'pages/s':>8}   CPU s: process + workers, cores used")
    for name, run in (("bare Scrapy fetch (network floor)", bare),
                      ("newsfacts ingest from disk", ingest), ("newsfacts crawl", crawl)):  # fmt: skip
        print(f"  {name:34}{run.wall:8.1f} {count / run.wall:8.1f}   {run.own_cpu:6.1f} + "
              f"{run.cpu - run.own_cpu:6.1f}, {run.cores:.2f}")  # fmt: skip
    print(f"  crawl / ingest                    {crawl.wall / ingest.wall:8.2f} x")
    print(f"  re-crawl, site unchanged          {again.wall:8.1f} s = "
          f"{again.wall / crawl.wall:.1%} of the first crawl")  # fmt: skip


if __name__ == "__main__":
    main()
