"""One page through the theme: which template renders which output (`Job`), what its templates
see (`page_context`), a template's problem at its own line, and the sitemap. Touches no disk.

Every page gets `root` (the relative way back to the site root) and `link()`/`asset()` helpers, so
every internal link is relative and the folder works from `file://`, at a domain root and under a
sub-path.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..core.errors import BuildError, Problem
from ..core.layout import GLOSSARY_URL, HOME_URL, NOT_FOUND, SOURCES_URL
from ..core.urls import relative_url
from ..dialect.data import inline_markdown
from ..load.settings import Settings
from ..resolve.coverage import source_coverage
from ..resolve.model import Reference, ResolvedPage, Site, SourcePage, passage_url
from .assets import MissingAssetError
from .menu import menu
from .theme import Theme

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
_EPOCH = re.compile(r"^-?[0-9]{1,20}$")
# One policy for the <meta> tag of every page and for the hosting headers: no inline script, no third party.
# 'wasm-unsafe-eval' lets the search index (Pagefind, WebAssembly) compile; it allows no eval of JavaScript.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
_PAGE_TEMPLATES = {HOME_URL: "home.html", GLOSSARY_URL: "glossary.html", SOURCES_URL: "sources.html"}


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
    jobs = [page_job(page) for page in site.pages]
    jobs += [Job(f"{sp.url}index.html", "source.html", sp.url, sp) for sp in site.source_pages]
    jobs.append(Job(NOT_FOUND, NOT_FOUND, HOME_URL, None))
    return jobs


def page_job(page: ResolvedPage) -> Job:
    """The job that renders a content page."""
    return Job(page.output, _PAGE_TEMPLATES.get(page.url, "page.html"), page.url, page)


def render_job(site: Site, theme: Theme, job: Job) -> bytes:
    return render_page(site, theme, job.template, job.url, {"page": job.page}, absolute_root=job.absolute_root).encode("utf-8")


def render_page(site: Site, theme: Theme, template: str, url: str, extra: Mapping[str, Any], absolute_root: bool = False) -> str:
    """One output page. `absolute_root` is for pages served at any path (404): links start at the site's base path."""
    context = page_context(site, theme, url, extra, absolute_root)
    try:
        return theme.env.get_template(template).render(context)
    except BuildError:
        raise
    except MissingAssetError as exc:  # asset('…') naming a file that is in no static/
        where, line = _template_frame(exc, theme, template)
        raise BuildError.at(where, line, exc.message + _override_hint(theme, where)) from None
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError.at(_template_path(theme, exc.filename or exc.name or template), exc.lineno, f"template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        where, line = _template_frame(exc, theme, template)  # the {% include %} or {% extends %} that names it
        raise BuildError.at(where, line, _missing_template(theme, where, exc.name)) from None
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
    """What the templates of the page at `url` see: what follows from the URL, the settings and the
    theme, then what they see of the site, then `extra` (the page itself)."""
    return {**fixed_context(site.settings, theme, url, absolute_root), **site_context(site, url), **extra}


def site_context(site: Site, url: str) -> dict[str, Any]:
    """What the templates of the page at `url` see of the site model."""
    return {"site": site, "nav": site.topics, "menu": menu(site, url)}


def fixed_context(settings: Settings, theme: Theme, url: str, absolute_root: bool = False) -> dict[str, Any]:
    """What the templates of the page at `url` see that follows from the URL, the settings, the theme,
    the build date and the engine alone (so no render key needs more for them: see `keys`)."""
    root = settings.base_path if absolute_root else relative_url(url, "")

    def link(target: str) -> str:
        return root + target

    return {
        "settings": settings,
        "url": url,
        "root": root,
        "link": link,
        "asset": lambda name: root + theme.assets.url(name),
        "csp": jinja2.utils.markupsafe.Markup(CONTENT_SECURITY_POLICY),  # its quotes need no escaping inside content="…"
        "canonical": settings.base_url + url if settings.base_url else "",
        "disclaimer": jinja2.utils.markupsafe.Markup(inline_markdown(settings.disclaimer)),
        "build_date": build_date(),
        "generator": f"sitegen {__version__}",
        "passage_link": lambda passage: passage_url(url, passage) if not absolute_root else link(passage_url("", passage)),
        "reference_label": reference_label,
        "json_ld": lambda data: jinja2.utils.markupsafe.Markup(
            json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
        ),
        "source_counts": source_coverage,
    }


def _template_path(theme: Theme, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else theme.templates_dir / name


def _missing_template(theme: Theme, where: Path, name: object) -> str:
    """What to say of template `name`, named at `where`, that neither the project nor the default theme has."""
    hint = _override_hint(theme, where) or ": name a template that exists (`sitegen theme copy` puts the theme's templates in templates/)"
    return f"template not found: {name}, neither in templates/ nor in the default theme{hint}"


def _override_hint(theme: Theme, where: Path) -> str:
    """How to restore the default theme's file when `where` is a project template that overrides one of it."""
    try:
        name = where.resolve().relative_to(theme.templates_dir.resolve())
    except ValueError:
        return ""
    if not (theme.bundled.templates / name).is_file():
        return ""
    return f", or remove this override (templates/{name.as_posix()}) to use the default theme's"


def _is_template(path: Path, theme: Theme) -> bool:
    return any(path.is_relative_to(folder.resolve()) for folder in theme.template_dirs)


def _template_frame(exc: BaseException, theme: Theme, template: str) -> tuple[Path, int]:
    """The innermost template line in the traceback of a rendering error."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and _is_template(Path(frame.filename).resolve(), theme):
            return Path(frame.filename), frame.lineno or 0
    return theme.templates_dir / template, 0


def _failing_template_frame(exc: BaseException, theme: Theme) -> tuple[Path, int] | None:
    """The template line that failed, when no code of ours ran between it and the error."""
    library = (Path(jinja2.__file__).resolve().parent, Path(jinja2.utils.markupsafe.__file__).resolve().parent)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if _is_template(path, theme):
            return path, frame.lineno or 0
        if not any(path.is_relative_to(folder) for folder in library):
            return None
    return None


def reference_label(reference: Reference) -> str:
    """Short text naming a reference: "Life Line Services, “Title”, p28" or a publication's citation."""
    if reference.publication is not None:
        return reference.publication.citation
    assert reference.source is not None
    key = reference.key
    span = f"p{key.first}" if key.first == key.last else f"p{key.first}–p{key.last}"
    return f"{reference.source.publisher}, “{reference.source.title}”, {span}"


def sitemap(site: Site) -> str:
    """`sitemap.xml`: topic, special and source pages (no draft), with review dates where known."""
    entries: list[tuple[str, dt.date | None]] = [(p.url, p.reviewed) for p in site.pages if not p.draft]
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
