"""Check, the fourth stage: the findings about a rendered site, which `--strict` turns into failures.

They are the site model's own (broken cross-links found while resolving), the link check of every
HTML output (links and anchors that point nowhere, duplicate ids, raw HTML that would run script)
the coverage of the seeds, the statements without a citation, the quotes and numbers their citations
do not hold (`verification`) and the pages nothing links to. Softened claims are warnings
(`Checked.warnings`): reported, never a failure. Each output's scan (its ids and links) is kept in the memo by its
render key (or its bytes' digest), and its link problems by that key together with the ids and paths
of the whole site, so that an unchanged output in unchanged surroundings is not checked again.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
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
from ..resolve.model import Site
from .coverage import coverage_problems
from .edited import edited_problems
from .links import LinkScan, link_problems, scan_links
from .orphans import orphan_problems
from .statements import statement_problems
from .verification import softening_warnings, verification_findings, verification_problems


@compact
@dataclass(frozen=True, slots=True)
class Scan:
    """The ids and links of one HTML output (what the link check reads), kept in the memo."""

    scanned: LinkScan
    ids_digest: str  # of its ids, which every other output's link check depends on


SCAN = Kind("scan", instance_of(Scan))
LINKS = Kind("links", tuple_of(instance_of(Problem)))


@dataclass(frozen=True)
class Checked:
    """What the check found: the findings (`--strict` fails on them) and the warnings, for a person to
    judge but no rule can decide (the claims stated more firmly than their passages)."""

    findings: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def check_site(site: Site, rendered: Rendered, out_dir: Path, memo: Memo) -> Checked:
    """Every finding and warning about the site, in a stable order; a finding in an output lies in
    `out_dir`, where the site is (or would be) written."""
    prefix = absolute_path(out_dir)
    outputs = rendered.outputs
    scans = _scans(outputs, [path for path in outputs if path.endswith(".html")], rendered.keys, memo)
    home = scans.get(f"{HOME_URL}index.html")
    home_links = [href for _, href in home.scanned.links] if home is not None else []
    verified = verification_findings(site, memo)
    findings = (
        *site.findings, *_link_problems(site, rendered, scans, prefix, memo), *coverage_problems(site), *statement_problems(site), *edited_problems(site),
        *verification_problems(verified), *orphan_problems(site, home_links),
    )
    return Checked(findings, tuple(softening_warnings(verified)))


def _link_problems(site: Site, rendered: Rendered, scans: Mapping[str, Scan], prefix: str, memo: Memo) -> list[Problem]:
    """Link problems of every HTML output (`scans`: theirs); outputs whose page, bytes and surroundings are unchanged reuse theirs."""
    outputs = rendered.outputs
    fingerprint = memo.fingerprint
    around = fingerprint.of(
        sorted(outputs), [(path, scans[path].ids_digest) for path in sorted(scans)], site.findings,
        prefix, str(site.settings.content_dir),
    )
    pages = {page.output: page for page in site.pages}
    keys = {
        path: memo.digest(ENGINE, "links", around, rendered.keys.get(path) or sha256_of(outputs, path), fingerprint.of(pages.get(path)))
        for path in scans
    }
    known = {path: memo.get(LINKS, key) for path, key in keys.items()}
    missing = {path for path, found in known.items() if found is None}
    if missing:
        owners = {f"{prefix}/{path}": path for path in missing}
        owners.update({absolute_path(site.settings.content_dir / p.source): p.output for p in site.pages if p.output in missing})
        fresh = link_problems(outputs, prefix, site, scan=lambda path: scans[path].scanned, only=missing)
        if any(problem.path not in owners for problem in fresh):  # cannot tell whose: keep nothing
            cached = [problem for path in sorted(known) if path not in missing for problem in known[path] or ()]
            return sorted(cached + fresh, key=lambda problem: problem.path)
        found: dict[str, list[Problem]] = {path: [] for path in missing}
        for problem in fresh:
            found[owners[problem.path]].append(problem)
        for path in missing:
            known[path] = tuple(found[path])
            memo.put(LINKS, keys[path], known[path])
    return [problem for path in sorted(known) for problem in known[path] or ()]


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
