"""Incremental builds: a `Builder` lives across builds (the dev server, the command line) and redoes
only the work whose inputs changed, keeping the rest in a persistent, content-addressed cache.

Each expensive step is stored under a digest of everything it depends on:

- a page file's front matter parse: the file's bytes and path;
- seeds, bibliography, glossary: the bytes of their files;
- a page's Markdown conversion: its Markdown, path and URL, every page's URL (cross-links), the
  glossary, the engine;
- a rendered output: its template and every template it extends, imports or includes, the static
  assets' names, the settings, the build date, and exactly the data its templates read: the page
  (with its cited passages), the menu, the previous/next topics, and any other part of the site
  a template names (`site.glossary`, `nav`, …; a template that uses the whole `site` depends on all);
- the link check of an output: the output, its page, and the ids and paths of the whole site.

The engine's own code and library versions are part of every key, so an entry is never stale;
`BuildResult.rendered` tells which outputs this call actually re-rendered. A value loaded from the
cache is used only when its file is sound (see `cache`) and it has the type its kind holds (`_SHAPES`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..check.checks import LinkScan, coverage_problems, link_problems, scan_links
from ..core.errors import BuildError, Problem, Problems, absolute_path
from ..core.files import list_inputs, read_input_bytes
from ..core.parallel import parallel_map
from ..load.pages import GlossaryTerm, Page, parse_page
from ..load.settings import Settings, load_settings
from ..load.sources import Publication, Source
from ..render.hosting import hosting_files
from ..render.pages import Job, Theme, build_date, load_theme, menu, page_context, render_job, render_site
from ..resolve.citations import CitationKey
from ..resolve.markup import Markup, MarkupResult, convert_pages
from ..resolve.site import HOME_URL, Backlink, PageResolution, ResolvedPage, Site, SourcePage, load_site, resolve_page
from .cache import (
    ENGINE,
    BuildCache,
    Fingerprint,
    Shape,
    VerifiedBytecodeCache,
    cache_folder,
    check_cache_folder,
    dict_of,
    discard,
    instance_of,
    tuple_of,
    tuple_with,
    wait_for_saves,
)

# Context names whose values follow from what every output key already holds (URL, settings, theme, engine).
_FIXED_NAMES = frozenset({
    "settings", "url", "root", "link", "asset", "csp", "canonical", "disclaimer", "build_date", "generator",
    "passage_link", "reference_label", "json_ld", "source_counts",
})
_SITE_FIELDS = frozenset({"pages", "nav", "topics", "sources", "source_pages", "publications", "glossary", "term_pages", "findings"})
_DEFAULT = object()
_SETTLED_NS = 2_000_000_000  # a file status this much older than a read is trusted to change with the content
if [f.name for f in dataclasses.fields(SourcePage)] != ["source", "url", "backlinks"] or [f.name for f in dataclasses.fields(Backlink)] != [
    "url", "title", "anchors",
]:
    raise RuntimeError("_Run._source_page_digest must cover every field of SourcePage and Backlink")


@dataclass(frozen=True)
class BuildResult:
    site: Site
    outputs: dict[str, bytes]
    findings: tuple[Problem, ...]  # broken links and anchors, uncited passages
    rendered: frozenset[str] | None = None  # outputs this build rendered anew (None: not tracked, all of them)
    written: bool | None = None  # whether `build` wrote the output folder (False: it held these files already; None: not written)


@dataclass(frozen=True)
class _Scan:
    """The ids and links of one HTML output (what the link check reads), kept in the cache."""

    scanned: LinkScan
    ids_digest: str  # of its ids, which every other output's link check depends on


@dataclass(frozen=True)
class _TemplateUse:
    """What a template, with all it extends, imports and includes, can see of the site."""

    digest: str  # of the sources of all those templates
    names: frozenset[str]  # context names read
    site_attrs: frozenset[str] | None  # `site.<attr>` read; None when `site` is used as a whole


@dataclass(frozen=True)
class _TemplateReads:
    """What one template file reads, by itself."""

    names: frozenset[str]
    references: tuple[str | None, ...]  # templates it extends, imports or includes (None: chosen at render time)
    site_attrs: frozenset[str] | None


# The type of every value the builder keeps, by kind: a value loaded from the cache that has another is a miss.
_SHAPES: dict[str, Shape] = {
    "page": instance_of(Page),
    "sources": dict_of(instance_of(str), instance_of(Source)),
    "publications": dict_of(instance_of(str), instance_of(Publication)),
    "glossary": tuple_of(instance_of(GlossaryTerm)),
    "markup": instance_of(MarkupResult),
    "template": instance_of(_TemplateReads),
    "menus": dict_of(instance_of(str), instance_of(str)),
    "output": tuple_with(instance_of(bytes), tuple_of(tuple_with(instance_of(str), instance_of(str)))),  # bytes, pages looked up
    "scan": instance_of(_Scan),
    "links": tuple_of(instance_of(Problem)),
}


class Builder:
    """Renders the project at `root` again and again; each call sees the files as they are now.

    `cache_dir`: where the persistent cache lives (default `.cache/sitegen/` in the project, or
    `$SITEGEN_CACHE`; None keeps it in memory only). `out_dir`: where the site is written, when not
    in the settings' output folder (the cache may be in neither).
    """

    def __init__(self, root: Path, theme: Theme | None = None, cache_dir: Path | object | None = _DEFAULT, out_dir: Path | None = None) -> None:
        self.root = root
        self.out_dir = out_dir
        self._fixed_theme = theme
        folder = cache_folder(root) if cache_dir is _DEFAULT else cache_dir
        self.cache = BuildCache(folder if isinstance(folder, Path) or folder is None else Path(str(folder)), _SHAPES)
        self._theme: Theme | None = theme
        self._theme_key = ""
        self._uses: dict[str, _TemplateUse] = {}
        self.recent: dict[str, tuple[str, bytes]] = {}  # output path → render key and bytes, from the last build
        self.menus: tuple[str, dict[str, str]] = ("", {})  # digest of the topics → each page's menu digest
        self.resolved: dict[int, tuple[tuple[object, ...], Settings, PageResolution]] = {}  # id(page) → what it was resolved from, and how
        self.page_files: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {}  # page file → its status when read, and its parse key
        self.digests: dict[tuple[str | bool, ...], str] = {}  # parts → digest, from the last build

    def render(self, persist: bool = True) -> BuildResult:
        """The whole site in memory, checked, not written; unchanged work is reused.

        `persist`: write the cache to disk (in the background) after this build; a dev server
        passes False for its rebuilds and calls `persist()` when it stops.
        """
        self.wait()
        with _old_objects_frozen():
            return self._render(persist)

    def _render(self, persist: bool) -> BuildResult:
        settings = load_settings(self.root)  # once per build: the cache folder's check and the site share them
        self._check_cache_folder(settings)
        self.cache.start()
        self.cache.load_all()
        gc.freeze()  # what was just loaded joins the old objects that collections leave alone
        run = _Run(self)
        site = load_site(self.root, parse=run.parse, memo=run.memo, convert=run.convert, resolve_one=run.resolve_page, settings=settings)
        self.resolved, self.page_files = run.resolved, run.page_files
        gc.freeze()  # the resolved site lives until the build ends
        theme = self._load_theme(site)
        run.start(site, theme)
        outputs = {**render_site(site, theme, run.render), **hosting_files(site.settings)}
        gc.freeze()  # and the outputs
        prefix = absolute_path(self.out_dir or site.settings.output_path)
        findings = (*site.findings, *run.link_problems(outputs, prefix), *coverage_problems(site))
        self.digests = run.digests
        if persist:
            self.cache.save_in_background()  # the caller can serve or write the result meanwhile
        return BuildResult(site, outputs, tuple(findings), frozenset(run.rendered))

    def _check_cache_folder(self, settings: Settings) -> None:
        """Before the cache is read: it lies in none of the folders the build reads or writes."""
        if self.cache.folder is None:
            return
        protected = {
            "content folder": settings.content_dir, "templates folder": settings.templates_dir, "static folder": settings.static_dir,
            "seeds folder": settings.seeds_dir, "output folder": settings.output_path,
        }
        check_cache_folder(self.cache.folder, protected if self.out_dir is None else {**protected, "folder the site is written to": self.out_dir})

    def persist(self) -> None:
        """Write the cache of the last build to disk now."""
        self.wait()
        self.cache.save()

    def wait(self) -> None:
        """Wait until the cache of the previous build is on disk."""
        if self.cache.folder is not None:
            wait_for_saves(self.cache.folder)

    def _load_theme(self, site: Site) -> Theme:
        if self._fixed_theme is not None:
            self._theme_key = self._theme_key or "fixed"
            return self._fixed_theme
        settings = site.settings
        key = _files_digest((settings.templates_dir, settings.static_dir), settings.root)
        if self._theme is None or key != self._theme_key:
            self._theme = load_theme(settings.templates_dir, settings.static_dir, self._bytecode_cache())
            self._theme_key = key
            self._uses = {}
        return self._theme

    def _bytecode_cache(self) -> jinja2.BytecodeCache | None:
        """Compiled templates kept in the cache folder, verified like every cache file (and Jinja checks
        each against its template's source)."""
        if self.cache.folder is None:
            return None
        folder = self.cache.folder / "jinja"
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            discard(folder)  # a file or a link where the folder should be
        return VerifiedBytecodeCache(folder)

    def template_use(self, theme: Theme, name: str) -> _TemplateUse:
        use = self._uses.get(name)
        if use is None:
            use = self._uses[name] = _template_use(theme.env, name, self.cache)
        return use


class _Run:
    """The state of one `Builder.render` call."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.cache = builder.cache
        self.fp = Fingerprint()
        self.site: Site | None = None
        self.theme: Theme | None = None
        self.rendered: set[str] = set()
        self.keys: dict[str, str] = {}  # output path → render key
        self._markup_digests: dict[int, tuple[Markup, str]] = {}
        self._site_parts: dict[str, str] = {}
        self._plans: dict[str, tuple[str, tuple[str, ...]]] = {}  # template name → `_template_plan`
        self._page_digests: dict[str, str] = {}  # URL → digest of the page there
        self._context_names: frozenset[str] | None = None
        self._menus: dict[str, str] | None = None  # page URL → digest of its menu, for this build's topics
        self.parse_keys: dict[str, str] = {}  # page file → digest of its bytes and path (what its `Page` is made from)
        self.input_keys: dict[str, str] = {}  # sources, publications, glossary → digest of their files
        self.page_inputs: dict[str, str] = {}  # page file → digest of its Markdown and what converting it read
        self.resolved: dict[int, tuple[tuple[object, ...], Settings, PageResolution]] = {}  # this build's `Builder.resolved`
        self.page_files: dict[tuple[str, str], tuple[tuple[int, ...], str]] = {}  # this build's `Builder.page_files`
        self.digests: dict[tuple[str | bool, ...], str] = {}  # this build's `Builder.digests`

    def start(self, site: Site, theme: Theme) -> None:
        """The site is resolved: give each page a digest made from what it was resolved from (fast to compare)."""
        self.site, self.theme = site, theme
        inputs = _digest(ENGINE, self.fp.of(site.settings), *(self.input_keys.get(name, "") for name in ("sources", "publications")))
        if "sources" in self.input_keys:  # each source is made from the seed files alone
            for source in site.sources.values():
                self.fp.remember(source, _digest(self.input_keys["sources"], source.id))
        for page in site.pages:
            known = self.page_inputs.get(page.page.source)
            if known is not None:
                self.fp.remember(page, self.digest(inputs, known))
        for source_page in site.source_pages:
            self.fp.remember(source_page, self._source_page_digest(source_page))

    def _source_page_digest(self, source_page: SourcePage) -> str:
        """What the generic fingerprint would cover, in one pass (thousands of back-links per build)."""
        parts: list[object] = [self.fp.of(source_page.source), source_page.url]
        for number, backlinks in source_page.backlinks.items():
            parts.append(number)
            parts += [f"{link.url}\0{link.title}\0{' '.join(link.anchors)}" for link in backlinks]
        return _digest(*parts)

    def digest(self, *parts: str | bool) -> str:
        """`_digest` of short parts, remembered from the previous build: a rebuild after a small edit
        asks again for almost every digest the last one made (about 5,000 in a 1,000-page site)."""
        known = self.builder.digests.get(parts)
        if known is None:
            known = _digest(*parts)
        self.digests[parts] = known
        return known

    # load and resolve

    def parse(self, path: Path, relative: str) -> Page:
        """A page file's `Page`: a file whose status (times, size, inode) is what it was when an
        earlier build of this builder read it is not read again."""
        checked_at = time.time_ns()
        status = _file_status(path)
        known = self.builder.page_files.get((str(path), relative))
        if known is not None and status is not None and known[0] == status:
            page = self.cache.get("page", known[1])
            if page is not None:
                self.parse_keys[relative] = known[1]
                self.page_files[(str(path), relative)] = known
                return page
        data = read_input_bytes(path, self.builder.root)
        key = _digest(ENGINE, "page", str(path), relative, data)
        self.parse_keys[relative] = key
        page = self.cache.get("page", key)
        if page is None:
            page = parse_page(path, relative)
            if read_input_bytes(path, self.builder.root) == data:  # not changed while it was parsed
                self.cache.put("page", key, page)
        # A file changed in the same tick of the file system's clock as its last change keeps its
        # times: its status is trusted only once that tick is well past (as git does for its index).
        if status is not None and status[1] < checked_at - _SETTLED_NS:
            self.page_files[(str(path), relative)] = (status, key)
        return page

    def memo(self, name: str, load: Callable[[], Any], files: tuple[Path, ...]) -> Any:
        before = _files_digest(files, self.builder.root)
        key = _digest(ENGINE, name, before)
        self.input_keys[name] = key
        value = self.cache.get(name, key)
        if value is None:
            value = load()
            if _files_digest(files, self.builder.root) == before:
                self.cache.put(name, key, value)
        return value

    def convert(self, markup: Markup, pages: Sequence[Page]) -> list[MarkupResult]:
        known = self._markup_digests.get(id(markup))
        if known is None or known[0] is not markup:
            known = (markup, self.fp.of(dict(markup.urls), markup.terms, markup.glossary_url))
            self._markup_digests[id(markup)] = known
        # A page parsed here is known by its file's digest, which covers its body, source and URL.
        keys = [
            self.digest(ENGINE, "markup", known[1], self.parse_keys.get(page.source) or self.fp.of(page.source, page.url, page.body))
            for page in pages
        ]
        results: list[MarkupResult | None] = [self.cache.get("markup", key) for key in keys]
        for page, key in zip(pages, keys, strict=True):
            parsed = self.parse_keys.get(page.source)
            self.page_inputs[page.source] = self.digest(key, parsed if parsed is not None else self.fp.of(page))
        missing = [index for index, result in enumerate(results) if result is None]
        for index, result in zip(missing, convert_pages(markup, [pages[index] for index in missing]), strict=True):
            results[index] = result
            self.cache.put("markup", keys[index], result)
        gc.freeze()  # the pages and their HTML live until the build ends (resolving them makes many objects: 0.5 s less at 10,000 pages)
        return results  # type: ignore[return-value]  # every gap is filled

    def resolve_page(
        self, settings: Settings, page: Page, result: MarkupResult, sources: Mapping[str, Source],
        publications: Mapping[str, Publication], problem_of: Callable[[CitationKey], str],
    ) -> PageResolution:
        """`site.resolve_page`, reused while the page, its Markdown's result and the sources are the
        very objects of the previous build (the cache hands out the same objects) and the settings are equal."""
        inputs = (page, result, sources, publications)
        known = self.builder.resolved.get(id(page))
        if known is not None and all(old is new for old, new in zip(known[0], inputs, strict=True)) and known[1] == settings:
            resolution = known[2]  # settings are read anew each build: compared by value
        else:
            resolution = resolve_page(settings, page, result, sources, publications, problem_of)
        self.resolved[id(page)] = (inputs, settings, resolution)
        return resolution

    # render

    def render(self, jobs: Sequence[Job]) -> dict[str, bytes]:
        """Every job's output; those whose inputs are unchanged come from the cache."""
        site, theme = self.site, self.theme
        assert site is not None and theme is not None
        outputs: dict[str, bytes] = {}
        missing: list[Job] = []
        for job in jobs:
            key = self.keys[job.output] = self._render_key(site, theme, job)
            entry = self.cache.get("output", key)
            # Pages looked up by URL while rendering (`site.page(url)`) are recorded with the entry and compared.
            if entry is not None and all(self._page_digest(site, url) == digest for url, digest in entry[1]):
                recent = self.builder.recent.get(job.output)
                outputs[job.output] = recent[1] if recent is not None and recent[0] == key else entry[0]
            else:
                missing.append(job)
        problems = Problems()
        for job, fresh in zip(missing, parallel_map(functools.partial(_render_recorded, site, theme), missing), strict=True):
            if isinstance(fresh, BuildError):
                problems.extend(fresh)
                continue
            data, looked_up = fresh
            outputs[job.output] = data
            # Kept as they are, not compressed: the cache then shares the bytes the build returns (less
            # memory), and a repeat build of 10,000 pages saves the 0.6 s of decompressing them, for a cache
            # folder as large as the site.
            self.cache.put("output", self.keys[job.output], (data, tuple((url, self._page_digest(site, url)) for url in looked_up)))
            self.rendered.add(job.output)
        problems.raise_if_any()
        self.builder.recent = {job.output: (self.keys[job.output], outputs[job.output]) for job in jobs}
        return {job.output: outputs[job.output] for job in jobs}

    def _page_digest(self, site: Site, url: str) -> str:
        digest = self._page_digests.get(url)
        if digest is None:
            digest = self._page_digests[url] = self.fp.of(site.page(url))
        return digest

    def _render_key(self, site: Site, theme: Theme, job: Job) -> str:
        try:
            shared, per_output = self._template_plan(site, theme, job.template)
        except jinja2.TemplateError:
            return _digest("uncacheable", os.urandom(16))  # rendering reports the template's problem
        parts: list[str | bool] = [shared, job.output, job.url, job.absolute_root]
        for name in per_output:
            if name == "page":
                parts += ["page", self.fp.of(job.page)]
            elif name == "menu":
                parts += ["menu", self._menu_digest(site, job.url)]
            elif isinstance(job.page, ResolvedPage):  # "neighbours"
                parts += ["neighbours", self.fp.of(site.neighbours(job.page))]
        return self.digest(*parts)

    def _template_plan(self, site: Site, theme: Theme, template: str) -> tuple[str, tuple[str, ...]]:
        """What every output of `template` depends on alike, as one digest, and the names of what
        differs from output to output (its page, its menu, its neighbours), in order."""
        plan = self._plans.get(template)
        if plan is not None:
            return plan
        use = self.builder.template_use(theme, template)
        if self._context_names is None:
            self._context_names = frozenset(page_context(site, theme, HOME_URL, {"page": None}))
        shared: list[str] = [ENGINE, use.digest, self.builder._theme_key, self._site_part("settings", site), str(build_date()), template]
        per_output: list[str] = []
        for name in sorted(use.names & self._context_names):  # other names are the templates' own variables
            if name in ("page", "menu"):
                per_output.append(name)
            elif name == "nav":
                shared += ["nav", self._site_part("topics", site)]
            elif name == "site" and use.site_attrs is not None:
                for attr in sorted(use.site_attrs):
                    if attr == "neighbours":
                        per_output.append(attr)
                    elif attr != "page":  # pages looked up by URL are recorded while rendering
                        shared += [attr, self._site_part(attr if attr in _SITE_FIELDS or attr == "settings" else "*", site)]
            elif name == "site" or name not in _FIXED_NAMES:
                shared += [name, self._site_part("*", site)]  # the whole site, or a name we do not know: depend on everything
        plan = self._plans[template] = (_digest(*shared), tuple(per_output))
        return plan

    def _menu_digest(self, site: Site, url: str) -> str:
        """A menu follows from the topics (addresses and titles) and the page's URL: while the topics
        are unchanged, each page's menu digest is taken from the previous build (or the cache)."""
        if self._menus is None:
            topics = self._site_part("topics", site)
            known, digests = self.builder.menus
            if known != topics:
                digests = self.cache.get("menus", topics) or {}
                self.builder.menus = (topics, digests)
            self.cache.put("menus", topics, digests)  # kept, with what this build adds to it
            self._menus = digests
        digest = self._menus.get(url)
        if digest is None:
            digest = self._menus[url] = _digest(*(f"{item.url}\0{item.title}\0{item.level}" for item in menu(site, url)))
        return digest

    def _site_part(self, name: str, site: Site) -> str:
        digest = self._site_parts.get(name)
        if digest is None:
            fields = sorted(_SITE_FIELDS | {"settings"}) if name == "*" else [name]
            digest = self.fp.of(*(getattr(site, field) for field in fields))
            self._site_parts[name] = digest
        return digest

    # check

    def link_problems(self, outputs: Mapping[str, bytes], prefix: str) -> list[Problem]:
        """Link problems of every HTML output; outputs whose page, bytes and surroundings are unchanged reuse theirs."""
        site = self.site
        assert site is not None
        scans = self.scans({path: data for path, data in outputs.items() if path.endswith(".html")})
        around = self.fp.of(
            sorted(outputs), [(path, scans[path].ids_digest) for path in sorted(scans)], site.findings,
            prefix, str(site.settings.content_dir), os.getcwd(),
        )
        pages = {page.page.output: page for page in site.pages}
        keys = {
            path: self.digest(ENGINE, "links", around, self.keys.get(path) or hashlib.sha256(outputs[path]).hexdigest(), self.fp.of(pages.get(path)))
            for path in scans
        }
        known = {path: self.cache.get("links", key) for path, key in keys.items()}
        missing = {path for path, found in known.items() if found is None}
        if missing:
            owners = {f"{prefix}/{path}": path for path in missing}
            owners.update({absolute_path(site.settings.content_dir / p.page.source): p.page.output for p in site.pages if p.page.output in missing})
            fresh = link_problems(outputs, prefix, site, scan=lambda path, _: scans[path].scanned, only=missing)
            if any(problem.path not in owners for problem in fresh):  # cannot tell whose: keep nothing
                cached = [problem for path in sorted(known) if path not in missing for problem in known[path] or ()]
                return sorted(cached + fresh, key=lambda problem: problem.path)
            found: dict[str, list[Problem]] = {path: [] for path in missing}
            for problem in fresh:
                found[owners[problem.path]].append(problem)
            for path in missing:
                known[path] = tuple(found[path])
                self.cache.put("links", keys[path], known[path])
        return [problem for path in sorted(known) for problem in known[path] or ()]

    def scans(self, outputs: Mapping[str, bytes]) -> dict[str, _Scan]:
        """The scan of each HTML output: from the cache when its bytes are unchanged, else made anew
        (over several cores when there are many)."""
        keys = {path: self.keys.get(path) or hashlib.sha256(data).hexdigest() for path, data in outputs.items()}
        found: dict[str, _Scan] = {}
        missing: list[str] = []
        for path, key in keys.items():
            known = self.cache.get("scan", key)
            if known is None:
                missing.append(path)
            else:
                found[path] = known
        for path, scanned in zip(missing, parallel_map(scan_links, [outputs[path] for path in missing]), strict=True):
            found[path] = _Scan(scanned, _digest(*scanned.ids))
            self.cache.put("scan", keys[path], found[path])
        return {path: found[path] for path in outputs}


def _render_recorded(site: Site, theme: Theme, job: Job) -> tuple[bytes, tuple[str, ...]] | BuildError:
    """One job's bytes and the pages its templates looked up by URL, or the problems rendering it found."""
    recording = _RecordingSite(site)
    try:
        data = render_job(recording, theme, job)  # type: ignore[arg-type]
    except BuildError as exc:
        return exc
    return data, tuple(dict.fromkeys(recording.looked_up))


class _RecordingSite:
    """The site as templates see it, noting every page looked up by URL."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self.looked_up: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._site, name)

    def page(self, url: str) -> ResolvedPage | None:
        self.looked_up.append(url)
        return self._site.page(url)


@contextlib.contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """Cyclic garbage collection leaves alone what existed before the build (the previous site), and
    the build adds what it makes and keeps to its end as it goes (the loaded cache, the converted
    pages, the resolved site, the outputs): each full collection would otherwise walk all of it again
    (a fifth of a rebuild's time in a 1,000-page site, a third of a repeat build's at 10,000, 2 s of a
    cold build's). New garbage is still collected; everything thaws afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _file_status(path: Path) -> tuple[int, ...] | None:
    """What changes whenever a file's content does (except within one tick of the file system's clock)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino, status.st_dev)


def _digest(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


def _files_digest(paths: tuple[Path, ...], root: Path) -> str:
    """The names and bytes of `paths` (files, or every file of an input folder) of the project at `root`;
    absent ones count too, and so do the entries that reading or listing refuses (a link out, a FIFO),
    so that adding one is never hidden by an earlier result."""
    digest = hashlib.sha256()
    for path in paths:
        if path.is_dir():
            listing = list_inputs(path)
            files = [path / name for name in listing.files]
            digest.update(repr(sorted(listing.refused.items())).encode("utf-8", "surrogatepass"))
        else:
            files = [path]
        digest.update(f"\0{path}\0{len(files)}".encode())
        for file in files:
            try:
                data = read_input_bytes(file, root)
            except BuildError as exc:
                data = b"\0refused\0" + str(exc).encode("utf-8", "surrogatepass")
            digest.update(f"\0{file}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def _template_reads(env: jinja2.Environment, name: str, source: str) -> _TemplateReads:
    """From the template's tokens (cheaper than parsing it): every name it mentions (a superset of
    what it reads from the context, which only makes outputs depend on more), the `site.<attr>`
    it reads, and the templates it names after extends/import/include/from."""
    tokens = [(token.type, token.value) for token in env.lexer.tokenize(source, name)]
    names: set[str] = set()
    attrs: set[str] | None = set()
    references: list[str | None] = []
    for index, (kind, value) in enumerate(tokens):
        if kind != "name":
            continue
        names.add(value)
        following = tokens[index + 1] if index + 1 < len(tokens) else ("eof", "")
        if value == "site":
            if following[0] == "dot" and index + 2 < len(tokens) and tokens[index + 2][0] == "name":
                if attrs is not None:
                    attrs.add(tokens[index + 2][1])
            else:
                attrs = None  # `site` passed around or indexed: all of it
        elif value in ("extends", "include", "import", "from") and index and tokens[index - 1][0] == "block_begin":
            references.append(following[1] if following[0] == "string" else None)
    return _TemplateReads(frozenset(names), tuple(references), frozenset(attrs) if attrs is not None else None)


def _template_use(env: jinja2.Environment, name: str, cache: BuildCache) -> _TemplateUse:
    """Follow `extends`/`import`/`include` from template `name`; collect the names they read."""
    assert env.loader is not None
    seen: dict[str, str] = {}
    names: set[str] = set()
    attrs: set[str] | None = set()
    pending = [name]
    dynamic = False
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        source, _, _ = env.loader.get_source(env, current)
        seen[current] = source
        key = _digest(ENGINE, "template", current, source)
        reads = cache.get("template", key)
        if reads is None:
            reads = _template_reads(env, current, source)
            cache.put("template", key, reads)
        names |= reads.names
        for referenced in reads.references:
            if referenced is None:
                dynamic = True
            else:
                pending.append(referenced)
        attrs = None if attrs is None or reads.site_attrs is None else attrs | reads.site_attrs
    if dynamic:  # a template chosen at render time: depend on every template
        for other in env.list_templates():
            if other not in seen:
                seen[other] = env.loader.get_source(env, other)[0]
    digest = _digest(*(f"{key}\0{seen[key]}" for key in sorted(seen)))
    return _TemplateUse(digest, frozenset(names), frozenset(attrs) if attrs is not None else None)
