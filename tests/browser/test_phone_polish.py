"""The built real site on phones (390 and 360 px wide): every topic link in view, breadcrumbs that never
start a line with their separator, "cited on" back-links that stay on one line or collapse to a count,
a plain intro and the file checksum out of the first screen on source pages (and still there in full).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PHONES = [390, 360]
SEPARATOR = "›"

TOPIC_LINKS_IN_VIEW = """() => {
  const nav = document.querySelector("nav.topics");
  const width = document.documentElement.clientWidth;
  return [...nav.querySelectorAll("a")].filter((a) => {
    const box = a.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return !(box.width > 0 && box.left >= 0 && box.right <= width && hit && a.contains(hit));
  }).map((a) => a.textContent);
}"""

# A breadcrumb line starts with the separator when an item that begins a line draws one before its
# text, or when an item's separator (drawn after it) falls to the line below its last character.
BREADCRUMB_LINES_STARTING_WITH_SEPARATOR = """(separator) => {
  const items = [...document.querySelectorAll("nav.breadcrumbs li")];
  const lineOf = (rect) => Math.round(rect.top + rect.height / 2);
  const bad = [];
  items.forEach((li, i) => {
    const before = getComputedStyle(li, "::before").content;
    const after = getComputedStyle(li, "::after").content;
    const first = li.getClientRects()[0];
    const previous = i > 0 ? [...items[i - 1].getClientRects()].pop() : null;
    const startsLine = !previous || lineOf(first) > previous.bottom;
    if (startsLine && before.includes(separator)) bad.push(li.textContent.trim());
    if (after.includes(separator)) {
      const text = [...li.querySelectorAll("*"), li].flatMap((e) => [...e.childNodes]).filter((n) => n.nodeType === 3 && n.data.trim()).pop();
      const range = document.createRange();
      range.setStart(text, text.data.trimEnd().length - 1);
      range.setEnd(text, text.data.trimEnd().length);
      const last = [...li.getClientRects()].pop();
      if (Math.abs(lineOf(range.getBoundingClientRect()) - lineOf(last)) > 2) bad.push(li.textContent.trim());
    }
  });
  return bad;
}"""

# For each passage and each page citing it: how many lines its back-links that show (a closed
# disclosure shows none of its own) take. More than one line means the letters wrapped mid-list.
CITED_ON_LINES = """() => [...document.querySelectorAll(".cited-on")].flatMap((list) => {
  const lines = {};
  for (const a of list.querySelectorAll("a.backref")) {
    if (a.checkVisibility()) (lines[a.pathname] ||= new Set()).add(Math.round(a.getBoundingClientRect().top));
  }
  return Object.entries(lines).map(([page, tops]) => [list.closest("li[id]").id + " " + page, tops.size]);
})"""


def _source_pages(site_pages: list[str]) -> list[str]:
    return [path for path in site_pages if re.fullmatch(r"sources/[^/]+/", path)]


def _checksums() -> dict[str, str]:
    entries = yaml.safe_load((ROOT / "seeds" / "sources.yaml").read_text(encoding="utf-8"))
    return {str(seed_id): entry["sha256"] for seed_id, entry in entries.items()}


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
@pytest.mark.parametrize("width", PHONES)
def test_every_topic_link_is_in_view_on_a_phone(new_page: Any, site_url: str, site_pages: list[str], width: int, scripts: bool) -> None:
    page = new_page(viewport={"width": width, "height": 844}, java_script_enabled=scripts)
    hidden = {}
    for path in ("", "mechanisms/" if "mechanisms/" in site_pages else site_pages[1]):
        page.goto(site_url + path)
        assert page.locator("nav.topics a").count() >= 2
        hidden[path or "/"] = page.evaluate(TOPIC_LINKS_IN_VIEW)
    assert hidden == {path: [] for path in hidden}


@pytest.mark.parametrize("width", PHONES)
def test_the_topic_list_does_not_scroll_sideways(new_page: Any, site_url: str, width: int) -> None:
    page = new_page(viewport={"width": width, "height": 844})
    page.goto(site_url)
    scroll, client = page.evaluate("(() => { const ol = document.querySelector('nav.topics ol'); return [ol.scrollWidth, ol.clientWidth]; })()")
    assert scroll <= client


@pytest.mark.parametrize("width", PHONES)
def test_no_breadcrumb_line_starts_with_the_separator(new_page: Any, site_url: str, site_pages: list[str], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 844})
    bad = {}
    for path in site_pages:
        page.goto(site_url + path)
        if page.locator("nav.breadcrumbs").count():
            bad[path] = page.evaluate(BREADCRUMB_LINES_STARTING_WITH_SEPARATOR, SEPARATOR)
    assert bad and bad == {path: [] for path in bad}


def test_no_breadcrumb_line_starts_with_the_separator_at_any_narrow_width(new_page: Any, site_url: str, site_pages: list[str]) -> None:
    page = new_page(viewport={"width": 400, "height": 844})
    page.goto(site_url + _source_pages(site_pages)[0])
    bad = {}
    for width in range(240, 401, 4):  # moves the line break across every item and separator of the trail
        page.set_viewport_size({"width": width, "height": 844})
        bad[width] = page.evaluate(BREADCRUMB_LINES_STARTING_WITH_SEPARATOR, SEPARATOR)
    assert bad == {width: [] for width in bad}


@pytest.mark.parametrize("width", PHONES)
def test_the_cited_on_back_links_of_a_page_stay_on_one_line_or_collapse(new_page: Any, site_url: str, site_pages: list[str], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 844})
    wrapped = {}
    for path in _source_pages(site_pages):
        page.goto(site_url + path)
        lines = page.evaluate(CITED_ON_LINES)
        assert lines, f"{path} has no back-links"
        wrapped[path] = [title for title, count in lines if count > 1]
    assert wrapped == {path: [] for path in wrapped}


def test_a_collapsed_back_link_list_opens_to_every_citation(new_page: Any, site_url: str, site_pages: list[str]) -> None:
    page = new_page(viewport={"width": 360, "height": 844})
    for path in _source_pages(site_pages):
        page.goto(site_url + path)
        collapsed = page.locator(".cited-on details").first
        if collapsed.count():
            break
    else:
        pytest.fail("no source page of the example site has a collapsed back-link list")
    count = int(re.match(r"\d+", collapsed.locator("summary").inner_text().strip()).group(0))
    assert collapsed.locator("a:visible").count() == 0
    collapsed.locator("summary").click()
    assert collapsed.locator("a:visible").count() == count


def test_the_source_intro_has_no_double_full_stop(new_page: Any, site_url: str, site_pages: list[str]) -> None:
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + _source_pages(site_pages)[0])
    intro = page.locator(".source-note").inner_text()
    assert intro and not re.search(r"[.…]\s*\.", intro)


def test_each_source_page_gives_its_files_full_checksum(new_page: Any, site_url: str, site_pages: list[str]) -> None:
    page = new_page(viewport={"width": 390, "height": 844})
    checksums = _checksums()
    shown = {}
    for path in _source_pages(site_pages):
        page.goto(site_url + path)
        shown[path] = page.locator(f"text={checksums[path.split('/')[1]]}").count()
    assert shown and shown == {path: 1 for path in shown}


@pytest.mark.parametrize("width", PHONES)
def test_the_checksum_is_not_in_the_first_screen_of_a_source_page(new_page: Any, site_url: str, site_pages: list[str], width: int) -> None:
    page = new_page(viewport={"width": width, "height": 844})
    checksums = _checksums()
    first_screen = {}
    for path in _source_pages(site_pages):
        page.goto(site_url + path)
        mentions = page.get_by_text(re.compile("sha-?256|" + checksums[path.split("/")[1]][:8], re.I))
        first_screen[path] = [i for i in range(mentions.count()) if mentions.nth(i).bounding_box()["y"] < 844]
    assert first_screen and first_screen == {path: [] for path in first_screen}
