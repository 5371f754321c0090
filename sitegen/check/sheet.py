"""The citation sheet: every statement of a page (and every value of its figures) beside what it
cites, with the findings of the verification (quotes, numbers, softened claims) at it. What an
editor reads instead of the whole site: `review` writes it as HTML, `scripts/citation_sheet.py`
prints it as text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core.errors import BuildError, Problem, absolute_path
from ..resolve.model import ResolvedPage, Site
from ..resolve.page_state import Statement
from .cited import Cited, citation_uses, cited_by
from .softening import Hedges, load_hedges
from .verification import Finding, findings_of


@dataclass(frozen=True)
class Row:
    """One statement of the sheet: where it is, what it says, what it cites and what was found."""

    line: int
    kind: str
    status: str  # "cited", "cited by the items it introduces", "editorial", "UNCITED"
    text: str
    cited: tuple[Cited, ...]
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class PageSheet:
    source: str  # the page's file, from the project folder: "content/topic.md"
    title: str
    rows: tuple[Row, ...]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def findings(self) -> int:
        return sum(len(row.findings) for row in self.rows)


def sheet(site: Site, content: str = "content", only: Sequence[ResolvedPage] | None = None) -> list[PageSheet]:
    """Every page of `site` (or those of `only`), in the site's order, with its statements, what each cites and its findings."""
    pages = site.pages if only is None else tuple(only)
    hedges = load_hedges()
    sheets = []
    for page in pages:
        path = absolute_path(site.settings.content_dir / page.source)
        sheets.append(PageSheet(f"{content}/{page.source}", page.title, tuple(_rows(page, path, hedges))))
    return sheets


def pages_named(site: Site, names: Iterable[str]) -> list[ResolvedPage]:
    """The pages `names` name, in the site's order: by their file in content/ (`topic.md`, `content/topic.md`, `topic`);
    a name that is no page is an error naming the pages there are."""
    content = site.settings.content_dir.name
    wanted: list[ResolvedPage] = []
    problems = []
    for name in names:
        bare = name.removeprefix(f"{content}/").removeprefix("./")
        page = next((page for page in site.pages if bare in (page.source, page.source.removesuffix(".md"))), None)
        if page is None:
            known = ", ".join(page.source for page in site.pages)
            problems.append(Problem(absolute_path(site.settings.content_dir), 0, f"no page {name!r}: the pages are {known}"))
        elif page not in wanted:
            wanted.append(page)
    if problems:
        raise BuildError(problems)
    return [page for page in site.pages if page in wanted]


def _rows(page: ResolvedPage, path: str, hedges: Hedges) -> Iterable[Row]:
    uses = citation_uses(page)
    for statement in sorted((*page.statements, *page.figure_values), key=lambda statement: statement.line):
        cited = cited_by(statement, uses)
        findings = tuple(findings_of(path, statement, cited, hedges)) if cited else ()
        yield Row(statement.line, statement.kind, _status(statement), statement.text or statement.excerpt, cited, findings)


def _status(statement: Statement) -> str:
    if statement.citations:
        return "cited"
    if statement.cited:
        return "cited by the items it introduces"
    return "editorial" if statement.editorial else "UNCITED"
