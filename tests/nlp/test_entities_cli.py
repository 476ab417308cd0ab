"""newsfacts entities suggest | lookup | list."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipelines.cli import cli
from pipelines.commands import entities as entities_command  # noqa: F401  (registers it)
from pipelines.commands.entities import suggest_entities
from pipelines.ingest import IngestOptions, run_ingest

ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbor Peak Advisors bets on chips</title>
<meta property="article:published_time" content="2024-08-28T22:41:00+00:00"></head>
<body><article><h1>Harbor Peak Advisors bets on chips</h1>
<p>Nvidia shares rose 3% on Monday, analysts at Harbor Peak Advisors said in a note.</p>
<p>Harbor Peak Advisors raised its target, while Summit Ridge Research kept its view.</p>
<p>"The cycle is young," said Jonathan Reyes, a portfolio manager at Harbor Peak Advisors.</p>
</article></body></html>
"""


def build_db(tmp_path, analyzer):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.html").write_text(ARTICLE, encoding="utf-8")
    db_path = tmp_path / "facts.db"
    report = run_ingest([folder], IngestOptions(str(db_path)), analyzer)
    assert report.ok, report.failures
    return db_path


def test_suggest_lists_unregistered_names_most_frequent_first(tmp_path, analyzer):
    db_path = build_db(tmp_path, analyzer)
    suggestions = suggest_entities(db_path, min_count=1)
    surfaces = [s.surface for s in suggestions]
    assert surfaces[0] == "Harbor Peak Advisors"
    assert suggestions[0].mentions >= 3 and suggestions[0].documents == 1
    assert "Nvidia" not in surfaces and "NVIDIA" not in surfaces  # registered
    assert [s.surface for s in suggest_entities(db_path, min_count=3)] == ["Harbor Peak Advisors"]
    assert suggest_entities(db_path, min_count=1, lang="zh") == []

    result = CliRunner().invoke(
        cli, ["entities", "suggest", "--db", str(db_path), "--min-count", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "Harbor Peak Advisors" in result.output
    result = CliRunner().invoke(cli, ["entities", "suggest", "--db", str(db_path), "--json"])
    first = json.loads(result.output.splitlines()[0])
    assert first["surface"] == "Harbor Peak Advisors" and first["label"] == "ORG"


def test_suggest_names_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["entities", "suggest", "--db", str(tmp_path / "no.db")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_lookup_prints_the_record_of_any_alias():
    result = CliRunner().invoke(cli, ["entities", "lookup", "輝達"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["canonical"] == "NVIDIA" and "エヌビディア" in record["aliases"]
    missing = CliRunner().invoke(cli, ["entities", "lookup", "Nonexistent Corp"])
    assert missing.exit_code == 1


def test_lookup_reads_user_entity_files(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[entity]]\ncanonical = "Xinyuan Semi"\naliases = ["芯原半导体"]\n', "utf-8")
    result = CliRunner().invoke(cli, ["entities", "lookup", "芯原半导体", "--entities", str(path)])
    assert json.loads(result.output)["canonical"] == "Xinyuan Semi"


def test_list_filters_by_label():
    result = CliRunner().invoke(cli, ["entities", "list", "--label", "PERSON"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines and all(line.startswith("PERSON") for line in lines)
    assert any("Jensen Huang" in line for line in lines)
