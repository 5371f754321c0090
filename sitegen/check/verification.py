"""Citations that check themselves: the quotes and numbers of every cited statement and figure value
against what it cites (`quotes`, `numbers`: findings, which `--strict` fails on), and the claims
stated more strongly than their passages (`softening`: warnings, for a person to judge)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..core.errors import Problem, absolute_path
from ..resolve.model import Site
from ..resolve.page_state import Statement
from .cited import Cited, citation_uses, cited_by
from .claims import claims
from .numbers import number_problems
from .quotes import quote_problems
from .softening import Hedges, load_hedges, softening_warning

QUOTE, NUMBER, SOFTENING = "quote", "number", "softening"


@dataclass(frozen=True)
class Finding:
    """One finding at a statement: its kind (`QUOTE`, `NUMBER` or `SOFTENING`) and the problem reported."""

    kind: str
    problem: Problem


def findings_of(path: str, statement: Statement, cites: tuple[Cited, ...], hedges: Hedges, kinds: frozenset[str] | None = None) -> Iterator[Finding]:
    """What the verification finds at `statement` of the page at `path`, which cites `cites` (only `kinds`, when given)."""
    wanted = kinds or frozenset({QUOTE, NUMBER, SOFTENING})
    found = claims(statement.text)
    if QUOTE in wanted:
        yield from (Finding(QUOTE, problem) for problem in quote_problems(path, statement, found.quotes, cites))
    if NUMBER in wanted:
        yield from (Finding(NUMBER, problem) for problem in number_problems(path, statement, found.numbers, cites))
    if SOFTENING in wanted and statement.kind != "figure value":  # a value is a number, not a claim a verb could overstate
        message = softening_warning(statement.text, cites, hedges)
        if message:
            yield Finding(SOFTENING, Problem(path, statement.line, message))


def verification_problems(site: Site) -> list[Problem]:
    """Each quote and number of a cited statement that what it cites does not hold, page by page."""
    return [finding.problem for finding in _findings(site, frozenset({QUOTE, NUMBER}))]


def softening_warnings(site: Site) -> list[Problem]:
    """Each cited statement that states more firmly than the passages it cites (see `softening`)."""
    return [finding.problem for finding in _findings(site, frozenset({SOFTENING}))]


def _findings(site: Site, kinds: frozenset[str]) -> Iterator[Finding]:
    """The findings of `kinds` at every statement and figure value that carries citations of its own, in reading order."""
    hedges = load_hedges()
    for page in site.pages:
        uses = citation_uses(page)
        path = ""  # worked out at the page's first cited statement
        for statement in sorted((*page.statements, *page.figure_values), key=lambda statement: statement.line):
            cites = cited_by(statement, uses)
            if cites:
                path = path or absolute_path(site.settings.content_dir / page.source)
                yield from findings_of(path, statement, cites, hedges, kinds)
