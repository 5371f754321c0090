"""The site model: the plain frozen data resolving makes and rendering and checking read (`Site`,
its pages, references, back-links and source pages), and the small pure helpers on it (summaries,
source-page URLs, a source page's digest)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..core.errors import Problem
from ..core.layout import SOURCES_URL
from ..core.packed import inflated_text
from ..core.records import compact
from ..core.urls import relative_url
from ..incremental.memo import Memo, digest
from ..load.glossary import GlossaryTerm
from ..load.pages import AtUrl
from ..load.publications import Publication
from ..load.settings import Settings
from ..load.sources import Passage, Source
from ..load.structured_data import SITE_DEFAULT, StructuredData
from .citations import CitationKey
from .markup import TocEntry
from .page_state import LinkTarget, Statement


@compact
@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a page's reference list."""

    number: int
    key: CitationKey
    anchors: tuple[str, ...]  # ids of the in-text citations that point here, in reading order
    passages: tuple[Passage, ...]  # empty for a publication
    source: Source | None
    publication: Publication | None
    locators: tuple[str, ...] = ()  # of a publication: where in it each use cites ("" for none), beside `anchors`

    @property
    def located(self) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
        """Each locator of the uses, in order of first use, with the anchor and position (from 0) of each use that names it."""
        uses: dict[str, list[tuple[str, int]]] = {}
        for index, (anchor, locator) in enumerate(zip(self.anchors, self.locators, strict=False)):
            if locator:
                uses.setdefault(locator, []).append((anchor, index))
        return tuple((locator, tuple(named)) for locator, named in uses.items())

    @property
    def one_locator(self) -> bool:
        """Whether every use names the same locator: the entry then shows it once, with no letters."""
        return bool(self.locators) and all(locator == self.locators[0] for locator in self.locators)


@compact
@dataclass(frozen=True, slots=True)
class ResolvedPage(AtUrl):
    """A content page ready to render, as its template sees it (`page.title`, `page.html`, …): the
    front matter as written, the body converted, the references numbered. Every field is plain data,
    so its fingerprint covers all a template can read."""

    source: str  # path relative to content/, e.g. "topic.md"
    url: str  # pretty URL relative to the site root: "" for the home page, "topic/" otherwise
    title: str
    description: str
    order: int | None
    reviewed: dt.date | None
    next_review: dt.date | None
    deflated_html: bytes  # the body converted, held deflated: `html` reads it
    toc: tuple[TocEntry, ...]
    references: tuple[Reference, ...]
    terms: tuple[str, ...]
    links: tuple[LinkTarget, ...]
    deflated_body: bytes  # the Markdown as written, held deflated (`body` reads it), for checks that point at a line of it
    body_line: int  # the file line on which the body starts
    structured_data: StructuredData = SITE_DEFAULT  # the page's own values over the site's
    statements: tuple[Statement, ...] = ()  # at their file lines, `editorial` set (see `statements`)
    figure_values: tuple[Statement, ...] = ()  # each value of the page's figures, at the file line of its citation (kind "figure value")
    draft: bool = False  # `draft: true`: rendered (by the dev server) with a banner; in no list of pages, citing nothing for coverage

    @property
    def html(self) -> str:
        """The body converted to HTML (held deflated: the site model keeps every page's until the build ends, rendering reads each once)."""
        return inflated_text(self.deflated_html)

    @property
    def body(self) -> str:
        return inflated_text(self.deflated_body)


@compact
@dataclass(frozen=True, slots=True)
class PageSummary:
    """A page as lists of pages show it (menus, previous/next, "used on"): its address and title, not its content.

    Outputs that list pages depend on these alone, so editing a page's text re-renders no list.
    """

    url: str
    title: str
    description: str


def summary(page: ResolvedPage) -> PageSummary:
    return PageSummary(page.url, page.title, page.description)


@compact
@dataclass(frozen=True, slots=True)
class Backlink:
    """A page citing a passage, with the anchors of each citation there."""

    url: str
    title: str
    anchors: tuple[str, ...]


@dataclass(frozen=True)
class SourcePage:
    """A source's own page, with the pages that cite each of its passages."""

    source: Source
    url: str
    backlinks: Mapping[int, tuple[Backlink, ...]]  # passage number → citing pages


@dataclass(frozen=True)
class Site:
    """The resolved site: plain frozen data, made once per build and only read after. The indexes
    below the fields are made with it, from its pages, so looking a page up never changes it."""

    settings: Settings
    pages: tuple[ResolvedPage, ...]  # home first, then by nav order, then by title
    nav: tuple[ResolvedPage, ...]  # topic pages in reading order
    topics: tuple[PageSummary, ...]  # the same, as lists show them
    sources: Mapping[str, Source]
    source_pages: tuple[SourcePage, ...]
    publications: Mapping[str, Publication]
    glossary: tuple[GlossaryTerm, ...]
    term_pages: Mapping[str, tuple[PageSummary, ...]]  # glossary id → pages linking it
    findings: tuple[Problem, ...]  # broken cross-links: warnings, errors with --strict
    _by_url: Mapping[str, ResolvedPage] = field(init=False, repr=False, compare=False)
    _nav_index: Mapping[str, int] = field(init=False, repr=False, compare=False)  # position of each topic in `nav`
    _positions: Mapping[str, int] = field(init=False, repr=False, compare=False)  # position in `pages` of the page `page` finds

    def __post_init__(self) -> None:
        # The first page of a URL wins, as a scan would find it.
        positions = {p.url: index for index, p in reversed(list(enumerate(self.pages)))}
        object.__setattr__(self, "_positions", positions)
        object.__setattr__(self, "_by_url", {url: self.pages[index] for url, index in positions.items()})
        object.__setattr__(self, "_nav_index", {p.url: index for index, p in enumerate(self.nav)})

    def page(self, url: str) -> ResolvedPage | None:
        return self._by_url.get(url)

    def replacing(self, pages: Iterable[ResolvedPage]) -> Site:
        """This site with `pages` in place of its pages at their URLs, each at the same place in every
        list (the caller knows its title and order are those of the page it replaces); its indexes
        are copied, not made again (an edit of one page in a large site)."""
        listed, nav, by_url = list(self.pages), list(self.nav), dict(self._by_url)
        for page in pages:
            old = by_url[page.url]
            listed[self._positions[page.url]] = by_url[page.url] = page
            if self._nav_index.get(page.url) is not None and nav[self._nav_index[page.url]] is old:
                nav[self._nav_index[page.url]] = page
        site = copy.copy(self)
        for name, value in (("pages", tuple(listed)), ("nav", tuple(nav)), ("_by_url", by_url)):
            object.__setattr__(site, name, value)
        return site

    def neighbours(self, page: ResolvedPage) -> tuple[PageSummary | None, PageSummary | None]:
        """Previous and next topic in reading order."""
        index = self._nav_index.get(page.url)
        if index is None or self.nav[index] != page:
            return None, None
        return (self.topics[index - 1] if index else None, self.topics[index + 1] if index + 1 < len(self.topics) else None)


def source_page_digest(memo: Memo, source_page: SourcePage) -> str:
    """What the fingerprint of a source page would cover, in one pass (thousands of back-links per build)."""
    parts: list[object] = [memo.fingerprint.of(source_page.source), source_page.url]
    for number, backlinks in source_page.backlinks.items():
        parts.append(number)
        parts += [f"{link.url}\0{link.title}\0{' '.join(link.anchors)}" for link in backlinks]
    return digest(*parts)


if [f.name for f in dataclasses.fields(SourcePage)] != ["source", "url", "backlinks"] or [f.name for f in dataclasses.fields(Backlink)] != [
    "url", "title", "anchors",
]:
    raise RuntimeError("source_page_digest must cover every field of SourcePage and Backlink")


def source_url(source_id: str) -> str:
    return f"{SOURCES_URL}{source_id}/"


def passage_url(from_url: str, passage: Passage) -> str:
    return relative_url(from_url, source_url(passage.source_id)) + f"#{passage.anchor}"


@compact
@dataclass(frozen=True, slots=True)
class PageResolution:
    """One page resolved, with what the site's lists and source pages take from it, and the problems
    (the build fails) and findings (reported) it has."""

    resolved: ResolvedPage
    summary: PageSummary
    backlinks: tuple[tuple[str, int, Backlink], ...]  # (source id, passage number, back-link) per passage cited
    problems: tuple[Problem, ...]
    findings: tuple[Problem, ...]
