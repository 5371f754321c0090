"""The preview of a citation with a locator names the part that use cites, not the parts of the other
uses of the same publication; a use without one names none."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from projects import COMPLETE, page, write_project
from served_sites import ServedSite, serving

from sitegen.pipeline import build

BIBLIOGRAPHY = "smith2020:\n  authors: [Smith J]\n  year: 2020\n  title: A study\n  journal: J Test\n  doi: 10.1/x\n"
BODY = 'One [@smith2020, abstract].\n\nTwo [@smith2020, "Table <b>2</b>"].\n\nThree [@smith2020].\n'


@pytest.fixture(scope="module")
def located_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    base = tmp_path_factory.mktemp("locator-site")
    project = write_project(base / "project", {**COMPLETE, "located.md": page("Located", BODY, order=1)})
    (project / "content" / "references.yaml").write_text(BIBLIOGRAPHY, encoding="utf-8")
    build(project, out_dir=base / "site")
    with serving(base / "site") as site:
        yield site


def preview_of(new_page: Any, site: ServedSite, anchor: str) -> str:
    page = new_page()
    page.goto(site.url + "located/")
    page.locator(f"#{anchor} > a").focus()
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    return popover.inner_text()


def test_the_preview_names_the_part_its_use_cites(new_page: Any, located_site: ServedSite) -> None:
    text = preview_of(new_page, located_site, "cite-1-2")
    assert "Part cited: \u201cTable <b>2</b>\u201d" in text
    assert "abstract" not in text


def test_the_preview_of_a_use_without_a_locator_names_no_part(new_page: Any, located_site: ServedSite) -> None:
    text = preview_of(new_page, located_site, "cite-1-3")
    assert "Smith J. A study." in text and "Part cited" not in text
