"""`newsfacts settings` reports every setting with the layer its value came from."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from unittest import mock

from pipelines.settings import SETTINGS
from tests.conftest import run_cli


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`newsfacts settings ARGS` in tmp_path, with only the NEWSFACTS_* variables in `env`."""
    with mock.patch.dict(os.environ, env):
        for name in [n for n in os.environ if n.startswith("NEWSFACTS_")]:
            if name not in env:
                del os.environ[name]
        return run_cli("settings", *args, cwd=tmp_path, timeout=120)


def _run(tmp_path: Path, *args: str, **env: str) -> str:
    result = _cli(tmp_path, *args, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_json_names_each_layer(tmp_path: Path) -> None:
    (tmp_path / "newsfacts.toml").write_text(
        'entities = ["mine.toml"]\nreviewer = "li"\n', encoding="utf-8"
    )
    out = _run(tmp_path, "--json", NEWSFACTS_WORKERS="3", NEWSFACTS_REVIEWER="tanaka")
    rows = {row["name"]: row for row in json.loads(out)}
    assert list(rows) == [s.name for s in SETTINGS]
    assert rows["workers"] == {**rows["workers"], "value": 3, "source": "NEWSFACTS_WORKERS"}
    assert rows["entities"]["value"] == ["mine.toml"]
    assert rows["entities"]["source"] == "newsfacts.toml"
    # the environment wins over the file
    assert rows["reviewer"]["value"] == "tanaka"
    assert rows["reviewer"]["source"] == "NEWSFACTS_REVIEWER"
    assert rows["sources"]["source"] == "default"
    assert rows["user_agent"]["value"] == rows["user_agent"]["default"]
    assert all(
        row["help"] and row["env"] == f"NEWSFACTS_{name.upper()}" for name, row in rows.items()
    )


def test_table_shows_sources(tmp_path: Path) -> None:
    (tmp_path / "newsfacts.toml").write_text('sources = "my-sources.toml"\n', encoding="utf-8")
    out = _run(tmp_path, NEWSFACTS_WORKERS="2")
    for text in ("my-sources.toml", "newsfacts.toml", "NEWSFACTS_WORKERS", "default", "user_agent"):
        assert text in out


def test_named_config_file_and_bad_setting(tmp_path: Path) -> None:
    (tmp_path / "team.toml").write_text("workers = 5\n", encoding="utf-8")
    rows = json.loads(_run(tmp_path, "--json", NEWSFACTS_CONFIG=str(tmp_path / "team.toml")))
    workers = next(r for r in rows if r["name"] == "workers")
    assert (workers["value"], workers["source"]) == (5, str(tmp_path / "team.toml"))

    (tmp_path / "newsfacts.toml").write_text("colour = 1\n", encoding="utf-8")
    result = _cli(tmp_path)
    assert result.returncode != 0
    assert "colour" in result.stderr and "Traceback" not in result.stderr
