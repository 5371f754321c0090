"""Progress of a build as the engine reports it, for whoever shows it: the stage it is in and, for
work over many items, how many are done ("rendering 4,210/10,000 pages").

The engine never prints. Whoever runs a build hands `build` an observer; the pipeline names each
stage (`stage`) and `parallel_map`, the one loop every long per-item task goes through, counts its
items (`advanced`). Without an observer both do nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Step:
    """Where a build is: its stage, and how many of its `total` items are done (total 0: not counted)."""

    stage: str
    unit: str = ""
    done: int = 0
    total: int = 0

    def __str__(self) -> str:
        return f"{self.stage} {self.done:,}/{self.total:,} {self.unit}".rstrip() if self.total else self.stage


Observer = Callable[[Step], None]

_current: ContextVar[tuple[Observer, Step] | None] = ContextVar("sitegen_progress", default=None)


@contextmanager
def reporting_to(observer: Observer | None) -> Iterator[None]:
    """Within this block, the stages and counts of the build go to `observer` (None: nowhere)."""
    token = _current.set((observer, Step("starting")) if observer is not None else None)
    try:
        yield
    finally:
        _current.reset(token)


def stage(name: str, unit: str = "") -> None:
    """The build enters stage `name`; the items it counts, if any, are `unit` ("pages")."""
    current = _current.get()
    if current is not None:
        observer, _ = current
        step = Step(name, unit)
        _current.set((observer, step))
        observer(step)


def advanced(done: int, total: int) -> None:
    """`done` of the `total` items of the current stage are done."""
    current = _current.get()
    if current is not None:
        observer, step = current
        observer(replace(step, done=done, total=total))
