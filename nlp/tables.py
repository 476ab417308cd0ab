"""Spec tables: a figure in a table cell belongs to its column's entity.

The main-text extractor writes HTML tables as pipe rows (`| Memory | 80GB HBM3 |
192GB HBM3 |`) under a header row (`| Specification | Nvidia H100 SXM5 | AMD
Instinct MI300X |`). A figure in a body cell is said of the entity named in the
header of its column, with the row label (`Memory`, `Price`) as the place to
look for a metric cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from nlp.types import Entity

_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_SEPARATOR = re.compile(r"^[\s|:\-]+$")


@dataclass(frozen=True, slots=True)
class TableCell:
    start: int  # the cell's text in the document
    end: int
    subject: Entity | None  # the entity its column header names
    row_label: str
    row_label_start: int


def find_table_cells(text: str, entities: Sequence[Entity]) -> list[TableCell]:
    """The body cells of every pipe table in `text`, in document order."""
    cells: list[TableCell] = []
    starts = [e.start for e in entities]
    header: list[Entity | None] | None = None
    last_row_end = -2
    for row in _ROW.finditer(text):
        if row.start() != last_row_end + 1:
            header = None  # a new table starts
        last_row_end = row.end()
        spans = list(_cells(text, row.start(), row.end()))
        if _SEPARATOR.match(row.group()):
            continue
        if header is None:
            header = [_entity_in(entities, starts, start, end) for start, end in spans]
            continue
        if not spans:
            continue
        label_start, label_end = spans[0]
        label = text[label_start:label_end]
        for column, (start, end) in enumerate(spans[1:], start=1):
            subject = header[column] if column < len(header) else None
            cells.append(TableCell(start, end, subject, label, label_start))
    return cells


def _cells(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    line = text[start:end]
    first = line.index("|")
    last = line.rindex("|")
    position = first + 1
    while position <= last:
        bar = line.find("|", position)
        if bar < 0:
            break
        cell_start, cell_end = position, bar
        while cell_start < cell_end and line[cell_start].isspace():
            cell_start += 1
        while cell_end > cell_start and line[cell_end - 1].isspace():
            cell_end -= 1
        yield start + cell_start, start + cell_end
        position = bar + 1


def _entity_in(
    entities: Sequence[Entity], starts: Sequence[int], start: int, end: int
) -> Entity | None:
    """The entity a header cell names: its product if it names one, else the first."""
    inside = []
    for entity in entities[bisect_left(starts, start) :]:
        if entity.start >= end:
            break
        if entity.end <= end:
            inside.append(entity)
    for entity in inside:
        if entity.label == "PRODUCT":
            return entity
    return inside[0] if inside else None
