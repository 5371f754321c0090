"""Test helper: a built site served from a loopback server, with every HTML page it holds."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on a free loopback port; returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@dataclass(frozen=True)
class ServedSite:
    """A built site on a loopback server: its folder, its URL and every HTML page as a URL path."""

    folder: Path
    url: str
    pages: list[str]


def html_pages(folder: Path) -> list[str]:
    """Every HTML page of the built site at `folder` as a URL path relative to the site root ("",
    "mechanisms/", "404.html"); the search bundle is not a page."""
    pages = []
    for path in sorted(folder.rglob("*.html")):
        relative = path.relative_to(folder).as_posix()
        if relative.startswith("pagefind/"):
            continue
        pages.append(relative.removesuffix("index.html"))
    return pages


def build_with_search(project: Path, out: Path) -> Path:
    """The project at `project` built, search index included, into `out`."""
    from sitegen.pipeline import build

    build(project, out_dir=out, search=True)
    return out


@contextmanager
def serving(folder: Path) -> Iterator[ServedSite]:
    """The built site at `folder`, served on loopback for as long as the `with` block lasts."""
    server, url = serve_folder(folder)
    try:
        yield ServedSite(folder, url, html_pages(folder))
    finally:
        server.shutdown()
        server.server_close()
