"""Citations that check themselves: the quotes and numbers of every cited statement and figure value
against what it cites (`quotes`, `numbers`: findings, which `--strict` fails on), and the claims
stated more strongly than their passages (`softening`: warnings, for a person to judge)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.errors import Problem, absolute_path
from ..resolve.model import ResolvedPage, Site
from ..resolve.page_state import Statement
from .cited import Cited, citation_uses, cited_by
from .claims import claims
from .numbers import number_problems
from .quotes import quote_problems
from .softening import Hedges, load_hedges, softening_warning


def verification_problems(site: Site) -> list[Problem]:
    """Each quote and number of a cited statement that what it cites does not hold, page by page."""
    problems: list[Problem] = []
    for page, statement, cites in _cited_statements(site):
        path = absolute_path(site.settings.content_dir / page.source)
        found = claims(statement.text)
        problems += quote_problems(path, statement, found.quotes, cites)
        problems += number_problems(path, statement, found.numbers, cites)
    return problems


def softening_warnings(site: Site, hedges: Hedges | None = None) -> list[Problem]:
    """Each cited statement that states more firmly than the passages it cites (see `softening`)."""
    rules = hedges or load_hedges()
    warnings = []
    for page, statement, cites in _cited_statements(site):
        if statement.kind == "figure value":
            continue
        message = softening_warning(statement.text, cites, rules)
        if message:
            warnings.append(Problem(absolute_path(site.settings.content_dir / page.source), statement.line, message))
    return warnings


def _cited_statements(site: Site) -> Iterator[tuple[ResolvedPage, Statement, tuple[Cited, ...]]]:
    """Every statement and figure value that carries citations of its own, with what they cite, in reading order."""
    for page in site.pages:
        uses = citation_uses(page)
        for statement in sorted((*page.statements, *page.figure_values), key=lambda statement: statement.line):
            cites = cited_by(statement, uses)
            if cites:
                yield page, statement, cites
