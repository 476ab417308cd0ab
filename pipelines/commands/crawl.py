"""newsfacts crawl / sources / reextract."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from crawler.sources import Source, SourceError, adhoc_source, load_sources
from pipelines.cli import Context, cli, db_option, handle_errors
from pipelines.crawl import CrawlOptions, CrawlReport, run_crawl
from pipelines.errors import NewsfactsError


def parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    """-s KEY=VALUE pairs as Scrapy settings (numbers and booleans read as such)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.isupper():
            raise NewsfactsError(
                f"-s {pair!r}: expected KEY=VALUE with an UPPER_CASE Scrapy setting"
            )
        value: Any = raw
        if raw.lower() in ("true", "false"):
            value = raw.lower() == "true"
        else:
            for cast in (int, float):
                try:
                    value = cast(raw)
                    break
                except ValueError:
                    continue
        out[key] = value
    return out


def user_source_files(obj: Context, given: tuple[str, ...]) -> list[str]:
    configured = obj.settings.get("sources")
    return [*([configured] if configured else []), *given]


def print_crawl_report(report: CrawlReport, quiet: bool) -> None:
    err = Console(stderr=True, highlight=False)
    for source in report.sources:
        if source.status == "skipped":
            err.print(f"[yellow]skipped[/yellow] {source.source}: {source.errors[0]}")
            continue
        for error in source.errors[:20]:
            err.print(f"[red]failed[/red] {error}")
        for warning in source.warnings:
            err.print(f"[yellow]warning[/yellow] {source.source}: {warning}")
        if len(source.errors) > 20:
            err.print(f"… and {len(source.errors) - 20} more failures (see 'newsfacts runs')")
        if not quiet:
            c = source.counts
            err.print(
                f"crawl {source.source}: {c.get('fetched', 0)} fetched — {c.get('new', 0)} new, "
                f"{c.get('changed', 0)} changed, {c.get('unchanged', 0)} unchanged, "
                f"{c.get('failed', 0)} failed, {c.get('deferred', 0)} deferred, "
                f"{c.get('forbidden', 0)} forbidden; {c.get('claims', 0)} claims (run #{source.run_id})"
            )


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("names", nargs=-1)
@click.option("--all", "all_sources", is_flag=True, help="Every enabled source of the source list.")
@click.option("--feed", metavar="URL", help="Crawl one RSS/Atom feed, without editing any file.")
@click.option("--sitemap", metavar="URL", help="Crawl one sitemap (or sitemap index).")
@click.option(
    "--url",
    metavar="URL",
    help="A listing page (its same-site article links are followed) or an article.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "ja"]),
    help="Language of the pages (default: detected).",
)
@click.option("--sources", "source_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own source list (TOML), added to the shipped one; repeatable.")  # fmt: skip
@click.option(
    "--sources-only", is_flag=True, help="Use only the --sources files, not the shipped list."
)
@click.option(
    "--since",
    metavar="DATE",
    help="Only articles published on or after DATE (from feeds and sitemaps).",
)
@click.option("--no-refresh", is_flag=True, help="Do not re-ask for articles already stored.")
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Shared crawl: be a worker of a crawl whose queue is in Redis (redis://host:6379/0).",
)
@click.option(
    "--job", default="default", show_default=True, help="Name of the shared crawl (its Redis keys)."
)
@click.option(
    "--store",
    "as_writer",
    is_flag=True,
    help="With --redis: be the one writer that stores what the workers fetch.",
)
@click.option("--idle-timeout", type=click.FloatRange(min=0), default=15.0, show_default=True,
              help="With --redis: exit after this many seconds without work.")  # fmt: skip
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="KEY=VALUE",
    help="A Scrapy setting, e.g. -s DOWNLOAD_DELAY=2.",
)
@db_option
@click.pass_obj
@handle_errors
def crawl(obj: Context, names: tuple[str, ...], all_sources: bool, feed: str | None, sitemap: str | None,
          url: str | None, lang: str | None, source_files: tuple[str, ...], sources_only: bool, since: str | None,
          no_refresh: bool, redis_url: str | None, job: str, as_writer: bool, idle_timeout: float,
          settings: tuple[str, ...], db_path: str | None) -> None:  # fmt: skip
    """Crawl sources into the database: feeds, sitemaps and listing pages lead to articles.

    Name sources from the source list (see 'newsfacts sources list'), or --all,
    or give one --feed / --sitemap / --url to crawl ad hoc. Each article is
    stored with its extraction in one transaction; a killed crawl resumes
    where it stopped; unchanged pages cost one conditional request. robots.txt
    is obeyed (a host whose robots.txt cannot be read is deferred).

    \b
    Examples:
        newsfacts crawl 36kr reuters-tech
        newsfacts crawl --all --since 2024-08-01
        newsfacts crawl --feed https://example.com/rss.xml --lang en
        newsfacts crawl --url https://example.com/news/ -s DOWNLOAD_DELAY=2
        newsfacts crawl --all --redis redis://10.0.0.5:6379/0 --job 2024-08-30   # a worker
        newsfacts crawl --redis redis://10.0.0.5:6379/0 --job 2024-08-30 --store # the writer
    """
    if as_writer:
        if not redis_url:
            raise NewsfactsError("--store needs --redis URL (the shared crawl to store)")
        run_shared_writer(obj, db_path, redis_url, job, idle_timeout)
        return
    adhoc = [x for x in (feed, sitemap, url) if x]
    if len(adhoc) > 1 or (adhoc and (names or all_sources)):
        raise NewsfactsError("give source names, --all, or one of --feed / --sitemap / --url")
    selected: list[Source]
    if adhoc:
        try:
            selected = [adhoc_source(feed=feed, sitemap=sitemap, url=url, lang=lang)]
        except SourceError as exc:
            raise NewsfactsError(str(exc)) from exc
    else:
        try:
            known = load_sources(user_source_files(obj, source_files), shipped=not sources_only)
        except SourceError as exc:
            raise NewsfactsError(
                "the source list has problems:\n  " + "\n  ".join(exc.problems)
            ) from exc
        if all_sources:
            selected = [s for s in known.values() if s.enabled]
        elif names:
            missing = [n for n in names if n not in known]
            if missing:
                raise NewsfactsError(
                    f"unknown source(s) {', '.join(missing)}; known: {', '.join(sorted(known))}"
                )
            selected = [known[n] for n in names]
        else:
            raise NewsfactsError(
                "name at least one source, or --all, or --feed / --sitemap / --url"
            )
        if lang:
            selected = [Source(**{**s.__dict__, "lang": lang}) for s in selected]
    options = CrawlOptions(
        db_path=obj.db(db_path), since=since, refresh=not no_refresh,
        entity_files=tuple(obj.settings["entities"]), scrapy_settings=parse_settings(settings),
        progress=not obj.quiet, workers=int(obj.settings["workers"]),
        user_agent=obj.settings["user_agent"] or None,
    )  # fmt: skip
    if redis_url:
        run_shared_worker(obj, selected, options, redis_url, job, idle_timeout)
        return
    report = run_crawl(selected, options)
    print_crawl_report(report, obj.quiet)
    if not report.ok:
        raise SystemExit(1)


def run_shared_worker(obj: Context, selected: list[Source], options: CrawlOptions, redis_url: str, job: str,
                      idle_timeout: float) -> None:  # fmt: skip
    import redis

    from pipelines.distributed import run_worker

    try:
        report = run_worker(selected, options, redis_url, job, idle_timeout)
    except redis.RedisError as exc:
        raise NewsfactsError(f"cannot use Redis at {redis_url}: {exc}") from exc
    err = Console(stderr=True, highlight=False)
    for url, reason, _ in report.failures[:20]:
        err.print(f"[red]failed[/red] {url}: {reason}")
    if not obj.quiet:
        err.print(f"worker ({job}): {report.pushed} pages fetched and handed to the writer, "
                  f"{len(report.failures)} failed")  # fmt: skip
    if report.failures or report.seed_errors:
        raise SystemExit(1)


def run_shared_writer(
    obj: Context, db_path: str | None, redis_url: str, job: str, idle_timeout: float
) -> None:
    import redis

    from pipelines.distributed import run_writer

    try:
        counts = run_writer(obj.db(db_path), redis_url, job, idle_timeout, tuple(obj.settings["entities"]),
                            workers=int(obj.settings["workers"]))  # fmt: skip
    except redis.RedisError as exc:
        raise NewsfactsError(f"cannot use Redis at {redis_url}: {exc}") from exc
    if not obj.quiet:
        Console(stderr=True).print(
            f"writer ({job}): {counts['received']} pages received — {counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        )
    if counts["failed"]:
        raise SystemExit(1)


@cli.group(context_settings={"help_option_names": ["-h", "--help"]})
def sources() -> None:
    """The source list: which sites are crawled, how, and when.

    The shipped list is crawler/sources.toml; add yours with --sources FILE
    (same format) or the 'sources' setting. An entry with the same name
    replaces the shipped one.
    """


@sources.command("list")
@click.option(
    "--sources", "source_files", multiple=True, type=click.Path(exists=True, dir_okay=False)
)
@click.pass_obj
@handle_errors
def list_sources(obj: Context, source_files: tuple[str, ...]) -> None:
    """Print every source with its language, schedule and entry points."""
    try:
        known = load_sources(user_source_files(obj, source_files))
    except SourceError as exc:
        raise NewsfactsError(
            "the source list has problems:\n  " + "\n  ".join(exc.problems)
        ) from exc
    for source in known.values():
        ways = [f"{len(source.feeds)} feed(s)"] if source.feeds else []
        ways += [f"{len(source.sitemaps)} sitemap(s)"] if source.sitemaps else []
        ways += [f"{len(source.listings)} listing(s)"] if source.listings else []
        state = "" if source.enabled else " (disabled)"
        click.echo(
            f"{source.name}\t{source.lang or '-'}\t{source.schedule or '-'}\t{', '.join(ways)}{state}"
        )


@sources.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.pass_obj
@handle_errors
def check_sources(obj: Context, files: tuple[str, ...]) -> None:
    """Validate source lists (the shipped one plus FILES) and say exactly what is wrong where."""
    try:
        known = load_sources(files)
    except SourceError as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise SystemExit(2) from exc
    click.echo(f"ok: {len(known)} sources")


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Every crawled document, not only those an older extractor made.",
)
@click.option("--source", help="Only documents of this source.")
@db_option
@click.pass_obj
@handle_errors
def reextract(obj: Context, everything: bool, source: str | None, db_path: str | None) -> None:
    """Extract crawled pages again from their stored bytes (no fetching).

    By default only documents analysed by an older extractor version are
    redone; --all redoes every crawled document. Reviews are kept.

    \b
    Example:
        newsfacts reextract --all --source 36kr
    """
    from pipelines.reextract import run_reextract

    report = run_reextract(obj.db(db_path), everything=everything, source=source,
                           entity_files=tuple(obj.settings["entities"]))  # fmt: skip
    err = Console(stderr=True, highlight=False)
    for url, message in report.failures:
        err.print(f"[red]failed[/red] {url}: {message}")
    if not obj.quiet:
        c = report.counts
        err.print(f"reextract: {sum(v for k, v in c.items() if k != 'claims')} documents — "
                  f"{c['changed']} changed, {c['reanalysed']} re-analysed, {c['unchanged']} unchanged, "
                  f"{len(report.failures)} failed; {c['claims']} claims")  # fmt: skip
    if report.failures:
        raise SystemExit(1)
