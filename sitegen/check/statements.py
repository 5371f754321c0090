"""Statement coverage: every statement of a page body (see `resolve.statements`) that carries no
citation, outside an editorial admonition and on a page that does not opt out, is a finding at its
line; and the per-page counts the coverage table prints."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Problem, absolute_path
from ..resolve.model import ResolvedPage, Site


@dataclass(frozen=True)
class StatementCount:
    """How the statements of one page are accounted for."""

    source: str  # the page's path in content/
    cited: int
    editorial: int  # not cited, and needing no citation
    uncited: int


def statement_counts(site: Site) -> list[StatementCount]:
    """Per page, in the site's order: its statements cited, editorial and uncited."""
    return [_count(page) for page in site.pages]


def _count(page: ResolvedPage) -> StatementCount:
    cited = sum(1 for statement in page.statements if statement.cited)
    editorial = sum(1 for statement in page.statements if not statement.cited and statement.editorial)
    return StatementCount(page.source, cited, editorial, len(page.statements) - cited - editorial)


def page_statement_problems(site: Site, page: ResolvedPage) -> list[Problem]:
    """Each statement of `page` that needs a citation and carries none, at its file line."""
    problems = []
    path = ""  # worked out at the page's first finding: most pages have none, a few have thousands
    for statement in page.statements:
        if not statement.cited and not statement.editorial:
            path = path or absolute_path(site.settings.content_dir / page.source)
            problems.append(Problem(
                path, statement.line,
                f"statement without a citation: \"{statement.excerpt}\" (a {statement.kind}: cite the passage it rests on, "
                "or set editorial text in a note)",
            ))
    return problems
