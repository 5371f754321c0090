"""The one error type of the engine: problems in the input, each pointing at a file and a line.

A problem names its file by an absolute path from the moment it is made, so the same input gives
the same problem whichever folder the build runs from. Only the command line shows it otherwise:
`shown` names the file relative to the working folder when it lies inside it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .records import compact


@compact
@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One thing wrong with the input, at `path:line` (line 0 when no line applies).

    `path` is the absolute POSIX path of the file or folder at fault (see `Problem.at`); a problem
    about no file at all (an environment variable) is named by what it is about instead."""

    path: str
    line: int
    message: str

    @classmethod
    def at(cls, path: str | Path, line: int, message: str) -> Problem:
        """A problem in the file `path`, named by its absolute path (a link by its own, never its target's)."""
        return cls(absolute_path(path), line, message)

    def __str__(self) -> str:
        return _format(self.path, self.line, self.message)


class BuildError(Exception):
    """Raised with every problem found, so an editor can fix them all in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(dict.fromkeys(problems))  # once each, even when many pages share a broken template
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[BuildError], tuple[tuple[Problem, ...]]]:
        return (BuildError, (self.problems,))  # pickles whole, from a worker process

    @classmethod
    def at(cls, path: str | Path, line: int, message: str) -> BuildError:
        return cls([Problem.at(path, line, message)])


def absolute_path(path: str | Path) -> str:
    """`path` made absolute against the working folder, as a POSIX path; symbolic links are not followed."""
    return Path(os.path.abspath(path)).as_posix()


def display_path(path: str | Path) -> str:
    """A path as shown to users: relative to the working folder when it lies inside it. A symbolic
    link is named by its own path, never by its target's. A name that is not a path (an environment
    variable) is shown as it is."""
    if not os.path.isabs(path):
        return Path(path).as_posix()
    p = Path(os.path.abspath(path))
    for where, folder in ((p, Path(os.path.abspath(Path.cwd()))), (p.parent.resolve() / p.name, Path.cwd().resolve())):
        try:
            return where.relative_to(folder).as_posix()
        except ValueError:
            continue
    return p.as_posix()


def shown(problem: Problem) -> str:
    """`problem` as the command line prints it: `path:line: message`, its path as `display_path` shows it."""
    return _format(display_path(problem.path), problem.line, problem.message)


def shown_all(problems: Iterable[Problem]) -> list[str]:
    """Each of `problems` as `shown` gives it, the display path of each file worked out once (a
    page with thousands of findings names the same file thousands of times)."""
    paths: dict[str, str] = {}
    lines: list[str] = []
    for problem in problems:
        path = paths.get(problem.path)
        if path is None:
            path = paths[problem.path] = display_path(problem.path)
        lines.append(_format(path, problem.line, problem.message))
    return lines


def _format(path: str, line: int, message: str) -> str:
    return f"{path}:{line}: {message}" if line else f"{path}: {message}"


class Problems:
    """Collects problems across a stage and raises them together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str | Path, line: int, message: str) -> None:
        self.items.append(Problem.at(path, line, message))

    def extend(self, error: BuildError) -> None:
        self.items.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildError(self.items)
