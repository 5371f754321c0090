"""`sitegen theme copy`: the default theme's templates and static files copied into the project, to
change freely (the project's files override the theme's file by file)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import BuildError, Problem
from ..core.files import list_inputs
from ..render.bundled import ThemeFolders, default_theme


@dataclass(frozen=True)
class Copied:
    files: tuple[Path, ...]  # the files written, absolute
    replaced: int  # how many of them replaced a file of the project


def theme_files(theme: ThemeFolders) -> list[str]:
    """Every file of the theme, as a path relative to the folder that holds its templates/ and static/."""
    problems: list[Problem] = []
    names: list[str] = []
    for folder in (theme.templates, theme.static):
        listing = list_inputs(folder)
        problems += listing.problems
        names += [f"{folder.name}/{name}" for name in listing.files]
    if problems:
        raise BuildError(problems)
    return names


def copy_theme(root: Path, force: bool = False, theme: ThemeFolders | None = None) -> Copied:
    """Copy every file of `theme` (default: the default theme) into the project at `root`. Refused,
    with a problem at each, when any file would replace one of the project's, unless `force`."""
    theme = theme or default_theme()
    names = theme_files(theme)
    existing = [root / name for name in names if (root / name).exists() or (root / name).is_symlink()]
    if existing and not force:
        raise BuildError([Problem.at(path, 0, "exists: the theme's file was not copied over it (use --force to replace it)") for path in existing])
    for name in names:
        target = root / name
        _check_writable(target, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(theme.root / name, target)
    return Copied(tuple(root / name for name in names), len(existing))


def _check_writable(target: Path, root: Path) -> None:
    """Refuse to write `target` through a symbolic link (it, or a folder on its way in the project) or over a folder."""
    for path in (target, *target.relative_to(root).parents):
        entry = root / path
        if entry != root and entry.is_symlink():
            raise BuildError.at(entry, 0, "a symbolic link: the theme is copied only into the project's own folders; remove the link")
    if target.exists() and not target.is_file():
        raise BuildError.at(target, 0, "not a regular file: remove it, then copy the theme again")
