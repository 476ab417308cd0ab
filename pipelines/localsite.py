"""A small HTTP server on 127.0.0.1 for the bundled sample sites (demo and tests).

It serves a folder, answers /robots.txt with "allow everything" when the
folder has none, and writes its own address where feeds and sitemaps say
`__BASE__` (they need absolute URLs, and the port is only known at start).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PLACEHOLDER = b"__BASE__"


class _Handler(SimpleHTTPRequestHandler):
    base: str = ""
    hits: Counter[str] | None = None

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.hits is not None:
            self.hits[self.path] += 1
        if (
            self.path.split("?")[0] == "/robots.txt"
            and not (Path(self.directory) / "robots.txt").exists()
        ):
            self._send(b"User-agent: *\nAllow: /\n", "text/plain")
            return
        target = Path(self.translate_path(self.path))
        if target.is_file() and target.suffix in (".xml", ".rss", ".atom"):
            body = target.read_bytes().replace(PLACEHOLDER, self.base.encode())
            self._send(body, "application/xml; charset=utf-8")
            return
        super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve_folder(folder: Path, port: int = 0, hits: Counter[str] | None = None) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 in a background thread; yields the base URL.
    `hits`, when given, counts the requests per path."""
    handler: type[_Handler] = type("Handler", (_Handler,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(folder)))
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="newsfacts-localsite", daemon=True)
    thread.start()
    try:
        yield handler.base
    finally:
        server.shutdown()
        server.server_close()


def write_sitemap(folder: Path, paths: list[str], lastmod: str | None = None) -> None:
    """A sitemap.xml in `folder` listing `paths` (relative to it) under `__BASE__`,
    which `serve_folder` replaces with its own address."""
    stamp = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    urls = "".join(f"<url><loc>__BASE__/{p}</loc>{stamp}</url>\n" for p in paths)
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n',
        encoding="utf-8",
    )
