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


from pipelines.commands import (  # noqa: E402  (they register on `evaluate`)
    eval_claims,  # noqa: F401
    eval_extraction,  # noqa: F401
    eval_figures,  # noqa: F401
)
