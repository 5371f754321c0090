"""Figures in the browser, on the example site's pages that have them: no axe violation in the light and
the dark colour scheme (the table of values open too), no Nu error, a figure's citation opens the same
preview as the text's, and a figure fits a 360-pixel screen with text still readable."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from served_sites import ServedSite

FIGURE_PAGES = ["migraine-stages/", "evidence/"]


def _html_validity() -> Any:
    """The module of the Nu checks, for the one place that finds the checker."""
    spec = importlib.util.spec_from_file_location("html_validity", Path(__file__).with_name("test_html_validity.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_site_has_a_figure_on_each_page_named(new_page: Any, example_site: ServedSite) -> None:
    page = new_page()
    kinds = {}
    for path in FIGURE_PAGES:
        page.goto(example_site.url + path)
        kinds[path] = page.locator("figure.figure svg [role=img]").count()
    assert kinds == {path: 1 for path in FIGURE_PAGES}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_with_figures_have_no_axe_violations_with_the_values_shown_or_not(axe: Any, new_page: Any, example_site: ServedSite, scheme: str) -> None:
    page = new_page(color_scheme=scheme)
    found = {}
    for path in FIGURE_PAGES:
        page.goto(example_site.url + path)
        closed = axe.run(page).response["violations"]
        page.locator(".figure-data summary").first.click()
        opened = axe.run(page).response["violations"]
        found[path] = sorted({v["id"] for v in closed + opened})
    assert found == {path: [] for path in FIGURE_PAGES}


def test_pages_with_figures_have_no_nu_errors(example_site: ServedSite) -> None:
    jar, java = _html_validity().find_vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("the Nu Html Checker or java is missing")
        pytest.skip("the Nu Html Checker or java is missing")
    pages = [str(example_site.folder / path / "index.html") for path in FIGURE_PAGES]
    done = subprocess.run([str(java), "-jar", str(jar), "--errors-only", "--format", "json", *pages], capture_output=True, text=True, check=False)
    messages = json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []


def test_a_figure_citation_opens_the_preview_of_its_reference(new_page: Any, example_site: ServedSite) -> None:
    page = new_page()
    page.goto(example_site.url + "evidence/")
    link = page.locator("figure svg .cite a").first
    number = link.text_content()
    link.hover(force=True)  # Playwright's own check takes the SVG for what the pointer meets; the real pointer meets the link
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    assert popover.locator(".popover-number").text_content() == f"Reference {number}"


def test_a_figure_citation_links_the_reference_list(new_page: Any, example_site: ServedSite) -> None:
    page = new_page()
    page.goto(example_site.url + "migraine-stages/")
    href = page.locator("figure svg .cite a").first.get_attribute("href")
    assert href and page.locator(f"li{href}").count() == 1


@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_a_figure_fits_a_phone_screen_with_readable_text(new_page: Any, example_site: ServedSite, path: str) -> None:
    page = new_page(viewport={"width": 360, "height": 740})
    page.goto(example_site.url + path)
    svg = page.locator("figure.figure svg").first.bounding_box()
    smallest = page.eval_on_selector("figure.figure svg", "svg => Math.min(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height))")
    assert svg["x"] >= 0 and svg["x"] + svg["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert smallest >= 11  # pixels: a 13-unit label drawn at the phone's scale
