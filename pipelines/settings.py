"""Settings with defaults and help text, layered like Datasette's.

Later layers win: the defaults below, then `newsfacts.toml` in the working
directory (or the file named by NEWSFACTS_CONFIG), then `NEWSFACTS_<NAME>`
environment variables, then command-line options.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.settings import USER_AGENT as CRAWLER_USER_AGENT
from pipelines.errors import NewsfactsError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "newsfacts.db", "SQLite database file every command reads and writes."),
    Setting(
        "entities",
        [],
        "Your own entity files (TOML, the registry's format), added to the shipped registry.",
    ),
    Setting("reviewer", "", "Name recorded with review verdicts (default: the login name)."),
    Setting("workers", 0, "Processes for the NLP stages during ingest (0: one per core)."),
    Setting("sources", "", "Your own source list (TOML), added to the shipped one."),
    Setting(
        "user_agent",
        CRAWLER_USER_AGENT,
        "User-Agent of the crawler (`crawl`, `schedule run`); `-s USER_AGENT=...` wins.",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


ORIGIN_DEFAULT = "default"


def env_var(name: str) -> str:
    """The environment variable that sets `name`: NEWSFACTS_<NAME>."""
    return f"NEWSFACTS_{name.upper()}"


@dataclass(frozen=True)
class Resolved:
    """A setting's effective value and the layer it came from."""

    setting: Setting
    value: Any
    origin: str  # "default", the config file's path, or the NEWSFACTS_<NAME> variable


def resolve_settings(config: str | Path | None = None) -> list[Resolved]:
    """Every setting, in `SETTINGS` order, with its value and where that value came from."""
    values = {s.name: s.default for s in SETTINGS}
    origins = dict.fromkeys(values, ORIGIN_DEFAULT)
    path = Path(config or os.environ.get("NEWSFACTS_CONFIG") or "newsfacts.toml")
    if path.exists():
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise NewsfactsError(f"config file {path} is not valid TOML: {exc}") from exc
        unknown = sorted(set(data) - set(_BY_NAME))
        if unknown:
            raise NewsfactsError(
                f"config file {path}: unknown setting(s) {', '.join(unknown)}; "
                f"known: {', '.join(_BY_NAME)}"
            )
        values.update(data)
        origins.update(dict.fromkeys(data, str(path)))
    for setting in SETTINGS:
        env = os.environ.get(env_var(setting.name))
        if env is None:
            continue
        origins[setting.name] = env_var(setting.name)
        if isinstance(setting.default, list):
            values[setting.name] = [p for p in env.split(os.pathsep) if p]
        elif isinstance(setting.default, int):
            try:
                values[setting.name] = int(env)
            except ValueError as exc:
                raise NewsfactsError(f"{env_var(setting.name)}={env!r} is not a number") from exc
        else:
            values[setting.name] = env
    if not values["reviewer"]:
        values["reviewer"] = os.environ.get("USER") or os.environ.get("USERNAME") or "reviewer"
    return [Resolved(s, values[s.name], origins[s.name]) for s in SETTINGS]


def load_settings(config: str | Path | None = None) -> dict[str, Any]:
    """The effective value of every setting, by name."""
    return {r.setting.name: r.value for r in resolve_settings(config)}
