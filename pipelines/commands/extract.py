"""newsfacts extract: the JSON contract of ../shared/spec/extract.md for bare text."""

from __future__ import annotations

import json
import sys
from typing import Any, BinaryIO

import click

from nlp import Analyzer
from pipelines.cli import Context, cli, echo_json, handle_errors
from pipelines.errors import NewsfactsError


def _open(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        raise NewsfactsError(f"cannot read {path}: {exc.strerror}") from exc


@cli.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", default="-", metavar="[FILE|-]")
@click.option("--lang", type=click.Choice(["auto", "zh", "en", "ja"]), default="auto", show_default=True,
              help="Language of the text; auto detects it.")  # fmt: skip
@click.option("--jsonl", is_flag=True,
              help='Read lines {"id": ..., "text": ...} and answer one JSON line each.')  # fmt: skip
@click.option("--entities", "entity_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own entity file (TOML), added to the registry; repeatable.")  # fmt: skip
@click.pass_obj
@handle_errors
def extract(obj: Context, file: str, lang: str, jsonl: bool, entity_files: tuple[str, ...]) -> None:
    """Print the entities, figures, claims and quotes of a text as JSON.

    One document (a UTF-8 file, or stdin with -) gives one JSON object. With
    --jsonl every input line {"id": ..., "text": ...} (optionally "date":
    "2024-08-29" to resolve 去年 / last quarter) gives one output line with
    the same id; a bad line is named on stderr, the others are still
    answered, and the exit status is 1. Models load once per process.

    \b
    Examples:
        echo '英伟达第二财季毛利率为75.1%。' | newsfacts extract
        newsfacts extract --jsonl articles.jsonl > facts.jsonl
    """
    analyzer = Analyzer(entity_files=tuple(obj.settings["entities"]) + entity_files)
    hint = None if lang == "auto" else lang
    handle = _open(file)
    try:
        if not jsonl:
            data = handle.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise NewsfactsError(
                    f"{file} is not UTF-8 (byte {exc.start}: {exc.reason})"
                ) from exc
            doc_id = "" if file == "-" else file
            echo_json(analyzer.analyze(text, lang=hint, doc_id=doc_id).to_json())
            return
        bad = 0
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = _parse_line(raw, number)
            except NewsfactsError as exc:
                click.echo(f"newsfacts: line {number}: {exc.message}", err=True)
                bad += 1
                continue
            result = analyzer.analyze(
                record["text"], lang=hint, doc_id=str(record["id"]), doc_date=record.get("date")
            )
            echo_json(result.to_json())
        if bad:
            click.echo(f"newsfacts: {bad} bad line(s) skipped", err=True)
            raise SystemExit(1)
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


def _parse_line(raw: bytes, number: int) -> dict[str, Any]:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NewsfactsError(f"not UTF-8 (byte {exc.start})") from exc
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise NewsfactsError(f"invalid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise NewsfactsError("expected a JSON object with 'id' and 'text'")
    if not isinstance(record.get("text"), str):
        raise NewsfactsError("missing 'text' (a string)")
    if "id" not in record:
        record["id"] = str(number)
    date = record.get("date") or record.get("published_at")
    record["date"] = date if isinstance(date, str) else None
    return record
