"""Citations that check themselves: the quotes and numbers of every cited statement and figure value
against what it cites (`quotes`, `numbers`: findings, which `--strict` fails on), and the claims
stated more strongly than their passages (`softening`: warnings, for a person to judge)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..core.errors import Problem, absolute_path
from ..core.parallel import parallel_map
from ..incremental.cache import ENGINE, instance_of, tuple_of
from ..incremental.memo import Kind, Memo
from ..resolve.model import ResolvedPage, Site
from ..resolve.page_state import Statement
from .cited import Cited, citation_uses, cited_by
from .claims import claim_text, claims_in
from .numbers import number_problems
from .quotes import quote_problems
from .softening import Hedges, load_hedges, softening_of_claims

QUOTE, NUMBER, SOFTENING = "quote", "number", "softening"


@dataclass(frozen=True)
class Finding:
    """One finding at a statement: its kind (`QUOTE`, `NUMBER` or `SOFTENING`) and the problem reported."""

    kind: str
    problem: Problem


def findings_of(path: str, statement: Statement, cites: tuple[Cited, ...], hedges: Hedges) -> Iterator[Finding]:
    """What the verification finds at `statement` of the page at `path`, which cites `cites`."""
    text = claim_text(statement.text)
    found = claims_in(text)
    yield from (Finding(QUOTE, problem) for problem in quote_problems(path, statement, found.quotes, cites))
    yield from (Finding(NUMBER, problem) for problem in number_problems(path, statement, found.numbers, cites))
    if statement.kind != "figure value":  # a value is a number, not a claim a verb could overstate
        message = softening_of_claims(text, cites, hedges)
        if message:
            yield Finding(SOFTENING, Problem(path, statement.line, message))


VERIFIED = Kind("verified", tuple_of(instance_of(Finding)))


def verification_problems(found: Iterable[Finding]) -> list[Problem]:
    """Of the findings of `verification_findings`, each quote and number that what it cites does not hold."""
    return [finding.problem for finding in found if finding.kind != SOFTENING]


def softening_warnings(found: Iterable[Finding]) -> list[Problem]:
    """Of the findings of `verification_findings`, each statement more firmly stated than the passages it cites."""
    return [finding.problem for finding in found if finding.kind == SOFTENING]


def verification_findings(site: Site, memo: Memo, pages: tuple[ResolvedPage, ...] | None = None) -> list[tuple[Finding, ...]]:
    """The findings of each page (default: every page of the site), in page order; a page's are kept in
    the memo by the page (its statements, and the passages and notes its references hold) and the rules."""
    pages = site.pages if pages is None else pages
    hedges = load_hedges()
    around = memo.fingerprint.of(hedges, str(site.settings.content_dir))
    keys = [memo.digest(ENGINE, "verified", around, memo.fingerprint.of(page)) for page in pages]
    known = [memo.get(VERIFIED, key) for key in keys]
    missing = [page for page, findings in zip(pages, known, strict=True) if findings is None]
    made = iter(parallel_map(lambda page: tuple(_page_findings(site, page, hedges)), missing))
    found: list[tuple[Finding, ...]] = []
    for key, findings in zip(keys, known, strict=True):
        if findings is None:
            findings = next(made)
            memo.put(VERIFIED, key, findings)
        found.append(findings)
    return found


def _page_findings(site: Site, page: ResolvedPage, hedges: Hedges) -> Iterator[Finding]:
    """The findings at every statement and figure value of `page` that carries citations of its own, in reading order."""
    uses = citation_uses(page)
    path = ""  # worked out at the page's first cited statement
    for statement in sorted((*page.statements, *page.figure_values), key=lambda statement: statement.line):
        cites = cited_by(statement, uses)
        if cites:
            path = path or absolute_path(site.settings.content_dir / page.source)
            yield from findings_of(path, statement, cites, hedges)
