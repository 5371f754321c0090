"""Orphans: a page that nothing links to and that is not in the navigation is reported. A page is
linked to when it is the home page, is in the navigation (it has an `order`), another page links to
it in its Markdown, the glossary or a source page links to it (it uses a glossary term, or cites a
seed's passage), or the rendered home page links to it (the theme's menus and footer, which every
page shares). A draft is no orphan: it is shown only by the dev server, to its authors."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from ..core.errors import Problem, absolute_path
from ..core.layout import GLOSSARY_URL, HOME_URL
from ..resolve.model import Site


def orphan_problems(site: Site, home_links: Iterable[str] = ()) -> list[Problem]:
    """Each page that nothing links to and that is not in the navigation, at the first line of its
    file; `home_links` are the hrefs of the rendered home page."""
    unreached = {page.url for page in site.pages if page.url != HOME_URL and page.order is None and not page.draft}
    if unreached:
        _strike_home_links(home_links, unreached)
    if unreached:
        _strike_linked(site, unreached)
    content_dir = site.settings.content_dir
    return [
        Problem(
            absolute_path(content_dir / page.source), 1,
            "no page links to this one and it is not in the navigation: link to it from another page, or give it an order",
        )
        for page in site.pages
        if page.url in unreached
    ]


def _strike_home_links(home_links: Iterable[str], unreached: set[str]) -> None:
    """Remove from `unreached` the URLs the home page links to. Only an href that holds the last
    segment of some unreached URL (or an escape) can name it: the others are not parsed."""
    names = {url.rstrip("/").rsplit("/", 1)[-1] for url in unreached}
    for href in home_links:
        if "%" in href or any(name in href for name in names):
            url = _page_url_of(href)
            if url is not None:
                unreached.discard(url)


def _strike_linked(site: Site, unreached: set[str]) -> None:
    """Remove from `unreached` the URLs some other page links to: Markdown cross-links, the glossary's
    and the source pages' back-links; stop once nothing is left."""
    for page in site.pages:
        unreached.difference_update(link.target_url for link in page.links if link.target_url != page.url)
    if unreached:
        unreached.difference_update(summary.url for pages in site.term_pages.values() for summary in pages if summary.url != GLOSSARY_URL)
    for source_page in site.source_pages:
        if not unreached:
            return
        unreached.difference_update(backlink.url for backlinks in source_page.backlinks.values() for backlink in backlinks)


def _page_url_of(href: str) -> str | None:
    """The page URL an href of the home page names ("about/" for "about/", "./about/index.html#x"), or
    None for an external link or one that leaves the site."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = posixpath.normpath(unquote(parts.path))
    if path.startswith(("/", "..")):
        return None
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    path = path.strip("/")
    return f"{path}/" if path and path != "." else HOME_URL
