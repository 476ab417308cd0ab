"""Shared fixtures: one Analyzer per session, temporary databases, the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLDEN = REPO / "tests" / "golden"
SAMPLES = REPO / "samples" / "sites"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the shared folder is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def analyzer():
    from nlp import Analyzer

    return Analyzer()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "facts.db"


def run_cli(
    *args: str, cwd: Path | None = None, input: str | bytes | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run `newsfacts ARGS` as a real subprocess (python -m pipelines)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    env.pop("NEWSFACTS_DB", None)
    text_mode = not isinstance(input, bytes)
    return subprocess.run(
        [sys.executable, "-m", "pipelines", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=text_mode,
        env=env,
        timeout=timeout,
    )
