"""Citation previews and glossary definitions, on a small site built for them (`theme_site`): shown
on hover and on keyboard focus, closed with Escape, read from the page itself; without JavaScript
the links still work."""

from __future__ import annotations

from typing import Any

import pytest
from served_sites import ServedSite


@pytest.fixture(scope="module")
def topic_url(browser: Any, theme_site: ServedSite) -> str:
    """A topic page (from the navigation) with both citations and glossary terms."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(theme_site.url)
    for href in page.eval_on_selector_all("nav.topics a", "links => links.map(a => a.href)"):
        page.goto(href)
        if page.locator("sup.cite > a").count() and page.locator("a.term").count():
            context.close()
            return href
    context.close()
    pytest.fail("no topic page has both citations and glossary terms")


def test_focusing_a_glossary_term_shows_its_definition(new_page: Any, topic_url: str) -> None:
    page = new_page()
    page.goto(topic_url)
    term = page.locator("a.term").first
    definition = term.get_attribute("data-definition")
    term.focus()
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    assert definition and definition in popover.inner_text()
    assert term.get_attribute("aria-describedby") == "popover"


def test_escape_closes_the_popover_and_keeps_focus(new_page: Any, topic_url: str) -> None:
    page = new_page()
    page.goto(topic_url)
    page.locator("a.term").first.focus()
    page.locator("#popover").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("#popover").wait_for(state="hidden")
    assert page.evaluate("document.activeElement.matches('a.term')")


def test_moving_the_mouse_away_closes_the_citation_preview(new_page: Any, topic_url: str) -> None:
    page = new_page(viewport={"width": 1280, "height": 800})
    page.goto(topic_url)
    page.locator("sup.cite > a").first.hover()
    page.locator("#popover").wait_for(state="visible")
    page.mouse.move(5, 790)
    page.locator("#popover").wait_for(state="hidden")


def test_preview_of_a_promotional_source_carries_the_label(new_page: Any, theme_site: ServedSite) -> None:
    page = new_page()
    for path in theme_site.pages:
        page.goto(theme_site.url + path)
        promotional = page.locator("section.references li:has(.label-promotional)")
        if promotional.count():
            number = promotional.first.get_attribute("id")
            page.locator(f'sup.cite > a[href="#{number}"]').first.focus()
            page.locator("#popover").wait_for(state="visible")
            assert page.locator("#popover .label-promotional").is_visible()
            return
    pytest.fail("no page cites a promotional source")


def test_without_javascript_citations_and_terms_still_lead_somewhere(new_page: Any, topic_url: str) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(topic_url)
    targets = page.eval_on_selector_all("sup.cite > a", "links => links.map(a => a.getAttribute('href'))")
    assert targets and all(page.locator(t).count() == 1 for t in set(targets))
    term = page.locator("a.term").first
    assert term.get_attribute("title")
    assert "glossary/#" in (term.get_attribute("href") or "")


@pytest.mark.parametrize(("motion", "animated"), [("no-preference", True), ("reduce", False)])
def test_popover_animates_only_without_a_reduced_motion_preference(new_page: Any, topic_url: str, motion: str, animated: bool) -> None:
    page = new_page(reduced_motion=motion)
    page.goto(topic_url)
    page.locator("sup.cite > a").first.focus()
    page.locator("#popover").wait_for(state="visible")
    assert (page.eval_on_selector("#popover", "p => getComputedStyle(p).animationName") != "none") is animated
