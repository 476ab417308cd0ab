"""The alias registry: one canonical name for every way an entity is written.

The shipped registry is `nlp/data/entities.toml`; a user file in the same
format adds entries, or replaces an entry with the same canonical name.
Matching is `nlp.phrases.PhraseMatcher`: linear in the text whatever the
number of aliases, leftmost-longest, Latin aliases on word boundaries.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from nlp.errors import NlpError
from nlp.figures.numerals import ascii_lower
from nlp.phrases import PhraseMatcher, case_blind
from nlp.types import ENTITY_LABELS

# Roles of organisations that are named as sources of figures far more often
# than as their subjects (news outlets, market researchers, sell-side analysts).
SOURCE_ROLES = ("media", "research", "analyst")


@dataclass(frozen=True, slots=True)
class EntityRecord:
    canonical: str
    label: str
    aliases: tuple[str, ...] = ()
    org: str | None = None
    role: str | None = None  # "media", "research" or "analyst": usually a source, not a subject

    @property
    def is_source_like(self) -> bool:
        return self.role in SOURCE_ROLES

    @property
    def names(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)


@dataclass(slots=True)  # not frozen: made by the hundred a page, and a plain __init__ is faster
class AliasMatch:
    start: int
    end: int
    text: str
    record: EntityRecord


@dataclass
class AliasRegistry:
    records: dict[str, EntityRecord] = field(default_factory=dict)

    # -------------------------------------------------------------- loading

    @classmethod
    def load(cls, user_files: Iterable[str | Path] = ()) -> AliasRegistry:
        """The shipped registry plus each user file, later files winning."""
        registry = cls()
        shipped = resources.files("nlp").joinpath("data/entities.toml").read_text("utf-8")
        registry.add_toml(shipped, "nlp/data/entities.toml")
        for path in user_files:
            path = Path(path)
            try:
                text = path.read_text("utf-8")
            except OSError as exc:
                raise NlpError(f"cannot read entity file {path}: {exc.strerror}") from exc
            except UnicodeDecodeError as exc:
                raise NlpError(f"entity file {path} is not UTF-8 ({exc.reason})") from exc
            registry.add_toml(text, str(path))
        return registry

    def add_toml(self, text: str, where: str) -> None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise NlpError(f"{where}: not valid TOML: {exc}") from exc
        for index, entry in enumerate(data.get("entity", []), start=1):
            self.add(_record(entry, f"{where}: entity #{index}"))
        self._forget()

    def add(self, record: EntityRecord) -> None:
        self.records[record.canonical] = record
        self._forget()

    def _forget(self) -> None:
        self.__dict__.pop("_compiled_matcher", None)
        self.__dict__.pop("_compiled_lookup", None)

    # -------------------------------------------------------------- lookups

    def canonical(self, name: str) -> str | None:
        """The canonical name for any alias (exact, then case-blind for long Latin)."""
        exact, folded = self._index()
        return exact.get(name) or folded.get(ascii_lower(name))

    def record(self, canonical: str) -> EntityRecord | None:
        return self.records.get(canonical)

    def all_names(self) -> Iterator[tuple[str, EntityRecord]]:
        for record in self.records.values():
            for name in record.names:
                yield name, record

    def find(self, text: str) -> list[AliasMatch]:
        """Every alias in `text`, leftmost-longest, never overlapping."""
        return [AliasMatch(m.start, m.end, m.text, m.payload) for m in self._matcher().find(text)]

    # -------------------------------------------------------------- internals

    def _index(self) -> tuple[dict[str, str], dict[str, str]]:
        cached = self.__dict__.get("_compiled_lookup")
        if cached is not None:
            return cached
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for name, record in self.all_names():
            exact[name] = record.canonical
            if case_blind(name):
                folded.setdefault(ascii_lower(name), record.canonical)
        self.__dict__["_compiled_lookup"] = (exact, folded)
        return exact, folded

    def _matcher(self) -> PhraseMatcher[EntityRecord]:
        cached = self.__dict__.get("_compiled_matcher")
        if cached is None:
            cached = PhraseMatcher(self.all_names())
            self.__dict__["_compiled_matcher"] = cached
        return cached


def _record(entry: dict[str, object], where: str) -> EntityRecord:
    canonical = entry.get("canonical")
    label = entry.get("label", "ORG")
    aliases = entry.get("aliases", [])
    org = entry.get("org")
    if not isinstance(canonical, str) or not canonical.strip():
        raise NlpError(f"{where}: 'canonical' must be a non-empty string")
    if label not in ENTITY_LABELS:
        raise NlpError(
            f"{where} ({canonical}): label {label!r} is not one of {', '.join(ENTITY_LABELS)}"
        )
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise NlpError(f"{where} ({canonical}): 'aliases' must be a list of strings")
    if org is not None and not isinstance(org, str):
        raise NlpError(f"{where} ({canonical}): 'org' must be a string")
    role = entry.get("role")
    if role is not None and role not in SOURCE_ROLES:
        raise NlpError(
            f"{where} ({canonical}): role {role!r} is not one of {', '.join(SOURCE_ROLES)}"
        )
    return EntityRecord(
        canonical, str(label), tuple(a for a in aliases if a), org, str(role) if role else None
    )


@cache
def default_registry() -> AliasRegistry:
    return AliasRegistry.load()
