"""axe-core (via axe-playwright-python) finds no violation on any page of the built real site, in
the light and the dark colour scheme, nor with a citation preview or the search results open."""

from __future__ import annotations

from typing import Any

import pytest


def _violations(axe: Any, page: Any) -> list[str]:
    results = axe.run(page)
    return [f"{v['id']}: {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}" for v in results.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_axe_violations(axe: Any, new_page: Any, site_url: str, site_pages: list[str], scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    found = {}
    for path in site_pages:
        page.goto(site_url + path)
        violations = _violations(axe, page)
        if violations:
            found[path or "/"] = violations
    assert found == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_citation_preview_and_search_results_have_no_axe_violations(axe: Any, new_page: Any, site_url: str, scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    page.goto(site_url)
    page.goto(page.eval_on_selector("nav.topics a", "a => a.href"))
    cite = page.locator("sup.cite > a").first
    cite.focus()
    page.locator("#popover").wait_for(state="visible")
    with_preview = _violations(axe, page)
    page.fill("#search-input", "ketamine")
    page.locator(".search-result").first.wait_for()
    with_results = _violations(axe, page)
    assert (with_preview, with_results) == ([], [])
