"""The README documents every command and setting, and its runnable examples run."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from pipelines.cli import cli
from pipelines.settings import SETTINGS
from tests.conftest import REPO

README = (REPO / "README.md").read_text("utf-8")
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def code_blocks() -> list[tuple[str, str]]:
    """(info string, body) of every fenced block, in order."""
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(README)]


def command_paths(group: click.Group, prefix: str = "") -> Iterator[str]:
    """'chart', 'review', 'review accept', … for every command and nested group."""
    import pipelines.commands  # noqa: F401  (registers the subcommands)

    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        yield path
        if isinstance(command, click.Group):
            yield from command_paths(command, f"{path} ")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_first_code_block_is_run_then_test() -> None:
    _, body = code_blocks()[0]
    lines = body.splitlines()
    assert lines[0].split("#")[0].strip() == "make run"
    assert lines[1].split("#")[0].strip() == "make test"
    assert "#" in lines[0] and "#" in lines[1]


def test_every_command_is_documented() -> None:
    paths = list(command_paths(cli))
    assert {"settings", "review accept", "schedule install", "eval figures"} <= set(paths)
    missing = [p for p in paths if not re.search(rf"newsfacts {re.escape(p)}(?![\w-])", README)]
    assert not missing, f"README does not show: {', '.join('newsfacts ' + p for p in missing)}"


def test_every_setting_is_in_the_settings_table() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \|", section("Settings"), re.MULTILINE)
    assert sorted(rows) == sorted(s.name for s in SETTINGS)


def test_measurements_section_is_left_for_the_benchmarks() -> None:
    assert "\n## Measurements\n" in README


def console_commands() -> list[list[str]]:
    commands = []
    for info, body in code_blocks():
        if info != "console":
            continue
        for line in body.splitlines():
            if line.startswith("$ "):
                assert line.startswith("$ newsfacts "), line
                commands.append(shlex.split(line[2:], comments=True))
    return commands


def test_console_examples_run(tmp_path: Path) -> None:
    """Each `$ newsfacts …` line of the console blocks, in order, in one scratch
    directory where samples/ and docs/ lead to the repository's."""
    commands = console_commands()
    assert len(commands) >= 5
    for folder in ("samples", "docs"):
        (tmp_path / folder).symlink_to(REPO / folder, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFACTS_")}
    env.update(PYTHONIOENCODING="utf-8", COLUMNS="120")
    for argv in commands:
        result = subprocess.run(
            [sys.executable, "-m", "pipelines", *argv[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        if result.returncode != 0:
            pytest.fail(
                f"`{shlex.join(argv)}` exited {result.returncode}:\n{result.stderr[-2000:]}"
            )
