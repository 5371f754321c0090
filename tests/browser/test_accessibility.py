"""axe-core (via axe-playwright-python) finds no violation on any page of each checked site (the
project's own, `example`, and the one `sitegen new` writes, `demo`), in the light and the dark
colour scheme, nor with a citation preview or the search results open."""

from __future__ import annotations

from typing import Any

import pytest
from served_sites import ServedSite


def _violations(axe: Any, page: Any) -> list[str]:
    results = axe.run(page)
    return [f"{v['id']}: {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}" for v in results.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_axe_violations(axe: Any, new_page: Any, each_site: ServedSite, scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    found = {}
    for path in each_site.pages:
        page.goto(each_site.url + path)
        violations = _violations(axe, page)
        if violations:
            found[path or "/"] = violations
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_citation_preview_and_search_results_have_no_axe_violations(axe: Any, new_page: Any, each_site: ServedSite, scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    page.goto(each_site.url)
    page.goto(page.eval_on_selector("nav.topics a", "a => a.href"))
    cite = page.locator("sup.cite > a").first
    cite.focus()
    page.locator("#popover").wait_for(state="visible")
    with_preview = _violations(axe, page)
    page.fill("#search-input", _longest_word_of_the_title(page))
    page.locator(".search-result").first.wait_for()
    with_results = _violations(axe, page)
    assert (with_preview, with_results) == ([], [])


def _longest_word_of_the_title(page: Any) -> str:
    """A word the search index holds: the longest in the page's main heading."""
    return max(page.locator("h1").first.inner_text().split(), key=len)
