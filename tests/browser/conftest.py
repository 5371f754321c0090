"""Browser fixtures: Debian's Chromium driven by Playwright, against sites served on loopback.

Where Chromium or Playwright is missing the browser tests skip with a reason saying how to install
them; under CI (`CI=true`) a missing browser is a failure instead, so a skipped browser test can
never pass for a green run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from projects import COMPLETE, page, write_project
from served_sites import ServedSite, build_with_search, serving

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


# --- the sites checked: the project's own (`example`) and a new one from `sitegen new` (`demo`) ------

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project this repository holds, built once, search index included, into a temporary folder."""
    return build_with_search(PROJECT_ROOT, tmp_path_factory.mktemp("real-site") / "site")


@pytest.fixture(scope="session")
def example_site(built_site: Path) -> Iterator[ServedSite]:
    """The project this repository holds, built and served."""
    with serving(built_site) as site:
        yield site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The project `sitegen new` writes, untouched, built (search index included) and served."""
    from sitegen.commands.new import new_project

    base = tmp_path_factory.mktemp("demo-site")
    new_project(base / "demo")
    with serving(build_with_search(base / "demo", base / "site")) as site:
        yield site


# Pages whose words are known, for the tests of what the theme's scripts do (previews, definitions,
# search): "receptor" is on both topics, most on the first; "aura" only on the second; the seed
# (projects.SEED_TEXT) is promotional, and "molecule" is a glossary term.
THEME_PAGES = {
    **COMPLETE,
    "receptors.md": page(
        "Receptors",
        "## Binding {#binding}\n\nA receptor binds a molecule [@001:p4]. The receptor then changes shape [@001:p2].\n\n"
        "## Receptor types {#receptor-types}\n\nEach receptor type answers to one signal [@001:p4].\n",
        order=1,
    ),
    "stages.md": page("Stages", "## Aura {#aura}\n\nAn aura comes first; one receptor is named in it [@001:p2].\n", order=2),
}
THEME_GLOSSARY = '- term: molecule\n  definition: "The smallest unit of a substance."\n'


@pytest.fixture(scope="session")
def theme_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """A small project with known words, citations of a promotional seed and a glossary term, built
    (search index included) and served."""
    base = tmp_path_factory.mktemp("theme-site")
    project = write_project(base / "project", THEME_PAGES)
    (project / "content" / "glossary.yaml").write_text(THEME_GLOSSARY, encoding="utf-8")
    with serving(build_with_search(project, base / "site")) as site:
        yield site


@pytest.fixture(scope="session", params=["example", "demo"])
def each_site(request: pytest.FixtureRequest) -> ServedSite:
    """Each site the theme is checked on, in turn: the project's own and a new one."""
    return request.getfixturevalue(f"{request.param}_site")


@pytest.fixture(scope="session")
def site_url(example_site: ServedSite) -> str:
    """The URL of the built real site on a loopback server."""
    return example_site.url


@pytest.fixture(scope="session")
def site_pages(example_site: ServedSite) -> list[str]:
    """Every HTML page of the built site as a URL path relative to the site root ("", "mechanisms/", "404.html")."""
    return example_site.pages


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
