"""The `newsfacts` command: a thin click layer over the library functions.

Data goes to stdout, progress and messages to stderr. Expected failures are
`NewsfactsError` (or the db/nlp errors) and print one line, no traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from db.errors import DatabaseError
from nlp.errors import NlpError
from pipelines.errors import NewsfactsError
from pipelines.settings import SETTINGS, load_settings

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def fail(message: str, code: int = 2) -> None:
    click.echo(f"newsfacts: error: {message}", err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Show expected failures as one line on stderr and exit non-zero."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NewsfactsError as exc:
            fail(exc.message, exc.code)
        except (DatabaseError, NlpError) as exc:
            fail(str(exc))
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        metavar="PATH",
        default=None,
        help="SQLite database (default: ./newsfacts.db, or $NEWSFACTS_DB).",
    )(func)


class Context:
    def __init__(self, quiet: bool, verbose: int) -> None:
        self.quiet = quiet
        self.settings = load_settings()

    def db(self, given: str | None) -> str:
        return given or str(self.settings["db"])


@click.group(context_settings=CONTEXT)
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or summaries on stderr.")
@click.option("-v", "--verbose", count=True, help="More log messages on stderr (-vv for debug).")
@click.version_option(package_name="newsfacts")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: int) -> None:
    """Figures, claims and quotes from Chinese, English and Japanese industry news.

    Crawl or ingest articles, extract who said which number about whom, review
    the claims and export them as a fact table. Every command that touches the
    database takes --db PATH (default ./newsfacts.db).

    \b
    Start with the bundled sample sites:
        newsfacts demo
        newsfacts query --entity 英伟达 --metric gross_margin
    """
    level = max(logging.WARNING - 10 * verbose, logging.DEBUG)
    logging.basicConfig(level=level, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")  # fmt: skip
    for handler in logging.getLogger().handlers:
        handler.addFilter(LibraryNoise(level))
    try:
        ctx.obj = Context(quiet, verbose)
    except NewsfactsError as exc:
        fail(exc.message, exc.code)


class LibraryNoise(logging.Filter):
    """Scrapy and Twisted set their own loggers to DEBUG whenever a crawl starts;
    below the CLI's level (-v, -vv) their records are dropped here."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


def settings_help() -> str:
    return "\n".join(f"{s.name}: {s.help}" for s in SETTINGS)


def main() -> None:
    from pipelines import commands  # noqa: F401  (registers the subcommands)

    cli(prog_name="newsfacts")


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, allow_nan=False))


def read_paths(paths: tuple[str, ...]) -> list[Path]:
    return [Path(p) for p in paths]
