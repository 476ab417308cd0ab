"""The review desk: a small Starlette app over the database, pages rendered on the server.

Why Starlette and not Datasette: Datasette browses tables beautifully, but
the desk is a work queue — one claim after another, keyboard verdicts, the
same fact from other sources beside it — and its only writes are review
verdicts. A few server-rendered pages do that with less machinery; exports
and ad-hoc SQL stay in the CLI (`newsfacts export`, `newsfacts query --sql`).

Safety: every page reads through a read-only connection; the one write is
`POST /claim/{id}/review`, which appends to the audit trail through
`db.store.add_review`. Forms carry a CSRF token (an HMAC of a per-process
secret) and cross-origin POSTs are refused. Bound to 127.0.0.1 by default,
where it answers only requests addressed to a loopback name (`DeskConfig.hosts`:
a page whose name was rebound to 127.0.0.1 gets 421); on any other address a
token is required (query ?token= once, then a cookie, or `Authorization: Bearer`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from db.connection import connect
from db.errors import DatabaseError
from db.queries import STATUSES, ClaimFilter, claim, query_claims
from db.store import EDITABLE, VERDICTS, add_review
from nlp.types import METRICS
from pipelines.charts import chart_subject, render_metric_chart
from pipelines.facts import group_facts
from pipelines.registry_sync import fold
from pipelines.search import search_words

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 20
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class DeskConfig:
    db_path: str
    reviewer: str
    token: str | None = None  # required on every request when set
    secret: bytes = b""
    # When set, the only host names a request may address (its Host header): a
    # desk on loopback without a token refuses any other, so that a web page
    # whose name was rebound to 127.0.0.1 (DNS rebinding) cannot use it.
    hosts: tuple[str, ...] = ()


def create_app(config: DeskConfig) -> Starlette:
    secret = config.secret or secrets.token_bytes(32)
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )
    env.filters["num"] = plain_number
    csrf_token = hmac.new(secret, b"csrf", hashlib.sha256).hexdigest()

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.update(request=request, csrf=csrf_token, metrics=METRICS, statuses=STATUSES)
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    def read_db() -> Any:
        return connect(config.db_path, readonly=True)

    def filters_from(request: Request) -> tuple[ClaimFilter, dict[str, str]]:
        q = request.query_params
        given = {
            k: q.get(k, "").strip()
            for k in ("entity", "metric", "lang", "source", "since", "until", "status", "q")
        }
        status = given["status"] or "pending"
        raw_page = q.get("page", "1")  # "²" and "٣" are digits too; 10**5000 is no page
        page = (
            max(1, int(raw_page))
            if raw_page.isascii() and raw_page.isdigit() and len(raw_page) <= 6
            else 1
        )
        words = search_words(given["q"])
        # a search of punctuation only has no word to look for: it finds nothing, not everything
        size = 0 if given["q"] and not words else PAGE_SIZE
        flt = ClaimFilter(
            entity=given["entity"] or None, metric=given["metric"] if given["metric"] in METRICS else None,
            lang=given["lang"] if given["lang"] in ("zh", "en", "ja") else None, source=given["source"] or None,
            since=given["since"] or None, until=given["until"] or None,
            status=None if status == "all" else (status if status in STATUSES else "pending"),
            search=words, limit=size, offset=(page - 1) * PAGE_SIZE,
        )  # fmt: skip
        given["status"] = status
        given["page"] = str(page)
        return flt, given

    async def queue(request: Request) -> Response:
        flt, given = filters_from(request)
        db = read_db()
        try:
            rows = query_claims(db, flt, fold)
            cards = [card(db, row) for row in rows]
        finally:
            db.close()
        page = int(given["page"])
        base = {k: v for k, v in given.items() if v and k != "page"}
        return render(request, "queue.html", cards=cards, given=given, page=page,
                      prev_url=f"/queue?{urlencode({**base, 'page': page - 1})}" if page > 1 else None,
                      next_url=f"/queue?{urlencode({**base, 'page': page + 1})}" if len(rows) == PAGE_SIZE else None)  # fmt: skip

    async def claim_page(request: Request) -> Response:
        db = read_db()
        try:
            row = claim(db, request.path_params["claim_id"])
            if row is None:
                return render(
                    request,
                    "error.html",
                    404,
                    message=f"no claim {request.path_params['claim_id']}",
                )
            detail = card(db, row, with_history=True)
        finally:
            db.close()
        return render(request, "claim.html", c=detail)

    async def review(request: Request) -> Response:
        form = await request.form()
        if not _same(str(form.get("csrf", request.headers.get("x-csrf-token", ""))), csrf_token):
            return JSONResponse({"error": "missing or wrong CSRF token"}, status_code=403)
        if not same_origin(request):
            return JSONResponse({"error": "cross-origin request refused"}, status_code=403)
        verdict = str(form.get("verdict", ""))
        if verdict not in VERDICTS:
            return JSONResponse(
                {"error": f"verdict must be one of {', '.join(VERDICTS)}"}, status_code=400
            )
        edits: dict[str, Any] = {}
        for name in EDITABLE:
            raw = str(form.get(name, "")).strip()
            if not raw:
                continue
            if name in ("value", "low", "high"):
                try:
                    edits[name] = float(raw.replace(",", ""))
                except ValueError:
                    return JSONResponse(
                        {"error": f"{name} {raw!r} is not a number"}, status_code=400
                    )
            elif name == "metric" and raw not in METRICS:
                return JSONResponse(
                    {"error": f"metric {raw!r} is not one of the metrics"}, status_code=400
                )
            else:
                edits[name] = raw
        if verdict != "edited":
            edits = {}
        db = connect(config.db_path)
        try:
            review_id = add_review(db, request.path_params["claim_id"], verdict, config.reviewer,
                                   str(form.get("note", "")).strip() or None, edits)  # fmt: skip
        except DatabaseError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        finally:
            db.close()
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"ok": True, "review": review_id, "status": verdict})
        return RedirectResponse(_local_path(form.get("next")), status_code=303)

    async def audit(request: Request) -> Response:
        db = read_db()
        try:
            reviews = list(db.query(
                "SELECT r.*, c.subject AS claim_subject, c.metric AS claim_metric, c.sentence "
                "FROM reviews r LEFT JOIN claims c ON c.id = r.claim_id ORDER BY r.id DESC LIMIT 200"
            ))  # fmt: skip
        finally:
            db.close()
        return render(request, "audit.html", reviews=reviews)

    async def chart_page(request: Request) -> Response:
        entity = request.query_params.get("entity", "NVIDIA")
        metric = request.query_params.get("metric", "gross_margin")
        return render(request, "chart.html", entity=entity, metric=metric,
                      src="/chart.svg?" + urlencode({"entity": entity, "metric": metric}))  # fmt: skip

    async def chart_svg(request: Request) -> Response:
        entity = request.query_params.get("entity", "")
        metric = request.query_params.get("metric", "")
        if metric not in METRICS or not entity:
            return Response("entity and a known metric are required", status_code=400)
        db = read_db()
        try:
            rows = query_claims(db, ClaimFilter(entity=entity, metric=metric), fold)
        finally:
            db.close()
        image = render_metric_chart(rows, f"{chart_subject(rows, entity)} - {metric}", "svg")
        return Response(image, media_type="image/svg+xml")

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    def same_origin(request: Request) -> bool:
        origin = request.headers.get("origin") or request.headers.get("referer")
        if not origin:
            return True
        return urlsplit(origin).netloc == request.headers.get("host", "")

    def card(db: Any, row: dict[str, Any], with_history: bool = False) -> dict[str, Any]:
        """A claim with its sentence split for highlighting and its fact's other sources."""
        sentence = row["sentence"]
        start = row["start"] - row["sentence_start"]
        end = row["end"] - row["sentence_start"]
        parts = [(sentence[:start], ""), (sentence[start:end], "figure"), (sentence[end:], "")]
        if row.get("entity_id"):
            mention = db.execute(
                'SELECT start, "end" FROM mentions WHERE document_id = ? AND entity_id = ? '
                'AND start >= ? AND "end" <= ? ORDER BY abs(start - ?) LIMIT 1',
                [
                    row["doc_id"],
                    row["entity_id"],
                    row["sentence_start"],
                    row["sentence_end"],
                    row["start"],
                ],
            ).fetchone()
            if mention is not None:
                parts = split_marks(
                    sentence, row["sentence_start"], (row["start"], row["end"]), mention
                )
        same = (
            list(db.query("SELECT * FROM fact_table WHERE fact_key = ?", [row["fact_key"]]))
            if row.get("fact_key")
            else [row]
        )
        facts = group_facts(same)
        mine = next(
            (f for f in facts if any(c["claim_id"] == row["claim_id"] for c in f.claims)), None
        )
        others = [c for c in (mine.claims if mine else []) if c["claim_id"] != row["claim_id"]]
        conflicts = [f for f in facts if f is not mine]
        history = (
            list(
                db.query("SELECT * FROM reviews WHERE claim_id = ? ORDER BY id", [row["claim_id"]])
            )
            if with_history
            else []
        )
        return {
            **row,
            "parts": parts,
            "same_fact": others,
            "conflicts": conflicts,
            "history": history,
        }

    def guarded(endpoint: Any) -> Any:
        async def wrapper(request: Request) -> Response:
            if config.hosts and _host_name(request.headers.get("host", "")) not in config.hosts:
                return Response("this desk answers to its own address only", status_code=421)
            if config.token is not None:
                given = (request.query_params.get("token") or request.cookies.get("nf_token")
                         or request.headers.get("authorization", "").removeprefix("Bearer ").strip())  # fmt: skip
                if not given or not _same(given, config.token):
                    return Response("a token is required (?token=...)", status_code=401)
                response = await endpoint(request)
                if request.query_params.get("token"):
                    response.set_cookie("nf_token", config.token, httponly=True, samesite="strict")
                return response
            return await endpoint(request)

        return wrapper

    routes = [
        Route("/", guarded(lambda request: _redirect("/queue")), methods=["GET"]),
        Route("/queue", guarded(queue), methods=["GET"]),
        Route("/claim/{claim_id}", guarded(claim_page), methods=["GET"]),
        Route("/claim/{claim_id}/review", guarded(review), methods=["POST"]),
        Route("/audit", guarded(audit), methods=["GET"]),
        Route("/chart", guarded(chart_page), methods=["GET"]),
        Route("/chart.svg", guarded(chart_svg), methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes)


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of a secret (compare_digest refuses non-ASCII `str`)."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def _host_name(host: str) -> str | None:
    """The name in a Host header (127.0.0.1:8001 -> 127.0.0.1, [::1]:8001 -> ::1)."""
    try:
        parts = urlsplit(f"//{host}")
        parts.port  # noqa: B018  (a port that is no number: no valid Host header)
    except ValueError:
        return None
    return parts.hostname


async def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=302)


def plain_number(value: Any) -> str:
    """75.1 -> '75.1', 749.0 -> '749', 30040000000.0 -> '30,040,000,000'."""
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, (int, float)):
        return f"{value:,}"
    return "" if value is None else str(value)


def split_marks(
    sentence: str, offset: int, figure: tuple[int, int], mention: tuple[int, int]
) -> list[tuple[str, str]]:
    """The sentence cut into (text, mark) pieces with the figure and the subject marked."""
    marks = sorted(
        [
            (figure[0] - offset, figure[1] - offset, "figure"),
            (mention[0] - offset, mention[1] - offset, "subject"),
        ]
    )
    if marks[0][1] > marks[1][0]:  # overlapping: keep the figure only
        marks = [m for m in marks if m[2] == "figure"]
    parts: list[tuple[str, str]] = []
    pos = 0
    for start, end, kind in marks:
        parts.append((sentence[pos:start], ""))
        parts.append((sentence[start:end], kind))
        pos = end
    parts.append((sentence[pos:], ""))
    return [p for p in parts if p[0]]


def _local_path(given: object) -> str:
    """Where to go after a verdict: a path of this desk only, never another site
    (`//evil.example`, `https://…`, `/\\evil`), else the queue."""
    path = str(given or "")
    if path.startswith("/") and not path.startswith(("//", "/\\")) and "\\" not in path:
        return path
    return "/queue"
