"""`export_table`: the fact table to CSV, JSON Lines, Parquet or XLSX, safely.

- The output path must resolve inside the export root (the working
  directory unless told otherwise); `..` and symlinks that lead out are refused.
- The file is written to a temporary name beside it and renamed into place,
  so a reader never sees half a file and a failure leaves no file at all.
- Spreadsheet cells that start with = + - @ (or their full-width forms), tab
  or carriage return are prefixed with an apostrophe: a spreadsheet shows
  them as text instead of running them as formulas.
- NaN and infinity are written as empty / null, never as invalid JSON.
- A value that is not valid text (a lone surrogate) stops a CSV, JSON Lines or
  Parquet export with an error naming it (XLSX cells replace it with "?").
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from pipelines.errors import NewsfactsError

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_FLOAT_COLUMNS = frozenset(["value", "low", "high"])
_INT_COLUMNS = frozenset(["start", "end", "sentence_start", "sentence_end", "claims", "documents",
                          "accepted", "rejected"])  # fmt: skip
_BOOL_COLUMNS = frozenset(["conflict"])
_LIST_COLUMNS = frozenset(["sources", "fact_sources", "claim_ids", "doc_urls"])


def safe_output_path(path: str | Path, root: str | Path | None = None) -> Path:
    """The absolute path to write, or NewsfactsError if it leaves `root`."""
    root_path = Path(root or os.getcwd()).resolve()
    target = Path(path)
    if not target.is_absolute():
        target = root_path / target
    parent = target.parent.resolve()
    resolved = parent / target.name
    if target.is_symlink():
        resolved = target.resolve()
    if resolved != root_path and root_path not in resolved.parents:
        raise NewsfactsError(
            f"refusing to write {path}: it resolves to {resolved}, outside {root_path} "
            "(use --root to export elsewhere)"
        )
    if not parent.is_dir():
        raise NewsfactsError(f"refusing to write {path}: folder {parent} does not exist")
    if resolved.exists() and resolved.is_dir():
        raise NewsfactsError(f"refusing to write {path}: it is a folder")
    return resolved


def neutralise(value: Any) -> Any:
    """Make a spreadsheet cell inert: a leading formula character gets an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def export_table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    path: str | Path,
    root: str | Path | None = None,
) -> tuple[Path, int]:
    """Write `rows` (dicts with `columns`) as `fmt` to `path`; returns (path, row count)."""
    if fmt not in FORMATS:
        raise NewsfactsError(f"unknown export format {fmt!r}; allowed: {', '.join(FORMATS)}")
    target = safe_output_path(path, root)
    writer = _WRITERS[fmt]
    fd, tmp_name = _temp_beside(target)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        count = writer(rows, list(columns), tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        with suppress(OSError):
            tmp.unlink()
        if isinstance(exc, UnicodeEncodeError):
            bad = exc.object[exc.start : exc.end]
            raise NewsfactsError(
                f"cannot write {path}: a value is not valid text ({exc.reason}: {bad!r}); "
                "nothing was written"
            ) from exc
        raise
    return target, count


def _temp_beside(target: Path) -> tuple[int, str]:
    """A temporary file next to `target` with the permissions a new file gets (umask applies)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    return fd, name


def write_atomically(target: Path, data: bytes) -> None:
    """Write bytes beside `target` and rename into place."""
    fd, tmp_name = _temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp_name)
        raise


def _write_csv(rows: Iterable[dict[str, Any]], columns: list[str], tmp: Path) -> int:
    count = 0
    with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        for row in rows:
            out.writerow([_csv_cell(finite(row.get(c))) for c in columns])
            count += 1
    return count


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return neutralise(value)


def _write_jsonl(rows: Iterable[dict[str, Any]], columns: list[str], tmp: Path) -> int:
    count = 0
    with tmp.open("w", encoding="utf-8") as handle:
        for row in rows:
            record = {c: finite(row.get(c)) for c in columns}
            handle.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
            count += 1
    return count


def _arrow_type(column: str) -> Any:
    import pyarrow as pa

    if column in _FLOAT_COLUMNS:
        return pa.float64()
    if column in _INT_COLUMNS:
        return pa.int64()
    if column in _BOOL_COLUMNS:
        return pa.bool_()
    if column in _LIST_COLUMNS:
        return pa.list_(pa.string())
    return pa.string()


def _write_parquet(rows: Iterable[dict[str, Any]], columns: list[str], tmp: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c, _arrow_type(c)) for c in columns])
    data: dict[str, list[Any]] = {c: [] for c in columns}
    count = 0
    for row in rows:
        for c in columns:
            value = finite(row.get(c))
            if (
                value is not None
                and schema.field(c).type == pa.string()
                and not isinstance(value, str)
            ):
                value = (
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(value, (list, dict))
                    else str(value)
                )
            data[c].append(value)
        count += 1
    table = pa.Table.from_pydict(data, schema=schema)
    pq.write_table(table, tmp)
    return count


def _write_xlsx(rows: Iterable[dict[str, Any]], columns: list[str], tmp: Path) -> int:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("facts")
    sheet.append(columns)
    count = 0
    for row in rows:
        cells = []
        for c in columns:
            value = finite(row.get(c))
            if isinstance(value, (list, dict)):
                value = json.dumps(value, ensure_ascii=False)
            if isinstance(value, str):
                value = _xlsx_text(value)
            cells.append(neutralise(value))
        sheet.append(cells)
        count += 1
    book.save(tmp)
    return count


def _xlsx_text(value: str) -> str:
    """openpyxl refuses control characters and lone surrogates: drop them."""
    cleaned = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return cleaned.encode("utf-8", "replace").decode("utf-8")


_WRITERS: dict[str, Callable[[Iterable[dict[str, Any]], list[str], Path], int]] = {
    "csv": _write_csv,
    "jsonl": _write_jsonl,
    "parquet": _write_parquet,
    "xlsx": _write_xlsx,
}
