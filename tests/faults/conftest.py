"""A small fact database, built once from the pipeline test articles; each test gets a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.ingest import IngestOptions, run_ingest
from tests.pipelines.articles import EN_HTML, zh_article


@pytest.fixture(scope="session")
def built_facts(tmp_path_factory, analyzer) -> Path:
    folder = tmp_path_factory.mktemp("fault-articles")
    (folder / "zh.html").write_text(zh_article(), encoding="utf-8")
    (folder / "en.html").write_text(EN_HTML, encoding="utf-8")
    path = folder / "facts.db"
    report = run_ingest([folder], IngestOptions(str(path), source="testwire"), analyzer)
    assert report.ok, report.failures
    return path


@pytest.fixture
def fact_db(built_facts: Path, tmp_path: Path) -> Path:
    """A private copy of the fact database (the tests write reviews and odd values)."""
    copy = tmp_path / "facts.db"
    shutil.copy(built_facts, copy)
    return copy
