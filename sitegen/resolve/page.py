"""Resolving one page: its converted Markdown becomes a `ResolvedPage` (see `model`) with its
citations checked and numbered into references, its statements at their file lines, its broken
cross-links as findings, its review date worked out and the back-links from each passage it cites.
`resolve_site` (in `site`) does this for every page and assembles the site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping

from ..core.errors import Problem, Problems, absolute_path
from ..load.pages import Page
from ..load.publications import Publication
from ..load.settings import Settings
from ..load.sources import Source
from .citations import CitationKey, FoundCitation, citation_problem, find_citations
from .markup import MarkupResult
from .model import Backlink, PageResolution, Reference, ResolvedPage, summary
from .page_state import LinkTarget, Statement

__all__ = ["check_citations", "resolve_page"]


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
        deflated_html=result.deflated_html,
        toc=result.toc,
        references=_references(result, sources, publications, problem_of),
        terms=result.terms,
        links=tuple(LinkTarget(page.body_line + t.line - 1, t.target_url, t.fragment, t.written) for t in result.links),
        deflated_body=page.deflated_body,
        body_line=page.body_line,
        structured_data=page.structured_data.over(settings.structured_data),
        statements=_statements(settings, page, result),
        figure_values=tuple(dataclasses.replace(value, line=value.line + page.body_line - 1) for value in result.figure_values),
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
        Statement.from_row(row, offset, page.editorial or bool(row[3] and not editorial.isdisjoint(row[3])))  # row[3]: the admonitions around it
        for row in result.statement_rows
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
    locators = dict(result.locators)
    return tuple(
        _reference(number, key, anchors, sources, publications, tuple(locators.get(anchor, "") for anchor in anchors))
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
    locators: tuple[str, ...],
) -> Reference:
    if key.is_passage:
        source = sources[key.target]
        passages = tuple(p for n in key.numbers if (p := source.passage(n)) is not None)
        return Reference(number, key, anchors, passages, source, None)
    return Reference(number, key, anchors, (), None, publications[key.target], locators if any(locators) else ())


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
