"""A misbehaving news site on 127.0.0.1 for the network rows N1–N16 of the fault matrix.

Each route is a small function; the server records every request (path and
time) so that tests can assert what was, and was not, asked for.
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli

from tests.crawler.pdfs import tiny_pdf

ARTICLE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>
<body><nav>Home | Chips | AI</nav><article><h1>{title}</h1>
<p>{body}</p><p>{body}</p><p>Analysts expect demand to stay strong through the end of the year.</p>
</article><footer>(c) Fault Times</footer></body></html>"""


def article(title: str, body: str, charset: str = "utf-8") -> str:
    return ARTICLE.format(title=title, body=body, charset=charset)


@dataclass
class Hit:
    path: str
    at: float
    headers: dict[str, str]


@dataclass
class FaultSite:
    routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = field(default_factory=dict)
    robots: Callable[[BaseHTTPRequestHandler], None] | None = None
    hits: list[Hit] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    base: str = ""

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)

    def times(self, path: str) -> list[float]:
        return [h.at for h in self.hits if h.path == path]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"",
         content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:  # fmt: skip
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    if body:
        handler.wfile.write(body)


def html(text: str, status: int = 200, **headers: str) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda h: send(h, status, text.encode("utf-8"), headers=headers)


def raw(body: bytes, content_type: str, **headers: str) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda h: send(h, 200, body, content_type, headers)


def flaky(
    site: FaultSite, key: str, failures: int, good: str
) -> Callable[[BaseHTTPRequestHandler], None]:
    """500 `failures` times, then the page (N1)."""

    def route(h: BaseHTTPRequestHandler) -> None:
        site.counters[key] = site.counters.get(key, 0) + 1
        if site.counters[key] <= failures:
            send(h, 500, b"server error")
        else:
            send(h, 200, good.encode())

    return route


def too_many_requests(
    site: FaultSite, key: str, wait: int, good: str
) -> Callable[[BaseHTTPRequestHandler], None]:
    """429 with Retry-After the first time, then the page (N2)."""

    def route(h: BaseHTTPRequestHandler) -> None:
        site.counters[key] = site.counters.get(key, 0) + 1
        if site.counters[key] == 1:
            send(h, 429, b"slow down", headers={"Retry-After": str(wait)})
        else:
            send(h, 200, good.encode())

    return route


def hang_after_headers(h: BaseHTTPRequestHandler) -> None:
    """Headers, then nothing (N3)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.flush()
    time.sleep(30)


def no_response(h: BaseHTTPRequestHandler) -> None:
    """Accept, then never answer (N3)."""
    time.sleep(30)


def drip(h: BaseHTTPRequestHandler) -> None:
    """One byte a second (N4)."""
    body = article("Drip", "Nvidia gross margin was 75.1% in the quarter.").encode()
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    try:
        for byte in body[:40]:
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(1)
    except OSError:
        pass


def reset_mid_body(h: BaseHTTPRequestHandler) -> None:
    """Headers promising 5,000 bytes, 200 of them, then a TCP reset (N5)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", "5000")
    h.end_headers()
    h.wfile.write(article("Truncated", "AMD revenue rose 9% to $5.8 billion.").encode()[:200])
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()


def redirect(to: str) -> Callable[[BaseHTTPRequestHandler], None]:
    return lambda h: send(h, 302, b"", headers={"Location": to})


def huge(h: BaseHTTPRequestHandler) -> None:
    """A 40 MB page (N7)."""
    size = 40 * 1024 * 1024
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(size))
    h.end_headers()
    chunk = b"<p>" + b"x" * 65_530 + b"</p>"
    try:
        for _ in range(size // len(chunk)):
            h.wfile.write(chunk)
    except OSError:
        pass


def bomb(encoding: str) -> Callable[[BaseHTTPRequestHandler], None]:
    """200 MB of zeros, compressed to well under a megabyte (N8)."""
    payload = b"\0" * (200 * 1024 * 1024)
    if encoding == "gzip":
        body = gzip.compress(payload, compresslevel=9)
    elif encoding == "br":
        body = brotli.compress(payload, quality=5)
    else:
        body = zlib.compress(payload, 9)

    def route(h: BaseHTTPRequestHandler) -> None:
        send(h, 200, body, headers={"Content-Encoding": encoding})

    return route


def pdf_as_html(h: BaseHTTPRequestHandler) -> None:
    send(
        h, 200, tiny_pdf("Nvidia gross margin was 75.1 percent in the second quarter."), "text/html"
    )


def png_as_html(h: BaseHTTPRequestHandler) -> None:
    send(h, 200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "text/html")


class _Handler(BaseHTTPRequestHandler):
    site: FaultSite
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path
        self.site.hits.append(
            Hit(path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()})
        )
        if path == "/robots.txt":
            if self.site.robots is not None:
                self.site.robots(self)
            else:
                send(self, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            return
        route = self.site.routes.get(path)
        if route is None:
            send(self, 404, b"not found")
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def serve(site: FaultSite) -> Iterator[FaultSite]:
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
