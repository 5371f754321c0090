"""Render: the resolved `Site` through Jinja2 templates into `{output path: bytes}`, touching no disk.

Templates are compiled once per `Theme`; every page gets `root` (the relative way back to the site
root) and `url()`/`asset()` helpers, so every internal link is relative and the folder works from
`file://`, at a domain root and under a sub-path.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..core.errors import BuildError, Problem, Problems
from ..core.files import list_inputs, read_text
from ..core.layout import GLOSSARY_URL, HOME_URL, NOT_FOUND, ROBOTS, SITEMAP, SOURCES_URL
from ..core.parallel import parallel_map
from ..core.urls import relative_url
from ..dialect.data import inline_markdown, plain_text
from ..resolve.coverage import source_coverage
from ..resolve.site import Reference, ResolvedPage, Site, SourcePage, passage_url
from .assets import Assets, MissingAssetError, load_assets

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
_EPOCH = re.compile(r"^-?[0-9]{1,20}$")
# One policy for the <meta> tag of every page and for the hosting headers: no inline script, no third party.
# 'wasm-unsafe-eval' lets the search index (Pagefind, WebAssembly) compile; it allows no eval of JavaScript.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
MENU_LIMIT = 40  # topics listed in full in every header up to this many; sections beyond
SECTION_LIMIT = 15  # topics of the current section listed at scale
_PAGE_TEMPLATES = {HOME_URL: "home.html", GLOSSARY_URL: "glossary.html", SOURCES_URL: "sources.html"}


@dataclass(frozen=True)
class Theme:
    """Compiled templates and static assets."""

    env: jinja2.Environment
    assets: Assets
    templates_dir: Path


def load_theme(templates_dir: Path, static_dir: Path, bytecode_cache: jinja2.BytecodeCache | None = None) -> Theme:
    """Templates (compiled on first use; `bytecode_cache` keeps compiled code between runs) and static assets."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=ProjectLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = _format_date
    env.filters["plain"] = plain_text
    env.filters["inline_markdown"] = lambda text: jinja2.utils.markupsafe.Markup(inline_markdown(text))
    _check_templates_are_text(templates_dir)
    return Theme(env, load_assets(static_dir), templates_dir)


def _check_templates_are_text(templates_dir: Path) -> None:
    """A template that is not UTF-8 text, is a link out of the project or is not a regular file is a
    `path:line` problem here, not a traceback in Jinja."""
    listing = list_inputs(templates_dir)
    problems = Problems()
    problems.items.extend(listing.problems)
    for name in listing.files:
        if name.endswith(".html"):
            try:
                read_text(templates_dir / name, templates_dir.parent)
            except BuildError as exc:
                problems.extend(exc)
    problems.raise_if_any()


class ProjectLoader(jinja2.BaseLoader):
    """Templates from the project's `templates/`, read as every input is (`files.read_input_bytes`):
    never through a link out of the project, never from a FIFO or device."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.templates_dir.joinpath(*jinja2.loaders.split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        source = read_text(path, self.templates_dir.parent)
        status = _status(path)
        return source, str(path), lambda: _status(path) == status

    def list_templates(self) -> list[str]:
        return list_inputs(self.templates_dir).files


def _status(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def build_date() -> dt.date | None:
    """The date of this build, only when `SOURCE_DATE_EPOCH` pins it (never the clock); a value
    that is not a whole number of seconds, or is beyond the calendar, is an error naming the variable."""
    raw = os.environ.get(EPOCH_VARIABLE, "")
    epoch = raw.strip()
    if not epoch:
        return None
    if not _EPOCH.match(epoch):
        raise BuildError([Problem(EPOCH_VARIABLE, 0, f"must be a whole number of seconds since 1970-01-01 (as date +%s prints it), not {raw[:40]!r}")])
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise BuildError([Problem(EPOCH_VARIABLE, 0, f"{epoch} seconds since 1970-01-01 is not a date from the year 1 to 9999")]) from None


@dataclass(frozen=True)
class Job:
    """One page to render: its output path, template, URL and the `page` its template sees."""

    output: str
    template: str
    url: str
    page: ResolvedPage | SourcePage | None

    @property
    def absolute_root(self) -> bool:
        return self.output == NOT_FOUND


def page_jobs(site: Site) -> list[Job]:
    """Every page of the site to render, in output order."""
    jobs = [Job(page.page.output, _PAGE_TEMPLATES.get(page.url, "page.html"), page.url, page) for page in site.pages]
    jobs += [Job(f"{sp.url}index.html", "source.html", sp.url, sp) for sp in site.source_pages]
    jobs.append(Job(NOT_FOUND, NOT_FOUND, HOME_URL, None))
    return jobs


def render_job(site: Site, theme: Theme, job: Job) -> bytes:
    return render_page(site, theme, job.template, job.url, {"page": job.page}, absolute_root=job.absolute_root).encode("utf-8")


def render_jobs(site: Site, theme: Theme, jobs: Sequence[Job]) -> dict[str, bytes]:
    """Each job's bytes by output path (over several cores when there are many); all problems in one BuildError."""
    problems = Problems()
    outputs: dict[str, bytes] = {}
    for job, rendered in zip(jobs, parallel_map(functools.partial(_render_or_problems, site, theme), jobs), strict=True):
        if isinstance(rendered, BuildError):
            problems.extend(rendered)
        else:
            outputs[job.output] = rendered
    problems.raise_if_any()
    return outputs


def _render_or_problems(site: Site, theme: Theme, job: Job) -> bytes | BuildError:
    try:
        return render_job(site, theme, job)
    except BuildError as exc:
        return exc


def render_site(site: Site, theme: Theme, render: Callable[[Sequence[Job]], dict[str, bytes]] | None = None) -> dict[str, bytes]:
    """Every output file of the site; all template problems are reported together.

    `render` makes the pages' bytes (default: `render_jobs`); a build cache passes one that reuses
    pages whose inputs did not change.
    """
    outputs: dict[str, bytes] = dict(theme.assets.outputs())
    jobs = page_jobs(site)
    outputs.update(render(jobs) if render is not None else render_jobs(site, theme, jobs))
    if site.settings.base_url:
        outputs[SITEMAP] = sitemap(site).encode("utf-8")
        outputs[ROBOTS] = f"User-agent: *\nAllow: /\nSitemap: {site.settings.base_url}{SITEMAP}\n".encode()
    return outputs


def render_page(site: Site, theme: Theme, template: str, url: str, extra: Mapping[str, Any], absolute_root: bool = False) -> str:
    """One output page. `absolute_root` is for pages served at any path (404): links start at the site's base path."""
    context = page_context(site, theme, url, extra, absolute_root)
    try:
        return theme.env.get_template(template).render(context)
    except BuildError:
        raise
    except MissingAssetError as exc:  # asset('…') naming a file that is not in static/
        where, line = _template_frame(exc, theme, template)
        raise BuildError.at(where, line, exc.message) from None
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError.at(_template_path(theme, exc.filename or exc.name or template), exc.lineno, f"template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        where, line = _template_frame(exc, theme, template)  # the {% include %} or {% extends %} that names it
        raise BuildError.at(where, line, f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        where, line = _template_frame(exc, theme, template)
        raise BuildError.at(where, line, f"undefined in template: {exc.message}") from None
    except jinja2.TemplateError as exc:
        where, line = _template_frame(exc, theme, template)
        raise BuildError.at(where, line, f"template error: {exc}") from None
    except Exception as exc:
        # An expression in a template failed (1 // 0, a filter given the wrong type): the template's
        # problem. When our own helper code failed instead, it is a bug: let the traceback show.
        frame = _failing_template_frame(exc, theme)
        if frame is None:
            raise
        raise BuildError.at(frame[0], frame[1], f"template error: {type(exc).__name__}: {exc}") from None


def page_context(site: Site, theme: Theme, url: str, extra: Mapping[str, Any], absolute_root: bool = False) -> dict[str, Any]:
    """What the templates of the page at `url` see."""
    root = site.settings.base_path if absolute_root else relative_url(url, "")

    def link(target: str) -> str:
        return root + target

    context: dict[str, Any] = {
        "site": site,
        "settings": site.settings,
        "url": url,
        "root": root,
        "link": link,
        "asset": lambda name: root + theme.assets.url(name),
        "csp": jinja2.utils.markupsafe.Markup(CONTENT_SECURITY_POLICY),  # its quotes need no escaping inside content="…"
        "canonical": site.settings.base_url + url if site.settings.base_url else "",
        "nav": site.topics,
        "menu": menu(site, url),
        "disclaimer": jinja2.utils.markupsafe.Markup(inline_markdown(site.settings.disclaimer)),
        "build_date": build_date(),
        "generator": f"sitegen {__version__}",
        "passage_link": lambda passage: passage_url(url, passage) if not absolute_root else link(passage_url("", passage)),
        "reference_label": reference_label,
        "json_ld": lambda data: jinja2.utils.markupsafe.Markup(
            json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
        ),
        "source_counts": source_coverage,
        **extra,
    }
    return context


def _template_path(theme: Theme, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else theme.templates_dir / name


def _template_frame(exc: BaseException, theme: Theme, template: str) -> tuple[Path, int]:
    """The innermost template line in the traceback of a rendering error."""
    templates = str(theme.templates_dir.resolve())
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and str(Path(frame.filename).resolve()).startswith(templates):
            return Path(frame.filename), frame.lineno or 0
    return theme.templates_dir / template, 0


def _failing_template_frame(exc: BaseException, theme: Theme) -> tuple[Path, int] | None:
    """The template line that failed, when no code of ours ran between it and the error."""
    templates = theme.templates_dir.resolve()
    library = (Path(jinja2.__file__).resolve().parent, Path(jinja2.utils.markupsafe.__file__).resolve().parent)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(templates):
            return path, frame.lineno or 0
        if not any(path.is_relative_to(folder) for folder in library):
            return None
    return None


@dataclass(frozen=True)
class MenuItem:
    """An entry of the topic menu in every page's header: a topic, or at scale a section."""

    url: str
    title: str
    level: int  # 1: a topic or a section; 2: a topic of the current page's section


def menu(site: Site, url: str) -> tuple[MenuItem, ...]:
    """The topic menu of the page at `url`, bounded in size whatever the number of pages.

    Up to `MENU_LIMIT` topics, every topic is listed. Beyond, topics are grouped by their top
    folder: the menu lists the sections near the current one and, within the current section, the
    topics near the current page. A page's size (and the work to render it) then does not grow
    with the site; the home page still lists every topic.
    """
    known = site.memo.get(("menu", url))
    if known is None:
        known = site.memo[("menu", url)] = _menu(site, url)
    return known  # type: ignore[return-value]


def _menu(site: Site, url: str) -> tuple[MenuItem, ...]:
    nav = site.nav
    if len(nav) <= MENU_LIMIT:
        return tuple(MenuItem(p.url, p.title, 1) for p in nav)
    sections = site.sections
    position, here = site.section_positions.get(url, (None, 0))
    first = 0 if position is None else max(0, min(position - MENU_LIMIT // 2, len(sections) - MENU_LIMIT))
    items: list[MenuItem] = []
    for index in range(first, min(first + MENU_LIMIT, len(sections))):
        name, topics = sections[index]
        head = site.section_heads[index]
        if len(topics) == 1 or head is not None:
            items.append(MenuItem((head or topics[0]).url, (head or topics[0]).title, 1))
        else:
            items.append(MenuItem(topics[0].url, name.replace("-", " ").capitalize(), 1))
        if index == position and len(topics) > 1:
            start = max(0, min(here - SECTION_LIMIT // 2, len(topics) - SECTION_LIMIT))
            items += [MenuItem(p.url, p.title, 2) for p in topics[start : start + SECTION_LIMIT] if p is not head]
    return tuple(items)


def reference_label(reference: Reference) -> str:
    """Short text naming a reference: "Life Line Services, “Title”, p28" or a publication's citation."""
    if reference.publication is not None:
        return reference.publication.citation
    assert reference.source is not None
    key = reference.key
    span = f"p{key.first}" if key.first == key.last else f"p{key.first}–p{key.last}"
    return f"{reference.source.publisher}, “{reference.source.title}”, {span}"


def sitemap(site: Site) -> str:
    """`sitemap.xml`: topic, special and source pages, with review dates where known."""
    entries: list[tuple[str, dt.date | None]] = [(p.url, p.reviewed) for p in site.pages]
    entries += [(sp.url, None) for sp in site.source_pages]
    rows = []
    for url, reviewed in entries:
        lastmod = f"<lastmod>{reviewed.isoformat()}</lastmod>" if reviewed else ""
        rows.append(f"  <url><loc>{_xml_escape(site.settings.base_url + url)}</loc>{lastmod}</url>")
    body = "\n".join(rows)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{body}\n</urlset>\n'


def _xml_escape(text: str) -> str:
    """&, < and > as XML entities (what xml.sax.saxutils.escape does, without importing urllib)."""
    return html.escape(text, quote=False)


def _format_date(value: dt.date | None, style: str = "long") -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.isoformat()
    return f"{value.day} {value.strftime('%B')} {value.year}"


