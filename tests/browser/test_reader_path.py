"""A reader's path through the built real site, by mouse and by keyboard: home → a topic by the
navigation → a citation's preview shows the quoted passage → its link (in the preview for the
mouse, in the reference list for the keyboard) leads to the highlighted passage on the source page →
that passage's "cited on" link returns to the exact citation.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import pytest

MAX_TABS = 80


@pytest.fixture(scope="module")
def topic(browser: Any, site_url: str) -> dict[str, str]:
    """The first topic in the navigation whose first citation quotes a seed passage."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    hrefs = page.eval_on_selector_all("nav.topics a", "links => links.map(a => a.getAttribute('href'))")
    for href in hrefs:
        page.goto(site_url + href)
        first = page.locator("sup.cite > a").first
        if first.count() and page.locator(page.eval_on_selector("sup.cite > a", "a => a.getAttribute('href')") + " blockquote").count():
            ref = first.get_attribute("href")
            found = {
                "href": href,
                "path": urljoin(site_url, href).removeprefix(site_url),
                "cite_id": page.eval_on_selector("sup.cite", "s => s.id"),
                "ref": ref,
                "quote": page.locator(f"{ref} blockquote").first.inner_text().strip(),
            }
            context.close()
            return found
    context.close()
    pytest.fail("no topic page in the navigation cites a seed passage")


def _highlight(page: Any, selector: str) -> tuple[str, str]:
    """The background colour of the element matched by `selector` and that of the page."""
    return (
        page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor"),
        page.evaluate("getComputedStyle(document.body).backgroundColor"),
    )


def _tab_to(page: Any, test: str) -> None:
    """Press Tab until the focused element satisfies the JavaScript predicate `test` (given `e`)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({test}); }})()"):
            return
    pytest.fail(f"no focusable element matching {test} within {MAX_TABS} tabs")


def test_reader_path_by_mouse(new_page: Any, site_url: str, topic: dict[str, str]) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url)
    page.locator(f'nav.topics a[href="{topic["href"]}"]').click()
    page.wait_for_url(site_url + topic["path"])  # and its load: the previews are the script's

    cite = page.locator("sup.cite > a").first
    cite.hover()
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    assert topic["quote"] in popover.inner_text()

    popover.locator("a.ref-passage").click()  # one click from the preview to the passage itself
    page.wait_for_url(re.compile(r"/sources/[^/]+/#p\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target, body = _highlight(page, f"#{anchor}")
    assert target != body

    back = page.locator(f'#{anchor} .cited-on a.backref[href$="{topic["path"]}#{topic["cite_id"]}"]')
    back.click()
    page.wait_for_url(site_url + topic["path"] + "#" + topic["cite_id"])
    assert page.evaluate("document.querySelector(':target').id") == topic["cite_id"]


def test_reader_path_by_keyboard(new_page: Any, site_url: str, topic: dict[str, str]) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url)
    _tab_to(page, f'e.matches(\'nav.topics a[href="{topic["href"]}"]\')')
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + topic["path"])

    _tab_to(page, "e.matches('sup.cite > a')")
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    assert topic["quote"] in popover.inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "popover"
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(topic["ref"]) + "$"))  # Playwright learns of a same-page navigation by an event, not at once
    _tab_to(page, "e.matches('a.ref-passage')")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sources/[^/]+/#p\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target, body = _highlight(page, f"#{anchor}")
    assert target != body

    _tab_to(page, f'e.matches("a.backref") && e.getAttribute("href").endsWith("{topic["path"]}#{topic["cite_id"]}")')
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + topic["path"] + "#" + topic["cite_id"])
    assert page.evaluate("document.querySelector(':target').id") == topic["cite_id"]
