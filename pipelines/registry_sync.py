"""Mirror the alias registry into the database, so that SQL can find a claim by any alias."""

from __future__ import annotations

from sqlite_utils import Database

from db.store import sync_entities
from nlp import Analyzer
from nlp.figures.numerals import ascii_lower


def fold(name: str) -> str:
    """How aliases are compared case-blind in SQL (ASCII letters only, like the matcher)."""
    return ascii_lower(name)


def sync_registry(db: Database, analyzer: Analyzer) -> int:
    registry = analyzer.pipeline.resources.registry
    records = ((r.canonical, r.label, r.org, r.aliases) for r in registry.records.values())
    return sync_entities(db, records, fold)
