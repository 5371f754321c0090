"""Resolve: loaded sources and pages become one `Site`, with citations numbered, links rewritten,
navigation ordered and back-links from every cited passage to the citations that use it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import BuildError, Problem, Problems, absolute_path
from ..core.layout import GLOSSARY_FILE, GLOSSARY_URL, HOME_URL, REFERENCES_FILE, SOURCES_URL
from ..core.urls import relative_url
from ..load.pages import GlossaryTerm, Page, load_glossary, read_pages
from ..load.settings import Settings, load_settings
from ..load.sources import Passage, Publication, Source, load_publications, load_sources
from .citations import CitationKey, FoundCitation, citation_problem, find_citations
from .markup import LinkTarget, Markup, MarkupResult, TocEntry, convert_pages

ABOUT_URL = "about/"


@dataclass(frozen=True)
class Reference:
    """One entry of a page's reference list."""

    number: int
    key: CitationKey
    anchors: tuple[str, ...]  # ids of the in-text citations that point here, in reading order
    passages: tuple[Passage, ...]  # empty for a publication
    source: Source | None
    publication: Publication | None


@dataclass(frozen=True)
class ResolvedPage:
    page: Page
    html: str
    toc: tuple[TocEntry, ...]
    references: tuple[Reference, ...]
    terms: tuple[str, ...]
    links: tuple[LinkTarget, ...]
    reviewed: dt.date | None
    next_review: dt.date | None

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def title(self) -> str:
        return self.page.title


@dataclass(frozen=True)
class PageSummary:
    """A page as lists of pages show it (menus, previous/next, "used on"): its address and title, not its content.

    Outputs that list pages depend on these alone, so editing a page's text re-renders no list.
    """

    url: str
    title: str
    description: str


def summary(page: ResolvedPage) -> PageSummary:
    return PageSummary(page.url, page.title, page.page.description)


@dataclass(frozen=True)
class Backlink:
    """A page citing a passage, with the anchors of each citation there."""

    url: str
    title: str
    anchors: tuple[str, ...]


@dataclass(frozen=True)
class SourcePage:
    source: Source
    url: str
    backlinks: Mapping[int, tuple[Backlink, ...]]  # passage number → citing pages


@dataclass(frozen=True)
class Site:
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

    def page(self, url: str) -> ResolvedPage | None:
        return self._by_url.get(url)

    @functools.cached_property
    def _by_url(self) -> dict[str, ResolvedPage]:
        return {p.url: p for p in reversed(self.pages)}  # the first page of a URL wins, as a scan would find it

    def neighbours(self, page: ResolvedPage) -> tuple[PageSummary | None, PageSummary | None]:
        """Previous and next topic in reading order."""
        index = self._nav_index.get(page.url)
        if index is None or self.nav[index] != page:
            return None, None
        return (self.topics[index - 1] if index else None, self.topics[index + 1] if index + 1 < len(self.topics) else None)

    @functools.cached_property
    def sections(self) -> tuple[tuple[str, tuple[ResolvedPage, ...]], ...]:
        """Topics grouped by their top folder ("" for none), each group in reading order, groups by their first topic."""
        groups: dict[str, list[ResolvedPage]] = {}
        for page in self.nav:
            name = page.url.split("/", 1)[0] if page.url.count("/") > 1 else page.url.rstrip("/")
            groups.setdefault(name, []).append(page)
        return tuple((name, tuple(pages)) for name, pages in groups.items())

    @functools.cached_property
    def memo(self) -> dict[object, object]:
        """Values derived from this site by later stages (a page's menu), kept so they are made once."""
        return {}

    @functools.cached_property
    def section_positions(self) -> dict[str, tuple[int, int]]:
        """Each topic's URL → (the position of its section in `sections`, its position in that section)."""
        return {p.url: (i, j) for i, (_, topics) in enumerate(self.sections) for j, p in enumerate(topics)}

    @functools.cached_property
    def section_heads(self) -> tuple[ResolvedPage | None, ...]:
        """For each of `sections`, its landing page (the topic at the section's own URL), if any."""
        return tuple(next((p for p in topics if p.url == f"{name}/"), None) for name, topics in self.sections)

    @functools.cached_property
    def _nav_index(self) -> dict[str, int]:
        """Position of each topic in `nav`, by URL (so that finding neighbours does not scan the whole list)."""
        return {p.url: index for index, p in enumerate(self.nav)}


def source_url(source_id: str) -> str:
    return f"{SOURCES_URL}{source_id}/"


def passage_url(from_url: str, passage: Passage) -> str:
    return relative_url(from_url, source_url(passage.source_id)) + f"#{passage.anchor}"


def load_site(
    root: Path,
    parse: Callable[[Path, str], Page] | None = None,
    memo: Callable[[str, Callable[[], Any], tuple[Path, ...]], Any] | None = None,
    convert: Callable[[Markup, Sequence[Page]], list[MarkupResult]] | None = None,
    resolve_one: Callable[..., PageResolution] | None = None,
    settings: Settings | None = None,
) -> Site:
    """Load and resolve the project at `root`: every input problem is reported in one BuildError.

    A build cache passes `parse` (one page file), `memo(name, load, files)` (a load that depends only
    on the bytes of `files`), `convert` and `resolve_one` (see `resolve`) to reuse earlier work, and
    `settings` when it has already loaded them for this build.
    """
    if memo is None:
        def memo(name: str, load: Callable[[], Any], files: tuple[Path, ...]) -> Any:
            return load()
    problems = Problems()
    settings = settings or load_settings(root)
    sources: dict[str, Source] = {}
    publications: dict[str, Publication] = {}
    pages: list[Page] = []
    glossary: tuple[GlossaryTerm, ...] = ()
    sources_loaded = False
    for load in ("sources", "pages", "glossary"):
        try:
            if load == "sources":
                sources = memo("sources", functools.partial(load_sources, settings.seeds_dir), (settings.seeds_dir,))
                references = settings.content_dir / REFERENCES_FILE
                publications = memo("publications", functools.partial(load_publications, references, set(sources)), (references, settings.seeds_dir))
                sources_loaded = True
            elif load == "pages":
                pages, page_problems = read_pages(settings.content_dir, parse) if parse is not None else read_pages(settings.content_dir)
                problems.items.extend(page_problems.items)
            else:
                glossary = memo("glossary", functools.partial(load_glossary, settings.content_dir), (settings.content_dir / GLOSSARY_FILE,))
        except BuildError as exc:
            problems.extend(exc)
    if problems.items and sources_loaded:
        # Still check the citations of the pages that did load, so one run reports every problem.
        for page in pages:
            check_citations(settings, page, sources, publications, problems)
    problems.raise_if_any()
    return resolve(settings, sources, publications, pages, glossary, convert, resolve_one or resolve_page)


@dataclass(frozen=True)
class PageResolution:
    """One page resolved, with what the site's lists and source pages take from it, and the problems
    (the build fails) and findings (reported) it has."""

    page: ResolvedPage
    summary: PageSummary
    backlinks: tuple[tuple[str, int, Backlink], ...]  # (source id, passage number, back-link) per passage cited
    problems: tuple[Problem, ...]
    findings: tuple[Problem, ...]


def resolve_page(
    settings: Settings,
    page: Page,
    result: MarkupResult,
    sources: Mapping[str, Source],
    publications: Mapping[str, Publication],
    problem_of: Callable[[CitationKey], str],
) -> PageResolution:
    """Pure: one page and its converted Markdown become a `ResolvedPage`; `problem_of` is
    `citation_problem` for these sources."""
    problems = Problems()
    if result.failure:
        problems.add(settings.content_dir / page.source, page.body_line, result.failure)
    check_citations(settings, page, sources, publications, problems, result.found, problem_of)
    for error in result.errors:
        problems.add(settings.content_dir / page.source, page.body_line + error.line - 1, error.message)
    findings: tuple[Problem, ...] = ()
    if result.link_problems:
        path = absolute_path(settings.content_dir / page.source)
        findings = tuple(Problem(path, page.body_line + link.line - 1, link.message) for link in result.link_problems)
    references = tuple(
        _reference(number, key, anchors, sources, publications)
        for number, (key, anchors) in enumerate(result.citations, start=1)
        if not problem_of(key)
    )
    reviewed = page.reviewed
    next_review = _add_months(reviewed, settings.review_interval_months) if reviewed else None
    if reviewed and next_review is None:
        problems.add(
            settings.content_dir / page.source, page.reviewed_line or 1,
            f"reviewed {reviewed.isoformat()} plus the review interval of {settings.review_interval_months} months is past 9999-12-31: give the real date",
        )
    resolved = ResolvedPage(
        page=page,
        html=result.html,
        toc=result.toc,
        references=references,
        terms=result.terms,
        links=tuple(LinkTarget(page.body_line + t.line - 1, t.target_url, t.fragment) for t in result.links),
        reviewed=reviewed,
        next_review=next_review,
    )
    return PageResolution(resolved, summary(resolved), _backlinks(resolved), tuple(problems.items), findings)


def _backlinks(page: ResolvedPage) -> tuple[tuple[str, int, Backlink], ...]:
    """A back-link from each passage `page` cites, with the anchors of all its citations of it."""
    per_passage: dict[str, dict[int, list[str]]] = {}
    for reference in page.references:
        if reference.source is not None:
            cited = per_passage.setdefault(reference.source.id, {})
            for passage in reference.passages:
                cited.setdefault(passage.number, []).extend(reference.anchors)
    return tuple(
        (source_id, number, Backlink(page.url, page.title, tuple(anchors)))
        for source_id, cited in per_passage.items()
        for number, anchors in cited.items()
    )


def resolve(
    settings: Settings,
    sources: Mapping[str, Source],
    publications: Mapping[str, Publication],
    pages: list[Page],
    glossary: tuple[GlossaryTerm, ...],
    convert: Callable[[Markup, Sequence[Page]], list[MarkupResult]] | None = None,
    resolve_one: Callable[..., PageResolution] = resolve_page,
) -> Site:
    """Pure: turn loaded inputs into the site model.

    `convert` turns the pages' Markdown into HTML with the given `Markup`, in order (default:
    `convert_pages`); `resolve_one` takes the arguments of `resolve_page` and returns what it
    would. A build cache passes ones that reuse earlier results.
    """
    problems = Problems()
    findings: list[Problem] = []
    reserved = {source_url(s) for s in sources}
    for page in pages:
        if page.url in reserved:
            problems.add(settings.content_dir / page.source, page.slug_line or 1, f"the URL /{page.url} is reserved for a source page; choose another slug")
    urls = {page.source: page.url for page in pages}
    markup = Markup(urls, glossary, GLOSSARY_URL)
    resolutions: list[PageResolution] = []
    results = (convert or convert_pages)(markup, pages)
    problem_of = functools.cache(functools.partial(citation_problem, sources=sources, publications=publications))  # pages share citations
    for page, result in zip(pages, results, strict=True):
        resolution = resolve_one(settings, page, result, sources, publications, problem_of)
        problems.items.extend(resolution.problems)
        findings.extend(resolution.findings)
        resolutions.append(resolution)
    problems.raise_if_any()
    in_order = sorted(resolutions, key=lambda r: (r.page.url != HOME_URL, r.page.page.order is None, r.page.page.order or 0, r.page.title.lower()))
    ordered = [resolution.page for resolution in in_order]
    nav = tuple(p for p in ordered if p.page.order is not None)
    summaries = {resolution.page.url: resolution.summary for resolution in in_order}
    on_pages: dict[str, list[PageSummary]] = {term.id: [] for term in glossary}
    for page in ordered:
        for term_id in dict.fromkeys(page.terms):
            if term_id in on_pages:
                on_pages[term_id].append(summaries[page.url])
    return Site(
        settings=settings,
        pages=tuple(ordered),
        nav=nav,
        topics=tuple(summaries[p.url] for p in nav),
        sources=dict(sources),
        source_pages=_source_pages(sources, in_order),
        publications=dict(publications),
        glossary=glossary,
        term_pages={term_id: tuple(found) for term_id, found in on_pages.items()},
        findings=tuple(findings),
    )


def check_citations(
    settings: Settings,
    page: Page,
    sources: Mapping[str, Source],
    publications: Mapping[str, Publication],
    problems: Problems,
    found: Iterable[FoundCitation] | None = None,
    problem_of: Callable[[CitationKey], str] | None = None,
) -> None:
    """Add a problem, at its file line, for every citation of `page` that is malformed or does not resolve.

    `found`: the citations Markdown saw (`MarkupResult.found`), which leaves out what only looks
    like a citation (an indented code block, raw HTML); default: every bracket outside code spans
    and fences. `problem_of` is `citation_problem` for these sources, memoised.
    """
    for citation in find_citations(page.body) if found is None else found:
        line = page.body_line + citation.line - 1
        if citation.error:
            problems.add(settings.content_dir / page.source, line, citation.error)
        for key in citation.keys:
            message = problem_of(key) if problem_of is not None else citation_problem(key, sources, publications)
            if message:
                problems.add(settings.content_dir / page.source, line, message)


def _reference(
    number: int,
    key: CitationKey,
    anchors: tuple[str, ...],
    sources: Mapping[str, Source],
    publications: Mapping[str, Publication],
) -> Reference:
    if key.is_passage:
        source = sources[key.target]
        passages = tuple(p for n in key.numbers if (p := source.passage(n)) is not None)
        return Reference(number, key, anchors, passages, source, None)
    return Reference(number, key, anchors, (), None, publications[key.target])


def _source_pages(sources: Mapping[str, Source], pages: list[PageResolution]) -> tuple[SourcePage, ...]:
    """One page per source, with the back-links of the pages in their order (one pass, not one per source)."""
    backlinks: dict[str, dict[int, list[Backlink]]] = {source_id: {} for source_id in sources}
    for page in pages:
        for source_id, number, backlink in page.backlinks:
            if source_id in backlinks:
                backlinks[source_id].setdefault(number, []).append(backlink)
    return tuple(
        SourcePage(source, source_url(source.id), {n: tuple(b) for n, b in sorted(backlinks[source.id].items())})
        for source in sources.values()
    )


def _add_months(day: dt.date, months: int) -> dt.date | None:
    """`day` plus `months` (the last day of the month when it has fewer days); None past the calendar's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    for last_day in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")
