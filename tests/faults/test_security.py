"""Nothing writes through the read paths, nothing is written outside its target,
and the desk stays on this machine unless a token guards it.

Already covered elsewhere, not repeated here: DELETE / UPDATE / ATTACH /
PRAGMA writable_schema / load_extension through `query --sql` and its time
limit (tests/pipelines/test_query.py), export paths that lead out by `../`, a
symlinked folder or file (I3 in tests/faults/test_inputs.py and
tests/pipelines/test_export.py), the desk's CSRF, origin and token checks
(tests/pipelines/test_desk.py), filter values as parameters (I1).
"""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from db.adhoc import run_sql
from db.errors import DatabaseError
from pipelines.web import DeskConfig, create_app
from tests.conftest import run_cli
from tests.faults.helpers import count, kill_all, newsfacts, start
from tests.faults.test_inputs import INJECTIONS, a_claim, csrf, files_under


def checksum(db: Path) -> dict[str, str]:
    """SHA-256 of the database file and of its WAL or rollback journal when they hold
    anything (a reader may leave an empty WAL file behind: no write)."""
    found = {}
    for suffix in ("", "-wal", "-journal"):
        path = Path(f"{db}{suffix}")
        if path.exists() and path.stat().st_size:
            found[suffix or "db"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def logical(db: Path) -> str:
    """SHA-256 of the database's SQL dump (what it holds, whatever the file layout)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def sealed(fact_db: Path) -> Path:
    """The fact database checkpointed into one file, so that a checksum sees any write."""
    with sqlite3.connect(fact_db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return fact_db


# ---------------------------------------------------------------- query --sql writes nothing

WRITES = [
    "DELETE FROM documents",
    "SELECT 1; DELETE FROM documents",
    "WITH gone AS (SELECT id FROM documents) DELETE FROM claims WHERE id IN (SELECT id FROM gone)",
    "UPDATE documents SET title = 'x' RETURNING id",
    "INSERT INTO reviews (claim_id, verdict) VALUES ('x', 'accepted')",
    "REPLACE INTO documents (id) VALUES ('x')",
    "INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')",
    "DROP TABLE claims",
    "ALTER TABLE claims RENAME TO gone",
    "CREATE TABLE evil (x)",
    "CREATE TEMP TABLE evil AS SELECT * FROM documents",
    "CREATE TEMP TRIGGER evil AFTER INSERT ON reviews BEGIN SELECT 1; END",
    "CREATE INDEX evil ON claims (subject)",
    "VACUUM",
    "VACUUM INTO '{outside}'",
    "REINDEX",
    "ANALYZE",
    "ATTACH 'file:{outside}?mode=rwc' AS evil",
    "DETACH main",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA query_only = 0",
    "PRAGMA user_version = 7",
    "BEGIN IMMEDIATE",
    "SAVEPOINT evil",
    "SELECT writefile('{outside}', 'x')",
    "SELECT fts3_tokenizer('simple')",
]


@pytest.mark.parametrize("statement", WRITES)
def test_sql_that_would_write_is_refused_and_the_file_is_unchanged(sealed, tmp_path, statement):
    outside = tmp_path / "outside.db"
    before, content = checksum(sealed), logical(sealed)
    with pytest.raises(DatabaseError) as refused:
        run_sql(sealed, statement.format(outside=outside))
    assert str(refused.value)
    assert checksum(sealed) == before and logical(sealed) == content
    assert not outside.exists()


def test_cli_sql_refuses_writes_with_a_clear_error_and_changes_no_byte(sealed, tmp_path):
    before = checksum(sealed)
    for statement in ("DELETE FROM documents", f"VACUUM INTO '{tmp_path / 'copy.db'}'",
                      "PRAGMA writable_schema = 1", "SELECT 1; DROP TABLE claims"):  # fmt: skip
        result = run_cli("query", "--db", str(sealed), "--sql", statement, cwd=tmp_path)
        assert result.returncode == 2, (statement, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.strip(), statement
    assert checksum(sealed) == before
    assert not (tmp_path / "copy.db").exists()
    assert count(sealed, "documents") > 0 and count(sealed, "claims") > 0


def test_query_and_export_read_only(sealed, tmp_path):
    """The filter paths and every export format open the database read-only."""
    before = checksum(sealed)
    for value in INJECTIONS[:3:2]:
        result = run_cli("query", "--db", str(sealed), "--format", "json", "--entity", value,
                         "--source", value, "--search", "x " + value)  # fmt: skip
        assert result.returncode == 0, result.stderr
    for fmt in ("csv", "jsonl", "parquet", "xlsx"):
        result = run_cli("export", "--db", str(sealed), "--format", fmt, "-o", f"f.{fmt}",
                         cwd=tmp_path)  # fmt: skip
        assert result.returncode == 0, result.stderr
    assert checksum(sealed) == before


def test_read_commands_never_create_a_database(tmp_path):
    missing = tmp_path / "none.db"
    for args in (["query", "--sql", "SELECT 1"], ["export", "--format", "csv", "-o",
                 "x.csv"], ["review", "list"], ["chart", "--entity", "x", "--metric",
                 "revenue", "-o", "x.svg"]):  # fmt: skip
        result = run_cli(*args, "--db", str(missing), cwd=tmp_path)
        assert result.returncode == 2 and "does not exist" in result.stderr, (args, result.stderr)
    assert files_under(tmp_path) == set()


# ---------------------------------------------------------------- chart output stays inside


def test_chart_output_outside_the_folder_is_refused(sealed, tmp_path):
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (work / "link").symlink_to(outside, target_is_directory=True)
    (work / "file.svg").symlink_to(outside / "target.svg")
    before = files_under(tmp_path)
    for path in ("../x.svg", "link/x.svg", "file.svg"):
        result = run_cli("chart", "--db", str(sealed), "--entity", "英伟达", "--metric",
                         "gross_margin", "-o", path, cwd=work)  # fmt: skip
        assert result.returncode == 2 and "outside" in result.stderr, (path, result.stderr)
    assert files_under(tmp_path) == before


# ---------------------------------------------------------------- the desk's GET routes


def desk(db: Path, **config) -> TestClient:
    app = create_app(DeskConfig(db_path=str(db), reviewer="tester", secret=b"s", **config))
    return TestClient(app, raise_server_exceptions=False)


HOSTILE_PARAMS = [
    {},
    {"status": "all", "page": "2"},
    {"page": "0"},
    {"page": "-1"},
    {"page": "²"},
    {"page": "٣"},
    {"page": "9" * 30},
    {"page": "9" * 5000},
    {"since": "x' OR 1=1 --", "until": "2024-13-45", "lang": "xx", "metric": "password"},
    {"verdict": "accepted", "csrf": csrf(), "note": "GET must not write"},
    {"q": "毛利率 OR 1=1", "entity": "英伟达'; DROP TABLE claims; --"},
    {"q": '"*" NEAR(a b)', "source": "%"},
]


@pytest.mark.parametrize("params", HOSTILE_PARAMS, ids=lambda p: ",".join(p) or "none")
def test_get_routes_change_nothing_and_never_fail(sealed, params):
    before, content = checksum(sealed), logical(sealed)
    web = desk(sealed)
    claim = a_claim(sealed)
    for path in ("/", "/queue", f"/claim/{claim}", "/claim/x' OR 1=1", "/audit", "/chart",
                 "/chart.svg", "/healthz", "/static/desk.css"):  # fmt: skip
        for method in ("GET", "HEAD"):
            response = web.request(method, path, params=params, follow_redirects=False)
            assert response.status_code < 500, (method, path, params, response.text[:300])
    assert web.get(f"/claim/{claim}/review", params=params).status_code == 405
    assert checksum(sealed) == before and logical(sealed) == content
    assert count(sealed, "reviews") == 0


def test_other_methods_on_read_routes_are_refused(sealed):
    before = checksum(sealed)
    web = desk(sealed)
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/queue", f"/claim/{a_claim(sealed)}", "/audit", "/chart.svg"):
            assert web.request(method, path, data={"csrf": csrf()}).status_code == 405
    assert checksum(sealed) == before


def test_static_files_do_not_leak_the_source(sealed):
    web = desk(sealed)
    for path in ("/static/../web.py", "/static/%2e%2e/web.py", "/static/..%2fweb.py",
                 "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static//etc/passwd"):  # fmt: skip
        response = web.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert "def create_app" not in response.text and "root:" not in response.text


def test_a_token_or_csrf_value_that_is_not_ascii_is_refused_not_a_crash(sealed):
    guarded = desk(sealed, token="s3cret")
    assert guarded.get("/queue", params={"token": "é"}).status_code == 401
    assert guarded.get("/queue", headers={"authorization": b"Bearer \xc3\xa9"}).status_code == 401
    open_desk = desk(sealed)
    claim = a_claim(sealed)
    posted = open_desk.post(f"/claim/{claim}/review", data={"verdict": "accepted", "csrf": "é"})
    assert posted.status_code == 403
    posted = open_desk.post(f"/claim/{claim}/review", data={"verdict": "accepted"},
                            headers={"x-csrf-token": b"\xc3\xa9"})  # fmt: skip
    assert posted.status_code == 403
    assert count(sealed, "reviews") == 0


def test_a_loopback_desk_refuses_other_host_names(sealed):
    """DNS rebinding: a page on evil.example whose name now points to 127.0.0.1 is on
    the same origin as the desk; only the loopback names may reach it."""
    web = desk(sealed, hosts=("127.0.0.1", "localhost", "::1"))
    page = web.get("/queue", headers={"host": "127.0.0.1:8001"})
    assert page.status_code == 200
    assert web.get("/queue", headers={"host": "localhost:8001"}).status_code == 200
    assert web.get("/queue", headers={"host": "[::1]:8001"}).status_code == 200
    for host in ("evil.example:8001", "evil.example", "127.0.0.1.evil.example", "127.0.0.1:x"):
        assert web.get("/queue", headers={"host": host}).status_code == 421, host
        posted = web.post(f"/claim/{a_claim(sealed)}/review",
                          data={"verdict": "accepted", "csrf": csrf()},
                          headers={"host": host, "origin": f"http://{host}"})  # fmt: skip
        assert posted.status_code == 421, host
    assert count(sealed, "reviews") == 0


# ---------------------------------------------------------------- newsfacts serve binds


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def listening_addresses(pid: int) -> set[str]:
    """host:port of the TCP sockets process `pid` listens on (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table, width in (("tcp", 4), ("tcp6", 16)):
        path = Path(f"/proc/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A" or fields[9] not in inodes:  # 0A: LISTEN
                continue
            address, port = fields[1].split(":")
            raw = bytes.fromhex(address)
            if width == 4:
                host = socket.inet_ntop(socket.AF_INET, raw[::-1])
            else:
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                host = socket.inet_ntop(socket.AF_INET6, words)
            found.add(f"{host}:{int(port, 16)}")
    return found


def get(url: str, headers: dict[str, str] | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}),
                                    timeout=10) as response:  # fmt: skip
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def serving(args: list[str], tmp_path: Path, host: str, port: int) -> subprocess.Popen:
    server = start(["serve", *args], log=tmp_path / "serve.log")
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(f"http://{host}:{port}/healthz") == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            kill_all([server.pid])
            raise AssertionError((tmp_path / "serve.log").read_text())
        time.sleep(0.2)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        kill_all([server.pid])
        server.wait(timeout=10)


def test_serve_listens_on_loopback_only_by_default(sealed, tmp_path):
    port = free_port()
    server = serving(["--db", str(sealed), "--port", str(port)], tmp_path, "127.0.0.1", port)
    try:
        assert listening_addresses(server.pid) == {f"127.0.0.1:{port}"}
        assert get(f"http://127.0.0.1:{port}/queue") == 200
        assert get(f"http://127.0.0.1:{port}/queue", {"host": "evil.example"}) == 421
    finally:
        stop(server)


def test_serve_beyond_loopback_requires_a_token(sealed, tmp_path):
    """127.0.0.2 is not one of the loopback names the desk trusts (the test stays on
    this machine all the same): a token is generated and every page asks for it."""
    port = free_port("127.0.0.2")
    server = serving(["--db", str(sealed), "--host", "127.0.0.2", "--port", str(port)],
                     tmp_path, "127.0.0.2", port)  # fmt: skip
    try:
        assert listening_addresses(server.pid) == {f"127.0.0.2:{port}"}
        log = (tmp_path / "serve.log").read_text()
        assert "token required" in log
        token = log.split("token=", 1)[1].split()[0]
        assert len(token) >= 24
        base = f"http://127.0.0.2:{port}"
        for path in ("/", "/queue", "/audit", f"/claim/{a_claim(sealed)}", "/chart"):
            assert get(base + path) == 401, path
            assert get(f"{base}{path}?token=wrong") == 401, path
        assert get(f"{base}/queue?token={token}") == 200
        assert get(f"{base}/audit", {"authorization": f"Bearer {token}"}) == 200
    finally:
        stop(server)
    server = serving(["--db", str(sealed), "--host", "127.0.0.2", "--port", str(port),
                      "--token", "given-token"], tmp_path, "127.0.0.2", port)  # fmt: skip
    try:
        assert get(f"http://127.0.0.2:{port}/queue") == 401
        assert get(f"http://127.0.0.2:{port}/queue?token=given-token") == 200
    finally:
        stop(server)
    assert count(sealed, "reviews") == 0


def test_serve_of_a_missing_database_creates_nothing(tmp_path):
    result = subprocess.run(newsfacts("serve", "--db", str(tmp_path / "none.db"), "--port", "0"),
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert files_under(tmp_path) == set()
