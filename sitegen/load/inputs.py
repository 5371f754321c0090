"""Load, the first stage: the project's files become `Inputs`, plain data that no later stage reads
from disk again.

What loads is kept in the memo by the bytes it was read from: a page by its file (a file whose
status is what it was when an earlier build of this process read it is not even read again), the
seeds and the bibliography by their files, the glossary by its file. The load records each value's
key in the build's fingerprint, so that later stages digest a page or a source without walking it.
`reload_pages` reads again only the pages the dev server's watcher names.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problem, Problems
from ..core.files import read_input_bytes
from ..core.layout import GLOSSARY_FILE, GLOSSARY_URL, REFERENCES_FILE
from ..incremental.cache import ENGINE, dict_of, instance_of, tuple_of
from ..incremental.memo import Kind, Memo, digest, memoised_load
from .glossary import GlossaryTerm, load_glossary
from .pages import Page, check_size, parse_page, read_pages
from .publications import Publication, load_publications
from .settings import Settings
from .sources import Source, load_sources

PAGE = Kind("page", instance_of(Page))
SOURCES = Kind("sources", dict_of(instance_of(str), instance_of(Source)))
PUBLICATIONS = Kind("publications", dict_of(instance_of(str), instance_of(Publication)))
GLOSSARY = Kind("glossary", tuple_of(instance_of(GlossaryTerm)))
_SETTLED_NS = 2_000_000_000  # a file status this much older than a read is trusted to change with the content



@dataclass(frozen=True)
class Inputs:
    """Everything the project's files say, loaded and validated file by file.

    `problems` are those of the files that did not load; the pages that did are still here, so that
    resolving can report the problems of their citations in the same run. `sources_loaded` tells
    whether the seeds and the bibliography did (their citations cannot be checked otherwise).
    """

    settings: Settings
    sources: Mapping[str, Source]
    publications: Mapping[str, Publication]
    pages: tuple[Page, ...]
    glossary: tuple[GlossaryTerm, ...]
    problems: tuple[Problem, ...]
    sources_loaded: bool

    @functools.cached_property
    def positions(self) -> Mapping[str, int]:
        """Where each page is in `pages`, by its path in content/."""
        return {page.source: index for index, page in enumerate(self.pages)}

    def with_pages(self, pages: tuple[Page, ...]) -> Inputs:
        """These inputs with `pages` in place of theirs: the same files, each where it was."""
        replaced = dataclasses.replace(self, pages=pages)
        replaced.__dict__["positions"] = self.positions  # what `cached_property` would make again
        return replaced

    def without_drafts(self) -> Inputs:
        """These inputs as the published site has them: no page with `draft: true` (its front matter still loaded, and
        checked); a glossary whose page is a draft has no page."""
        published = tuple(page for page in self.pages if not page.draft)
        had_glossary = any(page.url == GLOSSARY_URL for page in self.pages)
        lost = _glossary_without_page(self.settings, self.glossary, list(published)) if had_glossary else []
        return dataclasses.replace(self, pages=published, problems=(*self.problems, *lost))


def load_inputs(settings: Settings, memo: Memo) -> Inputs:
    """Every input of the project the settings describe; the problems of each file, all of them."""
    problems = Problems()
    sources: dict[str, Source] = {}
    publications: dict[str, Publication] = {}
    glossary: tuple[GlossaryTerm, ...] = ()
    sources_loaded = False
    try:
        sources, publications = _sources_and_publications(settings, memo)
        sources_loaded = True
    except BuildError as exc:
        problems.extend(exc)
    last, now = memo.carried("load.page_files")  # (path, relative) → _ReadFile
    pages, page_problems = read_pages(settings.content_dir, functools.partial(_parse, memo, settings.root, last, now))
    problems.items.extend(page_problems.items)
    try:
        glossary_file = settings.content_dir / GLOSSARY_FILE
        glossary, _ = memoised_load(memo, GLOSSARY, functools.partial(load_glossary, settings.content_dir), (glossary_file,), settings.root)
    except BuildError as exc:
        problems.extend(exc)
    problems.items.extend(_glossary_without_page(settings, glossary, pages))
    return Inputs(settings, sources, publications, tuple(pages), glossary, tuple(problems.items), sources_loaded)


def _sources_and_publications(settings: Settings, memo: Memo) -> tuple[dict[str, Source], dict[str, Publication]]:
    """The seeds and the bibliography; each source's digest follows from the seed files' key."""
    seeds, root = settings.seeds_dir, settings.root
    sources, key = memoised_load(memo, SOURCES, functools.partial(load_sources, seeds), (seeds,), root)
    for source in sources.values():
        memo.fingerprint.remember(source, digest(key, source.id))
    references = settings.content_dir / REFERENCES_FILE
    publications, _ = memoised_load(memo, PUBLICATIONS, functools.partial(load_publications, references, set(sources)), (references, seeds), root)
    return sources, publications


def _glossary_without_page(settings: Settings, glossary: tuple[GlossaryTerm, ...], pages: list[Page]) -> list[Problem]:
    """Terms link to the glossary page: terms with no page at its URL would be links to nothing."""
    if not glossary or any(page.url == GLOSSARY_URL for page in pages):
        return []
    message = (
        f"the glossary lists {len(glossary)} term{'s' if len(glossary) > 1 else ''} but the site has no glossary page to show them: "
        f"add content/glossary.md (front matter 'title: Glossary'), or remove the terms"
    )
    return [Problem.at(settings.content_dir / GLOSSARY_FILE, 1, message)]


@dataclass(frozen=True)
class _ReadFile:
    """A page file as a build read it: its status then, and the key its `Page` is kept under."""

    status: tuple[int, ...]
    key: str


def _parse(memo: Memo, root: Path, last: dict[tuple[str, str], _ReadFile], now: dict[tuple[str, str], _ReadFile], path: Path, relative: str) -> Page:
    """A page file's `Page`, kept under a digest of its path and bytes, which the fingerprint then
    uses for the page; `last` and `now`: the files read by the previous build and by this one."""
    checked_at = time.time_ns()
    status = _file_status(path)
    known: _ReadFile | None = last.get((str(path), relative))
    page = memo.get(PAGE, known.key) if known is not None and status is not None and known.status == status else None
    if page is not None and known is not None:
        now[(str(path), relative)] = known
        memo.fingerprint.remember(page, known.key)
        return page
    page, key = _read_page(memo, root, path, relative)
    # A file changed in the same tick of the file system's clock as its last change keeps its
    # times: its status is trusted only once that tick is well past (as git does for its index).
    if status is not None and status[1] < checked_at - _SETTLED_NS:
        now[(str(path), relative)] = _ReadFile(status, key)
    return page


def _read_page(memo: Memo, root: Path, path: Path, relative: str) -> tuple[Page, str]:
    """A page file's `Page`, kept under a digest of its path and bytes (with that key), which the
    fingerprint then uses for the page."""
    data = read_input_bytes(path, root)
    key = digest(ENGINE, "page", str(path), relative, data)
    page = memo.get(PAGE, key)
    if page is None:
        page = parse_page(path, relative)
        if read_input_bytes(path, root) == data:  # not changed while it was parsed
            memo.put(PAGE, key, page)
    memo.fingerprint.remember(page, key)
    return page, key


def reload_pages(inputs: Inputs, changed: Iterable[Path], memo: Memo) -> tuple[Inputs, tuple[Page, ...]] | None:
    """`inputs` after the files at `changed` changed, read again without looking at any other file,
    and the pages that differ; None unless every change is to a page the inputs hold, which still
    loads, at the same URL and as the same kind of page (draft or not): any other change needs `load_inputs`.

    A path under content/ that no longer exists and could never have been an input (an editor's
    temporary file) is passed over."""
    if inputs.problems:
        return None
    content_dir = inputs.settings.content_dir
    pages = list(inputs.pages)
    edited: dict[int, Page] = {}
    for changed_path in dict.fromkeys(changed):
        relative = _page_file(content_dir, changed_path)
        if relative is None or relative not in inputs.positions:
            if relative is None and _passed_over(content_dir, changed_path, inputs.positions):
                continue
            return None
        path = content_dir / relative  # as the build names it
        position = inputs.positions[relative]
        try:
            check_size(path)
            page, _ = _read_page(memo, inputs.settings.root, path, relative)
        except BuildError:
            return None  # `load_inputs` reports it, with every other problem of the project
        if page.url != pages[position].url or page.draft != pages[position].draft:
            return None
        pages[position] = page
        if page is not inputs.pages[position]:
            edited[position] = page
        else:
            edited.pop(position, None)
    return inputs.with_pages(tuple(pages)), tuple(edited.values())


def _page_file(content_dir: Path, path: Path) -> str | None:
    """`path` relative to content/, when it names a page file there (a `.md` file, not a folder or a link)."""
    try:
        relative = path.absolute().relative_to(content_dir.absolute()).as_posix()
    except ValueError:
        return None
    return relative if relative.endswith(".md") and path.is_file() and not path.is_symlink() else None


def _passed_over(content_dir: Path, path: Path, pages: Mapping[str, int]) -> bool:
    """Whether a change at `path` cannot matter: inside content/, gone, named as no input is, and
    no page of `pages` (by path in content/) was at it or in it (a folder removed)."""
    content = content_dir.absolute()
    if content not in path.absolute().parents or os.path.lexists(path) or path.name.endswith((".md", ".yaml", ".yml")):
        return False
    relative = path.absolute().relative_to(content).as_posix()
    return not any(source == relative or source.startswith(relative + "/") for source in pages)


def _file_status(path: Path) -> tuple[int, ...] | None:
    """What changes whenever a file's content does (except within one tick of the file system's clock)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino, status.st_dev)
