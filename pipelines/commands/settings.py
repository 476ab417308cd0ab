"""newsfacts settings: every setting, its effective value and the layer it came from."""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pipelines.cli import cli, echo_json, handle_errors
from pipelines.settings import env_var, resolve_settings


@cli.command("settings", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--json", "as_json", is_flag=True, help="A JSON array, one object per setting.")
@handle_errors
def settings_command(as_json: bool) -> None:
    """Print every setting: its value, where the value came from, and what it does.

    Layers, later ones winning: the built-in default, then newsfacts.toml in
    the working directory (or the file named by $NEWSFACTS_CONFIG), then the
    environment variable NEWSFACTS_<NAME>. Options given to a command win over
    all of them (--db over the 'db' setting, for example).

    \b
    Examples:
        newsfacts settings
        NEWSFACTS_WORKERS=2 newsfacts settings --json
    """
    resolved = resolve_settings()
    if as_json:
        echo_json(
            [
                {
                    "name": r.setting.name,
                    "value": _plain(r.value),
                    "source": r.origin,
                    "default": r.setting.default,
                    "env": env_var(r.setting.name),
                    "help": r.setting.help,
                }
                for r in resolved
            ]
        )
        return
    table = Table()
    for column in ("name", "value", "source", "help"):
        table.add_column(column, overflow="fold")
    for r in resolved:
        table.add_row(r.setting.name, _shown(r.value), r.origin, r.setting.help)
    Console().print(table, markup=False)


def _plain(value: Any) -> Any:
    """JSON types as they are; anything else TOML can hold (a date) as its text."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)
