"""Weight budget: every topic page, and the home page, weighs under 40 KB.

A page's weight is its HTML plus every stylesheet and script it links, uncompressed. The search
interface and index load only when the reader first uses the search box and are not counted; nor
is local.js, which site.js loads only where the site is read from disk (file://).

The theme's share of a topic page (header, navigation, metadata, footer, CSS, JS: everything but
the page's own text, which is its rendered Markdown and its reference list) is held to 20 KB, so
that a page with up to 20 KB of its own text fits. When a page goes over 40 KB with the theme
within its share, the page is too long: splitting it is an editorial choice.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

PAGE_BUDGET = 40 * 1024
THEME_BUDGET = 20 * 1024
LINKED = re.compile(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"')


def page_weight(site: Path, page: Path) -> int:
    """Bytes of `page` plus the stylesheets and scripts it links (resolved relative to the page)."""
    html = page.read_text(encoding="utf-8")
    url = page.relative_to(site).as_posix()
    linked = [style or script for style, script in LINKED.findall(html)]
    return len(html.encode("utf-8")) + sum((site / urljoin(url, href)).stat().st_size for href in linked)


def own_text_weight(page: Path) -> int:
    """Bytes of the page's own text: its rendered Markdown and its reference list (which follows it)."""
    html = page.read_text(encoding="utf-8")
    start = html.find('<div class="content">')
    if start < 0:
        return 0
    ends = [i for i in (html.find('<nav class="pager"', start), html.find("</article>", start)) if i >= 0]
    return len(html[start : min(ends)].encode("utf-8"))


def topic_pages(site: Path) -> list[Path]:
    home = (site / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="topics".*?</nav>', home, re.S)
    assert nav, "the home page has no topic navigation"
    return [site / urljoin("index.html", href) / "index.html" for href in re.findall(r'href="([^"]+)"', nav.group(0))]


def test_the_weight_counts_every_stylesheet_and_script_a_page_links(built_site: Path) -> None:
    page = built_site / "index.html"
    linked = re.findall(r'(?:href|src)="(?:\./)?(static/[^"]+\.(?:css|js))"', page.read_text(encoding="utf-8"))
    assert len(linked) >= 3  # the home page links two stylesheets and a script
    assert page_weight(built_site, page) == len(page.read_bytes()) + sum((built_site / a).stat().st_size for a in linked)


def test_every_topic_page_has_its_own_text(built_site: Path) -> None:
    pages = topic_pages(built_site)
    assert pages and all(own_text_weight(p) > 0 for p in pages)


def test_every_topic_page_and_the_home_page_weigh_under_40_kb(built_site: Path) -> None:
    pages = [built_site / "index.html", *topic_pages(built_site)]
    weights = {p.parent.relative_to(built_site).as_posix(): page_weight(built_site, p) for p in pages}
    assert {name: weight for name, weight in weights.items() if weight >= PAGE_BUDGET} == {}


def test_theme_share_of_every_topic_page_is_under_20_kb(built_site: Path) -> None:
    shares = {p.parent.name: page_weight(built_site, p) - own_text_weight(p) for p in topic_pages(built_site)}
    assert {name: share for name, share in shares.items() if share >= THEME_BUDGET} == {}
