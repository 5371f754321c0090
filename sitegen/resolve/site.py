"""Resolve: loaded sources and pages become one `Site`, with citations numbered, links rewritten,
navigation ordered and back-links from every cited passage to the citations that use it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..core.errors import BuildError, Problem, Problems, absolute_path
from ..core.layout import GLOSSARY_URL, HOME_URL, SOURCES_URL
from ..core.urls import relative_url
from ..incremental.cache import ENGINE
from ..incremental.memo import Memo, digest
from ..load.inputs import Inputs
from ..load.pages import GlossaryTerm, Page
from ..load.settings import Settings
from ..load.sources import Passage, Publication, Source
from .citations import CitationKey, FoundCitation, citation_problem, find_citations
from .convert import convert_pages
from .markup import LinkTarget, MarkupResult, TocEntry

__all__ = ["GLOSSARY_URL", "HOME_URL", "SOURCES_URL", "Site", "resolve_site"]


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
    """A content page ready to render, as its template sees it (`page.title`, `page.html`, …): the
    front matter as written, the body converted, the references numbered. Every field is plain data,
    so its fingerprint covers all a template can read."""

    source: str  # path relative to content/, e.g. "migraine.md"
    url: str  # pretty URL relative to the site root: "" for the home page, "migraine/" otherwise
    title: str
    description: str
    order: int | None
    reviewed: dt.date | None
    next_review: dt.date | None
    html: str
    toc: tuple[TocEntry, ...]
    references: tuple[Reference, ...]
    terms: tuple[str, ...]
    links: tuple[LinkTarget, ...]
    body: str  # the Markdown as written, for checks that point at a line of it
    body_line: int  # the file line on which the body starts

    @property
    def output(self) -> str:
        return f"{self.url}index.html"

    @property
    def slug(self) -> str:
        return PurePosixPath(self.url).name


@dataclass(frozen=True)
class PageSummary:
    """A page as lists of pages show it (menus, previous/next, "used on"): its address and title, not its content.

    Outputs that list pages depend on these alone, so editing a page's text re-renders no list.
    """

    url: str
    title: str
    description: str


def summary(page: ResolvedPage) -> PageSummary:
    return PageSummary(page.url, page.title, page.description)


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

    def __post_init__(self) -> None:
        # The first page of a URL wins, as a scan would find it.
        object.__setattr__(self, "_by_url", {p.url: p for p in reversed(self.pages)})
        object.__setattr__(self, "_nav_index", {p.url: index for index, p in enumerate(self.nav)})

    def page(self, url: str) -> ResolvedPage | None:
        return self._by_url.get(url)

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


@dataclass(frozen=True)
class PageResolution:
    """One page resolved, with what the site's lists and source pages take from it, and the problems
    (the build fails) and findings (reported) it has."""

    resolved: ResolvedPage
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
        source=page.source,
        url=page.url,
        title=page.title,
        description=page.description,
        order=page.order,
        reviewed=reviewed,
        next_review=next_review,
        html=result.html,
        toc=result.toc,
        references=references,
        terms=result.terms,
        links=tuple(LinkTarget(page.body_line + t.line - 1, t.target_url, t.fragment) for t in result.links),
        body=page.body,
        body_line=page.body_line,
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


def resolve_site(inputs: Inputs, memo: Memo) -> Site:
    """The site model of the loaded inputs, or one BuildError with every problem of the project:
    those of the files that did not load, then those of the citations, links and dates of the pages.

    Converting a page is kept in the memo (see `convert`); a page whose page, Markdown result,
    sources and settings are those of the previous build of this process is not resolved again.
    """
    settings = inputs.settings
    if inputs.problems:
        raise BuildError(_with_citation_problems(inputs))
    problems = Problems()
    _check_reserved_urls(inputs, problems)
    results = convert_pages(inputs, memo)
    memo.settle()  # the pages and their HTML live until the build ends (0.5 s less at 10,000 pages)
    problem_of = functools.cache(functools.partial(citation_problem, sources=inputs.sources, publications=inputs.publications))
    findings: list[Problem] = []
    resolutions: list[PageResolution] = []
    fingerprint = memo.fingerprint
    around = memo.digest(ENGINE, "resolved", fingerprint.of(settings), fingerprint.of(inputs.sources), fingerprint.of(inputs.publications))
    for page, result in zip(inputs.pages, results, strict=True):
        resolution = _resolve_page_memoised(memo, inputs, page, result, problem_of)
        fingerprint.remember(resolution.resolved, memo.digest(around, fingerprint.of(page), fingerprint.of(result)))
        problems.items.extend(resolution.problems)
        findings.extend(resolution.findings)
        resolutions.append(resolution)
    problems.raise_if_any()
    site = _site(settings, inputs, resolutions, tuple(findings))
    for source_page in site.source_pages:
        memo.fingerprint.remember(source_page, source_page_digest(memo, source_page))
    return site


def _with_citation_problems(inputs: Inputs) -> list[Problem]:
    """The problems of the files that did not load, and, when the sources did, those of the citations
    of the pages that did (found without Markdown), so that one run reports every problem."""
    problems = Problems()
    problems.items.extend(inputs.problems)
    if inputs.sources_loaded:
        for page in inputs.pages:
            check_citations(inputs.settings, page, inputs.sources, inputs.publications, problems)
    return problems.items


def _check_reserved_urls(inputs: Inputs, problems: Problems) -> None:
    reserved = {source_url(s) for s in inputs.sources}
    for page in inputs.pages:
        if page.url in reserved:
            problems.add(
                inputs.settings.content_dir / page.source, page.slug_line or 1, f"the URL /{page.url} is reserved for a source page; choose another slug",
            )


def _resolve_page_memoised(
    memo: Memo, inputs: Inputs, page: Page, result: MarkupResult, problem_of: Callable[[CitationKey], str],
) -> PageResolution:
    """`resolve_page`, reused while the page, its Markdown's result and the sources are the very objects
    of the previous build (the memo hands out the same objects) and the settings are equal."""
    last, now = memo.carried("resolve.pages")  # id(page) → what it was resolved from, and how
    settings = inputs.settings
    made_from = (page, result, inputs.sources, inputs.publications)
    known = last.get(id(page))
    if known is not None and all(old is new for old, new in zip(known[0], made_from, strict=True)) and known[1] == settings:
        resolution = known[2]  # settings are read anew each build: compared by value
    else:
        resolution = resolve_page(settings, page, result, inputs.sources, inputs.publications, problem_of)
    now[id(page)] = (made_from, settings, resolution)
    return resolution


def _site(settings: Settings, inputs: Inputs, resolutions: list[PageResolution], findings: tuple[Problem, ...]) -> Site:
    """The site model: pages home first, then by nav order, then by title; topics; back-links."""
    in_order = sorted(resolutions, key=lambda r: (r.resolved.url != HOME_URL, r.resolved.order is None, r.resolved.order or 0, r.resolved.title.lower()))
    ordered = [resolution.resolved for resolution in in_order]
    nav = tuple(p for p in ordered if p.order is not None)
    summaries = {resolution.resolved.url: resolution.summary for resolution in in_order}
    on_pages: dict[str, list[PageSummary]] = {term.id: [] for term in inputs.glossary}
    for page in ordered:
        for term_id in dict.fromkeys(page.terms):
            if term_id in on_pages:
                on_pages[term_id].append(summaries[page.url])
    return Site(
        settings=settings,
        pages=tuple(ordered),
        nav=nav,
        topics=tuple(summaries[p.url] for p in nav),
        sources=dict(inputs.sources),
        source_pages=_source_pages(inputs.sources, in_order),
        publications=dict(inputs.publications),
        glossary=inputs.glossary,
        term_pages={term_id: tuple(found) for term_id, found in on_pages.items()},
        findings=findings,
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
