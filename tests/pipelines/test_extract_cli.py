"""newsfacts extract: the JSON contract of spec/extract.md, single document and --jsonl."""

from __future__ import annotations

import json

from tests.conftest import run_cli

FIGURE_KEYS = {
    "text",
    "start",
    "end",
    "kind",
    "value",
    "low",
    "high",
    "unit",
    "currency",
    "qualifier",
}
CLAIM_KEYS = {"subject", "metric", "figure", "period", "source", "sentence", "start", "end"}
QUOTE_KEYS = {"text", "start", "end", "speaker", "speaker_canonical", "anonymous", "cue"}
ENTITY_KEYS = {"text", "start", "end", "label", "canonical"}

ZH = "据TrendForce估计，2024年华为昇腾芯片出货量约为3万至5万片。黄仁勋表示：“需求依然非常强劲。”英伟达第二财季毛利率为75.1%。"


def check_contract(result: dict, text: str) -> None:
    assert set(result) == {"id", "lang", "entities", "figures", "claims", "quotes"}
    assert result["lang"] in ("zh", "en", "ja")
    for entity in result["entities"]:
        assert ENTITY_KEYS <= set(entity)
        assert text[entity["start"] : entity["end"]] == entity["text"]
    for figure in result["figures"]:
        assert FIGURE_KEYS <= set(figure)
        assert text[figure["start"] : figure["end"]] == figure["text"]
        assert (figure["value"] is None) == (figure["low"] is not None)
    for claim in result["claims"]:
        assert CLAIM_KEYS <= set(claim)
        assert text[claim["start"] : claim["end"]] == claim["sentence"]
        inner = claim["figure"]
        assert claim["start"] <= inner["start"] < inner["end"] <= claim["end"]
    for quote in result["quotes"]:
        assert QUOTE_KEYS <= set(quote)
        assert text[quote["start"] : quote["end"]] == quote["text"]


def test_single_document_from_stdin(tmp_path):
    result = run_cli("extract", input=ZH)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    check_contract(data, ZH)
    assert data["lang"] == "zh"
    ranges = [f for f in data["figures"] if f["text"] == "3万至5万片"]
    assert ranges == [
        {"text": "3万至5万片", "start": ZH.index("3万至5万片"), "end": ZH.index("3万至5万片") + 6,
         "kind": "count", "value": None, "low": 30000, "high": 50000, "unit": "片",
         "currency": None, "qualifier": "about"}
    ]  # fmt: skip
    assert {"NVIDIA", "Huawei"} & {e["canonical"] for e in data["entities"]}
    margin = [c for c in data["claims"] if c["metric"] == "gross_margin"]
    assert margin and margin[0]["subject"] == "NVIDIA" and margin[0]["figure"]["value"] == 75.1
    assert data["quotes"][0]["speaker_canonical"] == "Jensen Huang"
    assert all(str(y) not in [f["text"] for f in data["figures"]] for y in ("2024", "2024年"))


def test_file_argument_and_lang_override(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("Nvidia's gross margin was 75.1% in the quarter.", encoding="utf-8")
    result = run_cli("extract", "--lang", "en", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == str(path) and data["lang"] == "en"
    assert [(c["subject"], c["metric"]) for c in data["claims"]] == [("NVIDIA", "gross_margin")]


def test_jsonl_answers_every_good_line_and_names_bad_ones(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "英伟达毛利率为75.1%。"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "b", "txt": "missing text"}),
        json.dumps({"id": "c", "text": "AMD shares fell 7% on Wednesday.", "date": "2024-07-31"}),
        json.dumps(["a list"]),
    ]
    result = run_cli("extract", "--jsonl", input="\n".join(lines) + "\n")
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answers] == ["a", "c"]
    assert "line 2" in result.stderr and "invalid JSON" in result.stderr
    assert "line 3" in result.stderr and "missing 'text'" in result.stderr
    assert "line 5" in result.stderr
    stock = answers[1]["claims"]
    assert stock and stock[0]["metric"] == "stock_change" and stock[0]["direction"] == "down"


def test_jsonl_line_that_is_not_utf8_is_named(tmp_path):
    data = (
        json.dumps({"id": "ok", "text": "Revenue was $30 billion."}).encode()
        + b"\n"
        + b'{"id": "bad", "text": "\xff\xfe"}\n'
    )
    result = run_cli("extract", "--jsonl", input=data)
    assert result.returncode == 1
    assert b"line 2" in result.stderr and b"not UTF-8" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_single_document_not_utf8_is_refused(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("英伟达毛利率".encode("gbk"))
    result = run_cli("extract", str(path))
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr and str(path) in result.stderr


def test_missing_file_is_named(tmp_path):
    result = run_cli("extract", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "nope.txt" in result.stderr
