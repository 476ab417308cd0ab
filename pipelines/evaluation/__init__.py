"""Measurements against the hand-checked gold (tests/golden) and the public sets in ../shared/eval."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = REPO.parent / "shared"
GOLDEN = REPO / "tests" / "golden"
