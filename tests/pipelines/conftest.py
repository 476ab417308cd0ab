"""A small database built once per session from the test articles; each test gets a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.ingest import IngestOptions, run_ingest
from tests.pipelines.articles import EN_HTML, zh_article


@pytest.fixture(scope="session")
def built_db(tmp_path_factory, analyzer) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    (folder / "zh.html").write_text(zh_article(), encoding="utf-8")
    (folder / "en.html").write_text(EN_HTML, encoding="utf-8")
    path = folder / "built.db"
    report = run_ingest([folder], IngestOptions(str(path), source="testwire"), analyzer)
    assert report.ok, report.failures
    return path


@pytest.fixture
def facts_db(built_db: Path, tmp_path: Path) -> Path:
    """A private copy, so that tests may write reviews."""
    copy = tmp_path / "facts.db"
    shutil.copy(built_db, copy)
    return copy
