"""Browser fixtures: Debian's Chromium driven by Playwright, against sites served on loopback.

Where Chromium or Playwright is missing the browser tests skip with a reason saying how to install
them; under CI (`CI=true`) a missing browser is a failure instead, so a skipped browser test can
never pass for a green run.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = "install Debian's Chromium (apt-get install chromium) and the test extra (pip install -e '.[test]')"


def _missing_browser() -> str:
    if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
        return f"{CHROMIUM} not found: {INSTALL_HINT}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"playwright is not installed: {INSTALL_HINT}"
    return ""


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _missing_browser()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on a free loopback port; returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- the real site, built once per session (with its search index) and served on loopback ------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built once, search index included, into a temporary folder."""
    from sitegen.pipeline import build
    from sitegen.write.search import index_site

    out = tmp_path_factory.mktemp("real-site") / "site"
    build(PROJECT_ROOT, out_dir=out, before_swap=index_site)
    return out


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The URL of the built real site on a loopback server."""
    server, url = serve_folder(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every HTML page of the built site as a URL path relative to the site root ("", "mechanisms/", "404.html")."""
    pages = []
    for path in sorted(built_site.rglob("*.html")):
        relative = path.relative_to(built_site).as_posix()
        if relative.startswith("pagefind/"):
            continue
        pages.append(relative.removesuffix("index.html"))
    return pages


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Opens a page in a fresh browser context (keyword arguments go to `new_context`); all are closed after the test."""
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def require(module: str) -> Any:
    """Import a test-only module; where it is missing, skip with the install hint (fail under CI)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        message = f"{module} is not installed: {INSTALL_HINT}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def axe() -> Any:
    """axe-core's runner (PyPI axe-playwright-python)."""
    return require("axe_playwright_python.sync_playwright").Axe()
