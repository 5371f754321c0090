"""Weight budget of the theme: what every topic page carries besides its own text.

A topic page's weight is its HTML plus the stylesheets and scripts it links, uncompressed (the
search interface and index load only when the reader searches and are not counted). Its own text,
the rendered Markdown and the quoted passages of its reference list, grows with the content; the
rest (header, navigation, metadata, footer, CSS, JS) is the theme's share, held to 24 KB so that a
topic page of ordinary length (16 KB of its own text) stays under 40 KB in all. Longer pages go over
40 KB by their own text alone; splitting them is an editorial choice, not the theme's.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

THEME_BUDGET = 24 * 1024
ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def page_weight(site: Path, page: Path) -> int:
    """Bytes of `page` plus the stylesheets and scripts it links (resolved relative to the page)."""
    html = page.read_text(encoding="utf-8")
    url = page.relative_to(site).as_posix()
    return len(html.encode("utf-8")) + sum((site / urljoin(url, href)).stat().st_size for href in ASSET.findall(html))


def own_text_weight(page: Path) -> int:
    """Bytes of the page's own content: its rendered Markdown and its reference list (which follows it)."""
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


def test_every_topic_page_has_its_own_text(built_site: Path) -> None:
    pages = topic_pages(built_site)
    assert pages and all(own_text_weight(p) > 0 for p in pages)


def test_theme_share_of_every_topic_page_is_under_24_kb(built_site: Path) -> None:
    shares = {p.parent.name: page_weight(built_site, p) - own_text_weight(p) for p in topic_pages(built_site)}
    assert {name: share for name, share in shares.items() if share >= THEME_BUDGET} == {}
