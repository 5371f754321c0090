"""Resolving: loaded sources and pages become one `Site` (see `model`): every page resolved (see
`page`: citations checked and numbered, links rewritten, review dates worked out), navigation
ordered and back-links from every cited passage to the citations that use it. Start at
`resolve_pages`; `resolve_again` resolves a few edited pages of a resolved site again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..core.errors import BuildError, Problem, Problems
from ..core.layout import HOME_URL
from ..incremental.cache import ENGINE
from ..incremental.memo import Memo
from ..load.inputs import Inputs
from ..load.pages import Page
from ..load.settings import Settings
from ..load.sources import Source
from .citations import CitationKey, citation_problem
from .convert import Converted, convert_again, convert_pages
from .markup import MarkupResult
from .model import Backlink, PageResolution, PageSummary, Site, SourcePage, source_page_digest, source_url
from .page import check_citations, resolve_page

__all__ = ["Resolution", "resolve_again", "resolve_pages", "resolve_site"]


def resolve_site(inputs: Inputs, memo: Memo) -> Site:
    """The site model of the loaded inputs (see `resolve_pages`)."""
    return resolve_pages(inputs, memo).site


@dataclass(frozen=True)
class Resolution:
    """The site as resolving made it, with what resolving some of its pages again needs: each page's
    resolution (in the inputs' order), the converter and the digests its pages' keys were made from."""

    site: Site
    pages: tuple[PageResolution, ...]
    converted: Converted
    around: str  # of the settings, sources and publications every page's resolution depends on


def resolve_pages(inputs: Inputs, memo: Memo) -> Resolution:
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
    problem_of = _problem_finder(inputs)
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
    return Resolution(site, tuple(resolutions), converted, around)


def resolve_again(last: Resolution, inputs: Inputs, pages: tuple[Page, ...], memo: Memo) -> Resolution | None:
    """`last` with `pages` of `inputs` (pages of the same files at the same URLs) resolved again; the
    rest of the site is taken as it was. None when a page's resolution reaches beyond the page (see
    `_same_reach`) or has problems: the site must then be resolved whole."""
    results, keys = convert_again(last.converted.markup, last.converted.around, pages, memo)
    problem_of = _problem_finder(inputs)
    resolutions = list(last.pages)
    for page, result, key in zip(pages, results, keys, strict=True):
        position = inputs.positions[page.source]
        new = resolve_page(inputs.settings, page, result, inputs.sources, inputs.publications, problem_of)
        if new.problems or not _same_reach(resolutions[position], new):
            return None
        memo.fingerprint.remember(new.resolved, memo.digest(last.around, key))
        resolutions[position] = new
    site = last.site.replacing(resolutions[inputs.positions[page.source]].resolved for page in pages)
    return Resolution(site, tuple(resolutions), last.converted, last.around)


def _same_reach(old: PageResolution, new: PageResolution) -> bool:
    """Whether a page resolved again shows the rest of the site what it showed before: its place in
    the lists and navigation, its summary, the terms, passages and pages it links to, its review
    dates (in the sitemap) and the findings resolving reported (which every link check reads). Of its links, only
    the pages they lead to matter beyond it (to tell which pages nothing links to)."""
    before, after = old.resolved, new.resolved
    return (
        old.summary == new.summary and old.backlinks == new.backlinks and old.findings == new.findings
        and (before.url, before.order, before.draft, before.terms, before.reviewed, before.next_review)
        == (after.url, after.order, after.draft, after.terms, after.reviewed, after.next_review)
        and {link.target_url for link in before.links} == {link.target_url for link in after.links}
    )


def _problem_finder(inputs: Inputs) -> Callable[[CitationKey], str]:
    """`citation_problem` for the sources and publications of `inputs`, each key's found once."""
    return functools.cache(functools.partial(citation_problem, sources=inputs.sources, publications=inputs.publications))


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
