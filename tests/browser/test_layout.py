"""Layout of the built real site: no horizontal scrolling at 360 px (on the new site too), light and
dark schemes, a print stylesheet, and screenshots of the home page and a topic page (desktop and phone, light and dark)
saved into `test-artifacts/screenshots/` for people to look at."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from served_sites import ServedSite

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def _first_topic(page: Any, site_url: str) -> str:
    page.goto(site_url)
    return page.eval_on_selector("nav.topics a", "a => a.href")


def _png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_no_page_scrolls_sideways_at_360_px(new_page: Any, each_site: ServedSite) -> None:
    page = new_page(viewport={"width": 360, "height": 740})
    wide = {}
    for path in each_site.pages:
        page.goto(each_site.url + path)
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            wide[path or "/"] = scroll
    assert wide == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_home_and_a_topic(new_page: Any, site_url: str, scheme: str, device: str) -> None:
    width, height = VIEWPORTS[device]
    page = new_page(viewport={"width": width, "height": height}, color_scheme=scheme, device_scale_factor=1)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in (("home", site_url), ("topic", _first_topic(page, site_url))):
        page.goto(url)
        shot = SCREENSHOTS / f"{name}-{device}-{scheme}.png"
        page.screenshot(path=str(shot))
        assert _png_size(shot) == (width, height)


def test_dark_scheme_gives_a_dark_page(new_page: Any, site_url: str) -> None:
    light = new_page(color_scheme="light")
    dark = new_page(color_scheme="dark")
    colours = []
    for page in (light, dark):
        page.goto(site_url)
        colours.append(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert colours == ["rgb(255, 255, 255)", "rgb(22, 24, 29)"]


def test_print_hides_navigation_and_keeps_references(new_page: Any, site_url: str) -> None:
    page = new_page()
    topic = _first_topic(page, site_url)
    page.goto(topic)
    page.emulate_media(media="print")
    assert page.locator("nav.topics").is_hidden()
    assert page.locator("form.search").is_hidden()
    assert page.locator("section.references").is_visible()


def test_focused_link_shows_a_visible_outline(new_page: Any, site_url: str) -> None:
    page = new_page()
    page.goto(site_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()")
    assert style == ["solid", "3px"]
