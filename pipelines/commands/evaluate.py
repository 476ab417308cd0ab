"""newsfacts eval …: measure the extractors; each measurement is a subcommand module."""

from __future__ import annotations

import click

from pipelines.cli import cli


@cli.group("eval", context_settings={"help_option_names": ["-h", "--help"]})
def evaluate() -> None:
    """Measure extraction quality against gold data and print the scores.

    \b
    Examples:
        newsfacts eval figures
        newsfacts eval claims
    """


def shared_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--shared",
        type=click.Path(file_okay=False),
        default=None,
        help="The shared folder with eval/ (default: ../shared beside the repository).",
    )(func)


# Each measurement is a module that adds its subcommand to the group.
from pipelines.commands import eval_figures  # noqa: E402,F401
