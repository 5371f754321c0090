"""The whole pipeline in one call: load → resolve → render → check → write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .checks import coverage_problems, link_problems
from .errors import BuildError, Problem
from .hosting import hosting_files
from .output import check_output_dir, write_site
from .render import Theme, load_theme, render_site
from .site import Site, load_site


@dataclass(frozen=True)
class BuildResult:
    site: Site
    outputs: dict[str, bytes]
    findings: tuple[Problem, ...]  # broken links and anchors, uncited passages


def render_project(root: Path, theme: Theme | None = None) -> BuildResult:
    """Load, resolve, render and check the project at `root`, without writing anything."""
    site = load_site(root)
    theme = theme or load_theme(site.settings.templates_dir, site.settings.static_dir)
    outputs = {**render_site(site, theme), **hosting_files(site.settings)}
    prefix = site.settings.output_dir.rstrip("/") or "site"
    findings = (*site.findings, *link_problems(outputs, prefix, site), *coverage_problems(site))
    return BuildResult(site, outputs, tuple(findings))


def build(
    root: Path,
    out_dir: Path | None = None,
    strict: bool = False,
    before_swap: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build the site into `out_dir` (default: the settings' output folder).

    With `strict`, any finding fails the build before anything is written.
    """
    result = render_project(root)
    target = out_dir or result.site.settings.output_path
    check_output_dir(target, root)
    if strict and result.findings:
        raise BuildError(result.findings)
    write_site(result.outputs, target, root, before_swap)
    return result
