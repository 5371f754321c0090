"""Check, the fourth stage: the findings about a rendered site, which `--strict` turns into failures.

They are the site model's own (broken cross-links found while resolving), the link check of every
HTML output (links and anchors that point nowhere, duplicate ids, raw HTML that would run script)
the coverage of the seeds, the statements without a citation, the quotes and numbers their citations
do not hold (`verification`) and the pages nothing links to. Softened claims are warnings
(`Checked.warnings`): reported, never a failure. Each output's scan (its ids and links) is kept in the memo by its
render key (or its bytes' digest), and its link problems by that key together with the ids and paths
of the whole site, so that an unchanged output in unchanged surroundings is not checked again.

The findings are kept by where they come from (`CheckParts`), so that after an edit of a few pages
`check_again` checks only their outputs and statements and keeps the rest.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem, absolute_path
from ..core.layout import HOME_URL
from ..core.packed import sha256_of
from ..core.parallel import parallel_map
from ..core.records import compact
from ..incremental.cache import ENGINE, instance_of, tuple_of
from ..incremental.memo import Kind, Memo, digest
from ..render.outputs import Rendered
from ..resolve.model import ResolvedPage, Site
from .coverage import coverage_problems
from .edited import page_edited_problems
from .links import LinkScan, link_problems, scan_links
from .orphans import orphan_problems
from .statements import page_statement_problems
from .verification import Finding, softening_warnings, verification_findings, verification_problems


@compact
@dataclass(frozen=True, slots=True)
class Scan:
    """The ids and links of one HTML output (what the link check reads), kept in the memo."""

    scanned: LinkScan
    ids_digest: str  # of its ids, which every other output's link check depends on


SCAN = Kind("scan", instance_of(Scan))
HOME_OUTPUT = f"{HOME_URL}index.html"
LINKS = Kind("links", tuple_of(instance_of(Problem)))


@dataclass(frozen=True)
class PageChecks:
    """What the check found in one page's own statements and citations."""

    uncited: tuple[Problem, ...]  # statements without a citation
    edited: tuple[Problem, ...]  # citations of edited passages not yet reviewed
    verified: tuple[Finding, ...]  # quotes, numbers and softened claims


@dataclass(frozen=True)
class CheckParts:
    """The findings of a check by where they come from, with what checking a few outputs again needs."""

    scans: Mapping[str, Scan]  # HTML output → its scan
    links_around: str  # the digest every output's link problems depend on besides its own
    links: Mapping[str, tuple[Problem, ...]] | None  # HTML output → its link problems (None: not told apart by output)
    link_problems: tuple[Problem, ...]
    coverage: tuple[Problem, ...]
    pages: Mapping[str, PageChecks]  # page output → its checks, in the site's page order
    orphans: tuple[Problem, ...]
    home_links: tuple[str, ...]
    prefix: str  # where the site lies, as findings in outputs name it


@dataclass(frozen=True)
class Checked:
    """What the check found: the findings (`--strict` fails on them) and the warnings, for a person to
    judge but no rule can decide (the claims stated more firmly than their passages)."""

    findings: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    parts: CheckParts | None = None


def check_site(site: Site, rendered: Rendered, out_dir: Path, memo: Memo) -> Checked:
    """Every finding and warning about the site, in a stable order; a finding in an output lies in
    `out_dir`, where the site is (or would be) written."""
    prefix = absolute_path(out_dir)
    outputs = rendered.outputs
    scans = _scans(outputs, [path for path in outputs if path.endswith(".html")], rendered.keys, memo)
    home_links = _home_links(scans)
    around = _links_around(site, outputs, scans, prefix, memo)
    by_output = _link_problems(site, rendered, scans, around, prefix, sorted(scans), memo)
    problems = _unowned_problems(site, rendered, scans, prefix) if by_output is None else _flat(by_output)
    verified = verification_findings(site, memo)
    pages = {page.output: _page_checks(site, page, found) for page, found in zip(site.pages, verified, strict=True)}
    parts = CheckParts(
        scans, around, by_output, problems, tuple(coverage_problems(site)), pages, tuple(orphan_problems(site, home_links)), home_links, prefix,
    )
    return _checked(site, parts)


def check_again(last: Checked, site: Site, rendered: Rendered, outputs: Collection[str], pages: tuple[ResolvedPage, ...], memo: Memo) -> Checked | None:
    """`last` with the `outputs` (HTML output paths) rendered again and the `pages` resolved again
    checked anew; the rest as it was. None when their change reaches other outputs' findings (an id
    any link could point to, the home page's links, problems not told apart by output): the site
    must then be checked whole."""
    parts = last.parts
    if parts is None or parts.links is None:
        return None
    scans = {**parts.scans, **_scans(rendered.outputs, list(outputs), rendered.keys, memo)}
    home_again = HOME_OUTPUT in outputs and _home_links(scans) != parts.home_links
    if home_again or any(scans[path].ids_digest != parts.scans[path].ids_digest for path in outputs):
        return None
    links = _link_problems(site, rendered, scans, parts.links_around, parts.prefix, outputs, memo)
    if links is None:
        return None
    checks = {page.output: _page_checks(site, page, found) for page, found in zip(pages, verification_findings(site, memo, pages), strict=True)}
    parts = dataclasses.replace(parts, scans=scans)
    if all(parts.links[path] == problems for path, problems in links.items()) and all(parts.pages[path] == found for path, found in checks.items()):
        return Checked(last.findings, last.warnings, parts)  # what the site's findings are made of is what it was
    by_output = {**parts.links, **links}  # each output keeps its place
    return _checked(site, dataclasses.replace(parts, links=by_output, link_problems=_flat(by_output), pages={**parts.pages, **checks}))


def _checked(site: Site, parts: CheckParts) -> Checked:
    """The findings in their order (the site's own, links, coverage, uncited statements, edited
    passages, quotes and numbers, orphans) and the warnings."""
    checks = parts.pages.values()
    findings = (
        *site.findings, *parts.link_problems, *parts.coverage,
        *(problem for page in checks for problem in page.uncited), *(problem for page in checks for problem in page.edited),
        *verification_problems(finding for page in checks for finding in page.verified), *parts.orphans,
    )
    return Checked(findings, tuple(softening_warnings(finding for page in checks for finding in page.verified)), parts)


def _page_checks(site: Site, page: ResolvedPage, verified: tuple[Finding, ...]) -> PageChecks:
    return PageChecks(tuple(page_statement_problems(site, page)), tuple(page_edited_problems(site, page)), verified)


def _home_links(scans: Mapping[str, Scan]) -> tuple[str, ...]:
    home = scans.get(HOME_OUTPUT)
    return tuple(href for _, href in home.scanned.links) if home is not None else ()


def _links_around(site: Site, outputs: Mapping[str, bytes], scans: Mapping[str, Scan], prefix: str, memo: Memo) -> str:
    """What every output's link problems depend on: every output path and id, the site's own findings, where the site lies."""
    return memo.fingerprint.of(
        sorted(outputs), [(path, scans[path].ids_digest) for path in sorted(scans)], site.findings, prefix, str(site.settings.content_dir),
    )


def _link_problems(
    site: Site, rendered: Rendered, scans: Mapping[str, Scan], around: str, prefix: str, paths: Collection[str], memo: Memo,
) -> dict[str, tuple[Problem, ...]] | None:
    """Link problems of each HTML output at `paths`, in their order; outputs whose page, bytes and
    surroundings are unchanged reuse theirs from the memo. None when a problem found belongs to no
    output nor its page (see `_unowned_problems`)."""
    outputs = rendered.outputs
    fingerprint = memo.fingerprint
    keys = {
        path: memo.digest(ENGINE, "links", around, rendered.keys.get(path) or sha256_of(outputs, path), fingerprint.of(_page_of(rendered, path)))
        for path in paths
    }
    known = {path: memo.get(LINKS, key) for path, key in keys.items()}
    missing = {path for path, found in known.items() if found is None}
    if missing:
        owners = {f"{prefix}/{path}": path for path in missing}
        owners.update({absolute_path(site.settings.content_dir / p.source): p.output for p in map(functools.partial(_page_of, rendered), missing) if p})
        fresh = link_problems(outputs, prefix, site, scan=lambda path: scans[path].scanned, only=missing)
        if any(problem.path not in owners for problem in fresh):
            return None
        found: dict[str, list[Problem]] = {path: [] for path in missing}
        for problem in fresh:
            found[owners[problem.path]].append(problem)
        for path in missing:
            known[path] = tuple(found[path])
            memo.put(LINKS, keys[path], known[path])
    return {path: found or () for path, found in known.items()}


def _unowned_problems(site: Site, rendered: Rendered, scans: Mapping[str, Scan], prefix: str) -> list[Problem]:
    """Every link problem of the site, checked whole and sorted by file: some belong to no output nor its page."""
    return sorted(link_problems(rendered.outputs, prefix, site, scan=lambda path: scans[path].scanned), key=lambda problem: problem.path)


def _flat(by_output: Mapping[str, tuple[Problem, ...]]) -> tuple[Problem, ...]:
    return tuple(problem for problems in by_output.values() for problem in problems)


def _page_of(rendered: Rendered, path: str) -> ResolvedPage | None:
    """The content page whose output is at `path`, if it is one."""
    job = rendered.jobs.get(path)
    return job.page if job is not None and isinstance(job.page, ResolvedPage) else None


def _scans(outputs: Mapping[str, bytes], paths: list[str], keys: Mapping[str, str], memo: Memo) -> dict[str, Scan]:
    """The scan of each HTML output at `paths`: from the memo when its bytes are unchanged, else made
    anew (over several cores when there are many), reading one output's bytes at a time."""
    scan_keys = {path: keys.get(path) or sha256_of(outputs, path) for path in paths}
    found: dict[str, Scan] = {}
    missing: list[str] = []
    for path, key in scan_keys.items():
        known = memo.get(SCAN, key)
        if known is None:
            missing.append(path)
        else:
            found[path] = known
    for path, scanned in zip(missing, parallel_map(functools.partial(_scan_output, outputs), missing), strict=True):
        found[path] = Scan(scanned, digest(*scanned.ids))
        memo.put(SCAN, scan_keys[path], found[path])
    return {path: found[path] for path in paths}


def _scan_output(outputs: Mapping[str, bytes], path: str) -> LinkScan:
    return scan_links(outputs[path])
