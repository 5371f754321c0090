"""The build, top to bottom: load → resolve → render → check → write.

Every command runs this one function: `build` writes the site, `check` and the dev server stop
before writing (the dev server then rewrites only the files that changed). The memo is what makes a
build incremental: each stage consults it for its own results and fills it; a build through
`Memo.off()` does all the work and writes the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .check.site import Checked, check_again, check_site
from .core.errors import BuildError, Problem
from .core.packed import PackedOutputs
from .core.progress import Observer, reporting_to, stage
from .incremental.memo import Memo
from .load.inputs import Inputs, load_inputs, reload_pages
from .load.settings import Settings, load_settings
from .render.outputs import Rendered, render_again, render_site
from .render.theme import Theme, theme_for
from .resolve.model import Site
from .resolve.site import Resolution, resolve_again, resolve_pages
from .write.output import prepare_output, write_site
from .write.search_index import SearchIndex, search_index


@dataclass(frozen=True)
class BuildResult:
    site: Site
    outputs: Mapping[str, bytes]  # packed (`core.packed`) when the build wrote them: each unpacked when it is read
    findings: tuple[Problem, ...]  # broken links and anchors, uncited passages
    rendered: frozenset[str]  # the outputs this build rendered anew (the others came from the memo)
    written: bool | None = None  # whether the output folder was written (False: it held these files already; None: not asked to)
    drafts_left_out: tuple[str, ...] = ()  # the pages with `draft: true` this build left out (paths in content/)
    warnings: tuple[Problem, ...] = ()  # for a person to judge (softened claims): never a failure, not even with `strict`
    stages: Stages | None = None  # what each stage made, for a build after an edit (`last`)
    differing: frozenset[str] | None = None  # of a build that amended `last`: the only outputs that can differ from its (None: any)


@dataclass(frozen=True)
class Stages:
    """What each stage of a build made: what the dev server builds again from after a few pages changed."""

    inputs: Inputs
    resolution: Resolution
    theme: Theme
    theme_key: str
    rendered: Rendered
    checked: Checked
    drafts: bool  # whether the pages with `draft: true` were kept
    target: Path  # the folder the site would be written to (findings in outputs lie in it)


def build(
    root: Path,
    memo: Memo | None = None,
    *,
    out_dir: Path | None = None,
    strict: bool = False,
    write: bool = True,
    before_swap: Callable[[Path], None] | None = None,
    persist: bool = True,
    progress: Observer | None = None,
    drafts: bool = False,
    search: bool = False,
    last: BuildResult | None = None,
    changed: Iterable[Path] = (),
) -> BuildResult:
    """Build the project at `root` into `out_dir` (default: the settings' output folder); nothing is
    written unless every stage succeeded and, with `strict`, found nothing.

    `memo`: what earlier builds left (default: the project's cache folder); `persist`: save what this
    build used to it. `write=False` stops after the check; `before_swap` is handed the staged folder.
    `progress` is told each stage and count as the build goes (see `core.progress`). `drafts`: keep the
    pages with `draft: true` (the dev server does; a published site has none). `search`: with `write`,
    add the search index (`write.search_index`), started as soon as the pages are rendered.

    `last` and `changed` (the dev server's): the last build through the same `memo`, which did not
    write, and the files changed since (none: anything may have). When each is a page whose edit
    stays within it, only those pages and what depends on them are made again (`_build_again`:
    it adds to what the memo will save, and saves nothing itself); otherwise the site is built whole.
    """
    with reporting_to(progress), contextlib.ExitStack() as running:  # stops Pagefind however the build ends
        changed = tuple(changed)
        same = last is not None and last.stages is not None and _same_build(last.stages, root, out_dir, drafts)
        amended = _build_again(last, changed, memo) if last is not None and same and changed and memo is not None and not write else None
        if amended is not None:
            if strict and amended.findings:
                raise BuildError(amended.findings)
            return amended
        return _build(root, memo, out_dir, strict, write, before_swap, persist, drafts, running if search and write else None)


def _build(
    root: Path, memo: Memo | None, out_dir: Path | None, strict: bool, write: bool, before_swap: Callable[[Path], None] | None, persist: bool,
    drafts: bool,
    search: contextlib.ExitStack | None,
) -> BuildResult:
    """`build`, stage by stage (`search`: where the search index is started, when there is one)."""
    memo = memo if memo is not None else Memo.for_project(root)
    settings = load_settings(root)
    target = out_dir or settings.output_path
    if write:
        prepare_output(target, root)
    memo.check_folder(_protected_folders(settings, target))
    with memo.build(persist):
        stage("loading")
        inputs = load_inputs(settings, memo)
        left_out = tuple(page.source for page in inputs.pages if page.draft and not drafts)
        inputs = inputs if drafts else inputs.without_drafts()
        memo.settle()
        stage("converting", "pages")
        resolution = resolve_pages(inputs, memo)
        site = resolution.site
        memo.settle()
        stage("rendering", "pages")
        theme, theme_key = theme_for(settings, memo)
        rendered = render_site(site, theme, theme_key, memo, packed=write)  # a site to write is held packed
        memo.settle()
        index = search.enter_context(search_index(rendered.outputs, memo, target)) if search is not None else None
        stage("checking", "files")
        checked = check_site(site, rendered, target, memo)
        findings, warnings = checked.findings, checked.warnings
    if strict and findings:
        raise BuildError(findings)
    if write:
        stage("writing")
    written = _write(rendered, target, root, before_swap, index) if write else None
    stages = Stages(inputs, resolution, theme, theme_key, rendered, checked, drafts, target)
    return BuildResult(site, rendered.outputs, findings, rendered.fresh, written, left_out, warnings, stages)


def _same_build(stages: Stages, root: Path, out_dir: Path | None, drafts: bool) -> bool:
    """Whether `stages` are those of a build of the project at `root` into `out_dir`, keeping drafts or not as asked."""
    settings = stages.inputs.settings
    return settings.root == root and (out_dir or settings.output_path) == stages.target and stages.drafts == drafts


def _build_again(last: BuildResult, changed: Iterable[Path], memo: Memo) -> BuildResult | None:
    """`last` (a build that did not write) after the files at `changed` changed, when each is a page
    whose edit stays within it: that page is loaded, resolved, rendered and checked again, with the
    outputs that looked it up; the rest is taken from `last`. None when the change reaches further
    (each stage's `…_again` says how): then only a whole build can tell what it changed."""
    stages = last.stages
    if stages is None:
        return None
    with memo.amend():
        reloaded = reload_pages(stages.inputs, changed, memo)
        if reloaded is None:
            return None
        inputs, edited = reloaded
        resolution = resolve_again(stages.resolution, inputs, edited, memo) if edited else stages.resolution
        if resolution is None:
            return None
        site = resolution.site
        pages = tuple(page for page in map(site.page, (page.url for page in edited)) if page is not None)
        rendered = render_again(stages.rendered, site, stages.theme, stages.theme_key, memo, pages)
        if rendered is None:
            return None
        again = rendered.again | {page.output for page in pages}  # a page's link problems name its lines, whatever its output's bytes
        checked = check_again(stages.checked, site, rendered, again, pages, memo)
        if checked is None:
            return None
    stages = dataclasses.replace(stages, inputs=inputs, resolution=resolution, rendered=rendered, checked=checked)
    return BuildResult(site, rendered.outputs, checked.findings, rendered.fresh, None, last.drafts_left_out, checked.warnings, stages, rendered.again)


def _write(rendered: Rendered, target: Path, root: Path, before_swap: Callable[[Path], None] | None, index: SearchIndex | None) -> bool:
    """Write the site with its search index: the last one reused goes with the pages (a folder that
    holds them all already is left alone); Pagefind's is collected into the staged folder once the pages are written."""
    if index is None:
        return write_site(rendered.outputs, target, root, before_swap, likely_changed=rendered.fresh)
    if index.reused is not None:
        return write_site(_with_index(rendered.outputs, index.outputs()), target, root, before_swap, likely_changed=rendered.fresh)

    def add_index(staging: Path) -> None:
        index.write_into(staging)
        if before_swap is not None:
            before_swap(staging)

    return write_site(rendered.outputs, target, root, add_index, likely_changed=rendered.fresh)


def _with_index(outputs: Mapping[str, bytes], index: Mapping[str, bytes]) -> Mapping[str, bytes]:
    """The site's outputs and the search index's files, held as the outputs are."""
    return outputs.with_files(index) if isinstance(outputs, PackedOutputs) else {**outputs, **index}


def _protected_folders(settings: Settings, target: Path) -> dict[str, Path]:
    """The folders the build reads or writes, by what they are: the cache may lie in none of them."""
    return {
        "content folder": settings.content_dir, "templates folder": settings.templates_dir, "static folder": settings.static_dir,
        "seeds folder": settings.seeds_dir, "output folder": settings.output_path, "folder the site is written to": target,
    }
