"""`new`: a new project from the scaffold kept in this package (`scaffold/`): settings with every
key explained, a home page and a topic page citing an example seed, that seed and its entry in
`sources.yaml`, an empty glossary and bibliography that show their format, and a `.gitignore`.
The theme is not copied: a project without `templates/` and `static/` uses the bundled one."""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ..core.errors import BuildError

SCAFFOLD = files(__package__) / "scaffold"
# Package data keeps no hidden files reliably: these are stored under a visible name.
_HIDDEN_NAMES = {"gitignore": ".gitignore"}


def scaffold_files() -> dict[str, bytes]:
    """The files of a new project, by their path in it (POSIX), with their bytes."""
    found: dict[str, bytes] = {}
    _collect(SCAFFOLD, "", found)
    return found


def _collect(folder: Traversable, prefix: str, found: dict[str, bytes]) -> None:
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            _collect(entry, f"{prefix}{entry.name}/", found)
        else:
            found[prefix + _HIDDEN_NAMES.get(entry.name, entry.name)] = entry.read_bytes()


def new_project(folder: Path) -> list[str]:
    """Write a new project into `folder` (created when missing; refused when it holds anything);
    the paths written, relative to it, in order."""
    if os.path.lexists(folder) and not folder.is_dir():
        raise BuildError.at(folder, 0, "is not a folder: give the name of a new folder for the project")
    if folder.is_dir() and any(folder.iterdir()):
        raise BuildError.at(folder, 0, "folder is not empty: give a new or empty folder, so that no file of yours is overwritten")
    written = sorted(scaffold_files().items())
    folder.mkdir(parents=True, exist_ok=True)
    for relative, data in written:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as stream:  # never replaces a file that appeared meanwhile
            stream.write(data)
    return [relative for relative, _ in written]
