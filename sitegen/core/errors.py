"""The one error type of the engine: problems in the input, each pointing at a file and a line."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, at `path:line` (line 0 when no line applies)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


class BuildError(Exception):
    """Raised with every problem found, so an editor can fix them all in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(dict.fromkeys(problems))  # once each, even when many pages share a broken template
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[BuildError], tuple[tuple[Problem, ...]]]:
        return (BuildError, (self.problems,))  # pickles whole, from a worker process

    @classmethod
    def at(cls, path: str | Path, line: int, message: str) -> BuildError:
        return cls([Problem(display_path(path), line, message)])


def display_path(path: str | Path) -> str:
    """A path as shown to users: relative to the working folder when it lies inside it. A symbolic
    link is named by its own path, never by its target's."""
    p = Path(path)
    for where, folder in ((Path(os.path.abspath(p)), Path(os.path.abspath(Path.cwd()))), (p.parent.resolve() / p.name, Path.cwd().resolve())):
        try:
            return where.relative_to(folder).as_posix()
        except ValueError:
            continue
    return p.as_posix()


class Problems:
    """Collects problems across a stage and raises them together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str | Path, line: int, message: str) -> None:
        self.items.append(Problem(display_path(path), line, message))

    def extend(self, error: BuildError) -> None:
        self.items.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildError(self.items)
