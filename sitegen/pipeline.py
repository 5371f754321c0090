"""The whole pipeline in one call: load → resolve → render → check → write."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from .core.errors import BuildError
from .incremental.builder import Builder, BuildResult
from .load.settings import load_settings
from .render.pages import Theme
from .write.output import check_output_dir, recover, write_site

__all__ = ["BuildResult", "build", "render_project"]


def render_project(root: Path, theme: Theme | None = None, out_dir: Path | None = None) -> BuildResult:
    """Load, resolve, render and check the project at `root`, without writing anything.

    Work whose inputs did not change since the last build is taken from the build cache (which may
    lie neither in the project's input folders nor in the output folder, or `out_dir` when given).
    """
    return Builder(root, theme, out_dir=out_dir).render()


def build(
    root: Path,
    out_dir: Path | None = None,
    strict: bool = False,
    before_swap: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build the site into `out_dir` (default: the settings' output folder).

    With `strict`, any finding fails the build before anything is written. When the folder
    already holds exactly the outputs (and `before_swap` adds nothing), it is left untouched.
    """
    if out_dir is not None:
        check_output_dir(out_dir, root)  # before the build reads or writes its cache, which must lie outside it
    _recover(root, out_dir)
    result = render_project(root, out_dir=out_dir)
    target = out_dir or result.site.settings.output_path
    if out_dir is None:
        check_output_dir(target, root)
    if strict and result.findings:
        raise BuildError(result.findings)
    written = write_site(result.outputs, target, root, before_swap, likely_changed=result.rendered or ())
    return dataclasses.replace(result, written=written)


def _recover(root: Path, out_dir: Path | None) -> None:
    """Tidy the output folder before rendering (see `recover`); settings that do not load are
    reported by the build itself."""
    try:
        target = out_dir or load_settings(root).output_path
    except BuildError:
        return
    recover(target, root)
