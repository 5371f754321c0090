"""Orphans: a page that no reader can reach by following links is reported. A page is reached when
it is the home page, is in the navigation (it has an `order`), another page links to it in its
Markdown, or the glossary or a source page links to it (it uses a glossary term, or cites a seed's
passage). Links the theme's templates write are not known here."""

from __future__ import annotations

from ..core.errors import Problem, absolute_path
from ..core.layout import GLOSSARY_URL, HOME_URL
from ..resolve.model import Site


def orphan_problems(site: Site) -> list[Problem]:
    """Each page that nothing links to and that is not in the navigation, at the first line of its file."""
    reached = _linked_urls(site)
    return [
        Problem(
            absolute_path(site.settings.content_dir / page.source), 1,
            "no page links to this one and it is not in the navigation: link to it from another page, or give it an order",
        )
        for page in site.pages
        if page.url != HOME_URL and page.order is None and page.url not in reached
    ]


def _linked_urls(site: Site) -> set[str]:
    """The URLs some other page links to: Markdown cross-links, the glossary's and the source pages' back-links."""
    reached = {link.target_url for page in site.pages for link in page.links if link.target_url != page.url}
    reached.update(summary.url for pages in site.term_pages.values() for summary in pages if summary.url != GLOSSARY_URL)
    for source_page in site.source_pages:
        reached.update(backlink.url for backlinks in source_page.backlinks.values() for backlink in backlinks)
    return reached
