"""The theme: the default theme's templates and static assets, overridden file by file by the
project's own `templates/` and `static/` (see `bundled`); templates compiled by Jinja2 (autoescaping,
strict about undefined names); kept in the memo's process state while the files of both are
unchanged, with compiled templates in the cache folder."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..core.errors import BuildError, Problems
from ..core.files import list_inputs, read_text
from ..dialect.data import inline_markdown, plain_text
from ..incremental.memo import Memo, digest, files_digest
from ..load.settings import Settings
from .assets import Assets, load_assets
from .bundled import ThemeFolders, default_theme


@dataclass(frozen=True)
class Theme:
    """Compiled templates and static assets: the project's, and the default theme's where it has none."""

    env: jinja2.Environment
    assets: Assets
    templates_dir: Path  # the project's
    bundled: ThemeFolders

    @property
    def template_dirs(self) -> tuple[Path, Path]:
        """Where templates are looked up, in order: the project's `templates/`, then the default theme's."""
        return self.templates_dir, self.bundled.templates


def load_theme(project: ThemeFolders, bundled: ThemeFolders, bytecode_cache: jinja2.BytecodeCache | None = None) -> Theme:
    """Templates (compiled on first use; `bytecode_cache` keeps compiled code between runs) and static
    assets: the project's, and the default theme's for every name the project has none of."""
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.ChoiceLoader([ProjectLoader(project.templates), ProjectLoader(bundled.templates)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = _format_date
    env.filters["plain"] = plain_text
    env.filters["inline_markdown"] = lambda text: jinja2.utils.markupsafe.Markup(inline_markdown(text))
    _check_templates_are_text(project.templates)
    _check_templates_are_text(bundled.templates)
    return Theme(env, load_assets(bundled.static, project.static), project.templates, bundled)


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
    """Templates from a `templates/` folder (the project's, or the default theme's), read as every input
    is (`files.read_input_bytes`): never through a link out of the folder that holds it, never from a FIFO or device."""

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


def theme_for(settings: Settings, memo: Memo, bundled: ThemeFolders | None = None) -> tuple[Theme, str]:
    """The project's theme over `bundled` (default: the default theme) and a digest of the files of
    both: the theme of the previous build while they are unchanged."""
    bundled = bundled or default_theme()
    project = ThemeFolders(settings.root)
    key = digest(files_digest((project.templates, project.static), project.root), files_digest((bundled.templates, bundled.static), bundled.root))
    known: dict[str, Theme] = memo.kept("render.theme", dict)
    theme = known.get(key)
    if theme is None:
        known.clear()
        theme = known[key] = load_theme(project, bundled, memo.bytecode_cache())
    return theme, key


def _format_date(value: dt.date | None, style: str = "long") -> str:
    if value is None:
        return ""
    if style == "iso":
        return value.isoformat()
    return f"{value.day} {value.strftime('%B')} {value.year}"


