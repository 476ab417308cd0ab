"""The review desk over HTTP: pages, CSRF, origin and token checks (Starlette's test client)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from starlette.testclient import TestClient

from pipelines.web import DeskConfig, create_app


def client(db, token=None) -> TestClient:
    return TestClient(create_app(DeskConfig(db_path=str(db), reviewer="tester", token=token)))


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def first_claim(html: str) -> str:
    return re.search(r'data-claim="([0-9a-f]{16})"', html).group(1)


def reviews(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT claim_id, verdict, reviewer, note FROM reviews").fetchall()


def test_queue_lists_pending_claims_with_highlights(facts_db):
    page = client(facts_db).get("/queue")
    assert page.status_code == 200
    assert '<mark class="figure">' in page.text and "NVIDIA" in page.text


def test_queue_filters_by_alias_in_another_script_and_chinese_search(facts_db):
    web = client(facts_db)
    by_alias = web.get("/queue", params={"entity": "輝達", "metric": "gross_margin"})
    assert by_alias.text.count('class="card"') == 2
    searched = web.get("/queue", params={"q": "毛利率"})
    assert "毛利率" in searched.text
    assert "No claims match" in web.get("/queue", params={"q": "不存在的词语"}).text


def test_review_needs_the_csrf_token_and_same_origin(facts_db):
    web = client(facts_db)
    page = web.get("/queue").text
    claim = first_claim(page)
    assert web.post(f"/claim/{claim}/review", data={"verdict": "accepted"}).status_code == 403
    cross = web.post(f"/claim/{claim}/review", data={"verdict": "accepted", "csrf": csrf_of(page)},
                     headers={"Origin": "http://evil.example"})  # fmt: skip
    assert cross.status_code == 403
    assert reviews(facts_db) == []
    ok = web.post(f"/claim/{claim}/review", data={"verdict": "accepted", "csrf": csrf_of(page), "note": "fine"},
                  headers={"Accept": "application/json"})  # fmt: skip
    assert ok.status_code == 200 and ok.json()["status"] == "accepted"
    assert reviews(facts_db) == [(claim, "accepted", "tester", "fine")]
    assert f'data-claim="{claim}"' not in web.get("/queue").text
    assert claim in web.get("/audit").text


def test_edit_through_a_plain_form_post_redirects_back(facts_db):
    web = client(facts_db)
    page = web.get("/queue").text
    claim = first_claim(page)
    response = web.post(f"/claim/{claim}/review", follow_redirects=False,
                        data={"verdict": "edited", "csrf": csrf_of(page), "value": "75.15", "period": "FY2025Q2",
                              "next": "/queue?status=pending"})  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/queue?status=pending"
    detail = web.get(f"/claim/{claim}")
    assert "edited" in detail.text and "value=75.15" in detail.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_after_a_verdict_the_desk_never_redirects_to_another_site(facts_db, target):
    web = client(facts_db)
    page = web.get("/queue").text
    response = web.post(f"/claim/{first_claim(page)}/review", follow_redirects=False,
                        data={"verdict": "accepted", "csrf": csrf_of(page), "next": target})  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == "/queue"


@pytest.mark.parametrize(
    "bad",
    [
        {"verdict": "maybe"},
        {"verdict": "edited", "value": "lots"},
        {"verdict": "edited", "metric": "vibes"},
    ],
)
def test_bad_verdicts_are_refused_with_a_reason(facts_db, bad):
    web = client(facts_db)
    page = web.get("/queue").text
    response = web.post(f"/claim/{first_claim(page)}/review", data={**bad, "csrf": csrf_of(page)})
    assert response.status_code == 400 and response.json()["error"]
    assert reviews(facts_db) == []


def test_token_is_required_when_configured(facts_db):
    web = client(facts_db, token="s3cret")
    assert web.get("/queue").status_code == 401
    assert web.get("/queue", params={"token": "wrong"}).status_code == 401
    first = web.get("/queue", params={"token": "s3cret"})
    assert first.status_code == 200 and "nf_token" in first.headers.get("set-cookie", "")
    assert web.get("/queue").status_code == 200  # the cookie now carries it
    bearer = client(facts_db, token="s3cret").get(
        "/audit", headers={"Authorization": "Bearer s3cret"}
    )
    assert bearer.status_code == 200


def test_chart_is_an_svg(facts_db):
    svg = client(facts_db).get("/chart.svg", params={"entity": "英伟达", "metric": "gross_margin"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content
    assert (
        client(facts_db).get("/chart.svg", params={"entity": "x", "metric": "nope"}).status_code
        == 400
    )


def test_unknown_claim_is_a_404(facts_db):
    assert client(facts_db).get("/claim/ffffffffffffffff").status_code == 404
