"""Where a theme's files are: the default theme that ships in the package, and a project's own
`templates/` and `static/`, which override it file by file.

An installed sitegen carries the default theme as package data (`sitegen/default_theme/`, see
setup.py); run from its source tree (an editable install, a checkout on the path) it is the tree's
own top-level `templates/` and `static/`, the theme's source."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..core.errors import BuildError
from ..core.layout import STATIC_FOLDER, TEMPLATES_FOLDER

INSTALLED_FOLDER = "default_theme"  # inside the package


@dataclass(frozen=True)
class ThemeFolders:
    """A theme's `templates/` and `static/`, in the folder `root` that holds them (nothing outside it is read)."""

    root: Path

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_FOLDER

    @property
    def static(self) -> Path:
        return self.root / STATIC_FOLDER


def default_theme() -> ThemeFolders:
    """The default theme of this installation of sitegen."""
    package = Path(str(resources.files("sitegen")))
    installed = package / INSTALLED_FOLDER
    if installed.is_dir():
        return ThemeFolders(installed)
    source_tree = package.parent
    if (source_tree / "setup.py").is_file() and (source_tree / TEMPLATES_FOLDER).is_dir():
        return ThemeFolders(source_tree)
    raise BuildError.at(installed, 0, "the default theme is missing from this installation of sitegen: reinstall sitegen")
