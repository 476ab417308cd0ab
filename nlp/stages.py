"""The stage registry: named steps over one `Analysis`, ordered by configuration.

A stage declares the fields it needs and the fields it sets, like a spaCy
component; `build_pipeline` checks that every need is met by an earlier stage
before anything runs. A stage is registered as a *factory*: called once per
pipeline with the shared `Resources` (alias registry, jieba tokenizer), it
returns the function applied to each document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.errors import NlpError
from nlp.types import Analysis

if TYPE_CHECKING:
    from nlp.aliases import AliasRegistry
    from nlp.segment import Segmenter

StageFn = Callable[[Analysis], None]


@dataclass
class Resources:
    """Things stages share and build once per process."""

    entity_files: tuple[str, ...] = ()
    _registry: AliasRegistry | None = field(default=None, repr=False)
    _segmenter: Segmenter | None = field(default=None, repr=False)

    @property
    def registry(self) -> AliasRegistry:
        if self._registry is None:
            from nlp.aliases import AliasRegistry

            self._registry = AliasRegistry.load(Path(p) for p in self.entity_files)
        return self._registry

    @property
    def segmenter(self) -> Segmenter:
        if self._segmenter is None:
            from nlp.segment import Segmenter

            self._segmenter = Segmenter(self.registry)
        return self._segmenter


@dataclass(frozen=True)
class StageSpec:
    name: str
    factory: Callable[[Resources], StageFn]
    requires: tuple[str, ...]
    sets: tuple[str, ...]
    doc: str


STAGES: dict[str, StageSpec] = {}
BASE_FIELDS = ("text",)


def stage(
    name: str, *, requires: Sequence[str] = (), sets: Sequence[str] = ()
) -> Callable[[Callable[[Resources], StageFn]], Callable[[Resources], StageFn]]:
    """Register a stage factory under `name`."""

    def register(factory: Callable[[Resources], StageFn]) -> Callable[[Resources], StageFn]:
        doc = (factory.__doc__ or "").strip().splitlines()[0] if factory.__doc__ else ""
        STAGES[name] = StageSpec(name, factory, tuple(requires), tuple(sets), doc)
        return factory

    return register


@dataclass
class Pipeline:
    names: tuple[str, ...]
    steps: tuple[tuple[str, StageFn], ...]
    resources: Resources

    def __call__(self, analysis: Analysis) -> Analysis:
        for _, step in self.steps:
            step(analysis)
        return analysis


def check_order(names: Sequence[str]) -> None:
    """Raise NlpError unless every stage exists and its needs come earlier."""
    _load_builtin_stages()
    have = set(BASE_FIELDS)
    for name in names:
        spec = STAGES.get(name)
        if spec is None:
            raise NlpError(f"unknown stage {name!r}; known stages: {', '.join(sorted(STAGES))}")
        missing = [need for need in spec.requires if need not in have]
        if missing:
            raise NlpError(
                f"stage {name!r} needs {', '.join(missing)}, which no earlier stage sets "
                f"(order given: {', '.join(names)})"
            )
        have.update(spec.sets)


def build_pipeline(names: Sequence[str], resources: Resources | None = None) -> Pipeline:
    check_order(names)
    resources = resources or Resources()
    steps = tuple((name, STAGES[name].factory(resources)) for name in names)
    return Pipeline(tuple(names), steps, resources)


def _load_builtin_stages() -> None:
    import nlp.builtin_stages  # noqa: F401  (registers the stages)
