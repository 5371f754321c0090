"""The dev server in a real browser: edits show up by themselves, errors show in the page, and the
site comes back when they are fixed."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from serving import ServeProcess

TOPIC = "---\ntitle: A topic\norder: 1\nreviewed: 2026-01-15\n---\n## Facts {{#facts}}\n\n{text} [@001:p4].\n"
WAIT_MS = 15_000

# Records, in the tab's sessionStorage, the edit number each loaded page shows: it survives reloads.
RECORD_LOADS = """
window.addEventListener("DOMContentLoaded", () => {
  const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
  const match = document.body.innerText.match(/Edit number (\\d+)\\./);
  seen.push(match ? Number(match[1]) : null);
  sessionStorage.setItem("seen", JSON.stringify(seen));
});
"""


@pytest.fixture
def served(make_project: Callable[..., Path]) -> Iterator[ServeProcess]:
    root = make_project(pages={
        "index.md": "---\ntitle: Home\n---\nWelcome [@001:p2].\n",
        "topic.md": TOPIC.format(text="A first fact"),
    })
    with ServeProcess(root) as running:
        yield running.ready()
        running.stop()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def open_live(page: object, url: str) -> None:
    """Open `url` and wait until its live-reload connection is registered with the server."""
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))  # type: ignore[attr-defined]
    page.goto(url)  # type: ignore[attr-defined]
    deadline = time.monotonic() + WAIT_MS / 1000
    while not any('"info"' in frame for frame in sent):
        assert time.monotonic() < deadline, "the page never connected to the live-reload server"
        page.wait_for_timeout(20)  # type: ignore[attr-defined]
    page.wait_for_timeout(100)  # type: ignore[attr-defined]


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_markdown_edit_shows_in_the_open_page(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    open_live(page, served.url + "topic/")
    edit(served.project / "content" / "topic.md", TOPIC.format(text="A freshly edited fact"))
    expect(page.locator("main")).to_contain_text("A freshly edited fact", timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_ten_edits_half_a_second_apart_all_arrive(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    page.add_init_script(RECORD_LOADS)  # type: ignore[attr-defined]
    open_live(page, served.url + "topic/")
    started = time.monotonic()
    for number in range(1, 11):
        time.sleep(max(0.0, started + 0.5 * number - time.monotonic()))
        edit(served.project / "content" / "topic.md", TOPIC.format(text=f"Edit number {number}."))
    expect(page.locator("main")).to_contain_text("Edit number 10.", timeout=WAIT_MS)  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")  # type: ignore[attr-defined]
    shown = [n for i, n in enumerate(seen) if n is not None and (i == 0 or seen[i - 1] != n)]
    assert shown == list(range(1, 11))


def test_broken_front_matter_shows_the_error_page_naming_the_file(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    open_live(page, served.url + "topic/")
    edit(served.project / "content" / "topic.md", "---\ntitle: [unclosed\n---\nBody.\n")
    expect(page.locator("h1")).to_contain_text("Build failed", timeout=WAIT_MS)  # type: ignore[attr-defined]
    expect(page.locator("main")).to_contain_text("content/topic.md:")  # type: ignore[attr-defined]


def test_fixing_the_broken_file_brings_the_page_back(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    open_live(page, served.url + "topic/")
    topic = served.project / "content" / "topic.md"
    edit(topic, "---\ntitle: [unclosed\n---\nBody.\n")
    expect(page.locator("h1")).to_contain_text("Build failed", timeout=WAIT_MS)  # type: ignore[attr-defined]
    edit(topic, TOPIC.format(text="A repaired fact"))
    expect(page.locator("main")).to_contain_text("A repaired fact", timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_terminal_prints_the_same_problem_line(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    open_live(page, served.url + "topic/")
    start = len(served.lines)
    edit(served.project / "content" / "topic.md", "---\ntitle: [unclosed\n---\nBody.\n")
    line = served.wait_for("content/topic.md:", start=start)
    expect(page.locator("main")).to_contain_text(line, timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_template_edit_updates_the_pages_using_it(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    open_live(page, served.url + "topic/")
    template = served.project / "templates" / "page.html"
    text = template.read_text(encoding="utf-8")
    edit(template, text.replace("<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1><p>Template marker</p>", 1))
    expect(page.locator("main")).to_contain_text("Template marker", timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_seed_edit_updates_the_pages_citing_it(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    open_live(page, served.url + "topic/")
    seeds = served.project / "seeds"
    old_text = (seeds / "001_example.txt").read_bytes()
    new_text = old_text.replace(b"with a fact worth citing.", b"with a revised fact.")
    assert new_text != old_text
    sources = (seeds / "sources.yaml").read_text(encoding="utf-8")
    (seeds / "001_example.txt").write_bytes(new_text)
    edit(seeds / "sources.yaml", sources.replace(hashlib.sha256(old_text).hexdigest(), hashlib.sha256(new_text).hexdigest()))
    expect(page.locator("main")).to_contain_text("with a revised fact.", timeout=WAIT_MS)  # type: ignore[attr-defined]


def test_missing_url_shows_the_site_404_page(served: ServeProcess, page: object) -> None:
    from playwright.sync_api import expect

    response = page.goto(served.url + "no/such/page/")  # type: ignore[attr-defined]
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")  # type: ignore[attr-defined]


def test_live_reload_script_runs_under_the_page_security_policy(served: ServeProcess, page: object) -> None:
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)  # type: ignore[attr-defined]
    open_live(page, served.url)
    assert violations == []
