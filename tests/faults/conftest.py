"""The fault tests work on the pipeline tests' small fact database (one build per
session, a private copy per test): the fixtures of tests/pipelines/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipelines.conftest import built_db, facts_db  # noqa: F401  (fixtures)


@pytest.fixture
def fact_db(facts_db: Path) -> Path:  # noqa: F811
    """A private copy of the fact database (the tests write reviews and odd values)."""
    return facts_db
