"""Resolving: loaded sources and pages become one `Site` (see `model`), with citations checked and
numbered, links rewritten, review dates worked out, navigation ordered and back-links from every
cited passage to the citations that use it. Start at `resolve_site`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ..core.errors import BuildError, Problem, Problems, absolute_path
from ..core.layout import HOME_URL
from ..incremental.cache import ENGINE
from ..incremental.memo import Memo
from ..load.inputs import Inputs
from ..load.pages import Page
from ..load.publications import Publication
from ..load.settings import Settings
from ..load.sources import Source
from .citations import CitationKey, FoundCitation, citation_problem, find_citations
from .convert import convert_pages
from .markup import MarkupResult
from .model import Backlink, PageResolution, PageSummary, Reference, ResolvedPage, Site, SourcePage, source_page_digest, source_url, summary
from .page_state import LinkTarget, Statement

__all__ = ["check_citations", "resolve_page", "resolve_site"]


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
    problems = _markup_problems(settings, page, result, sources, publications, problem_of)
    next_review = _next_review(settings, page, problems)
    resolved = ResolvedPage(
        source=page.source,
        url=page.url,
        title=page.title,
        description=page.description,
        order=page.order,
        reviewed=page.reviewed,
        next_review=next_review,
        html=result.html,
        toc=result.toc,
        references=_references(result, sources, publications, problem_of),
        terms=result.terms,
        links=tuple(LinkTarget(page.body_line + t.line - 1, t.target_url, t.fragment, t.written) for t in result.links),
        body=page.body,
        body_line=page.body_line,
        structured_data=page.structured_data.over(settings.structured_data),
        statements=_statements(settings, page, result),
        draft=page.draft,
    )
    return PageResolution(resolved, summary(resolved), _backlinks(resolved), tuple(problems.items), _link_findings(settings, page, result))


def _markup_problems(
    settings: Settings,
    page: Page,
    result: MarkupResult,
    sources: Mapping[str, Source],
    publications: Mapping[str, Publication],
    problem_of: Callable[[CitationKey], str],
) -> Problems:
    """The problems of a page's converted Markdown, at their file lines: a conversion that failed, its
    citations, then the errors Markdown reported."""
    problems = Problems()
    if result.failure:
        problems.add(settings.content_dir / page.source, page.body_line, result.failure)
    check_citations(settings, page, sources, publications, problems, result.found, problem_of)
    for error in result.errors:
        problems.add(settings.content_dir / page.source, page.body_line + error.line - 1, error.message)
    return problems


def _statements(settings: Settings, page: Page, result: MarkupResult) -> tuple[Statement, ...]:
    """The page's statements at their file lines, editorial when the page opts out or an editorial admonition holds them."""
    editorial = frozenset(settings.editorial_admonitions)
    offset = page.body_line - 1
    return tuple(
        Statement(
            line=statement.line + offset, kind=statement.kind, cited=statement.cited, admonitions=statement.admonitions,
            excerpt=statement.excerpt, editorial=page.editorial or not editorial.isdisjoint(statement.admonitions),
        )
        for statement in result.statements
    )


def _link_findings(settings: Settings, page: Page, result: MarkupResult) -> tuple[Problem, ...]:
    """The broken cross-links of a page, at their file lines (reported, errors only with --strict)."""
    if not result.link_problems:
        return ()
    path = absolute_path(settings.content_dir / page.source)
    return tuple(Problem(path, page.body_line + link.line - 1, link.message) for link in result.link_problems)


def _references(
    result: MarkupResult, sources: Mapping[str, Source], publications: Mapping[str, Publication], problem_of: Callable[[CitationKey], str],
) -> tuple[Reference, ...]:
    """The page's reference list, numbered in order of first citation; citations that do not resolve are left out."""
    return tuple(
        _reference(number, key, anchors, sources, publications)
        for number, (key, anchors) in enumerate(result.citations, start=1)
        if not problem_of(key)
    )


def _next_review(settings: Settings, page: Page, problems: Problems) -> dt.date | None:
    """When the page is due for review: its review date plus the settings' interval; a problem when that is past the calendar."""
    reviewed = page.reviewed
    if reviewed is None:
        return None
    next_review = _add_months(reviewed, settings.review_interval_months)
    if next_review is None:
        problems.add(
            settings.content_dir / page.source, page.reviewed_line or 1,
            f"reviewed {reviewed.isoformat()} plus the review interval of {settings.review_interval_months} months is past 9999-12-31: give the real date",
        )
    return next_review


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
    converted = convert_pages(inputs, memo)
    memo.settle()  # the pages and their HTML live until the build ends (0.5 s less at 10,000 pages)
    problem_of = functools.cache(functools.partial(citation_problem, sources=inputs.sources, publications=inputs.publications))
    findings: list[Problem] = []
    resolutions: list[PageResolution] = []
    fingerprint = memo.fingerprint
    around = memo.digest(ENGINE, "resolved", fingerprint.of(settings), fingerprint.of(inputs.sources), fingerprint.of(inputs.publications))
    last, now = memo.carried("resolve.pages")  # id(page) → _Resolved
    for page, result, key in zip(inputs.pages, converted.results, converted.keys, strict=True):
        resolution = _resolve_page_memoised(last.get(id(page)), inputs, page, result, problem_of)
        now[id(page)] = _Resolved((page, result, inputs.sources, inputs.publications), settings, resolution)
        fingerprint.remember(resolution.resolved, memo.digest(around, key))  # the key covers the page and its Markdown's result
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


@dataclass(frozen=True)
class _Resolved:
    """A page as a build resolved it: the objects it was resolved from, the settings, the result."""

    made_from: tuple[object, ...]
    settings: Settings
    resolution: PageResolution


def _resolve_page_memoised(
    known: _Resolved | None, inputs: Inputs, page: Page, result: MarkupResult, problem_of: Callable[[CitationKey], str],
) -> PageResolution:
    """`resolve_page`, or what the previous build of this process made of it while the page, its
    Markdown's result and the sources are the very objects they were then (the memo hands out the
    same objects) and the settings are equal (they are read anew each build: compared by value)."""
    made_from = (page, result, inputs.sources, inputs.publications)
    if known is not None and all(old is new for old, new in zip(known.made_from, made_from, strict=True)) and known.settings == inputs.settings:
        return known.resolution
    return resolve_page(inputs.settings, page, result, inputs.sources, inputs.publications, problem_of)


def _site(settings: Settings, inputs: Inputs, resolutions: list[PageResolution], findings: tuple[Problem, ...]) -> Site:
    """The site model: pages home first, then by nav order, then by title; topics; back-links (none from a draft)."""
    in_order = sorted(resolutions, key=lambda r: (r.resolved.url != HOME_URL, r.resolved.order is None, r.resolved.order or 0, r.resolved.title.lower()))
    ordered = [resolution.resolved for resolution in in_order]
    nav = tuple(p for p in ordered if p.order is not None and not p.draft)
    summaries = {resolution.resolved.url: resolution.summary for resolution in in_order}
    on_pages: dict[str, list[PageSummary]] = {term.id: [] for term in inputs.glossary}
    for page in (p for p in ordered if not p.draft):
        for term_id in dict.fromkeys(page.terms):
            if term_id in on_pages:
                on_pages[term_id].append(summaries[page.url])
    return Site(
        settings=settings,
        pages=tuple(ordered),
        nav=nav,
        topics=tuple(summaries[p.url] for p in nav),
        sources=dict(inputs.sources),
        source_pages=_source_pages(inputs.sources, [r for r in in_order if not r.resolved.draft]),
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
