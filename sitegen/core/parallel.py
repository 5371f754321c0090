"""Spreading independent per-page work (Markdown conversion, rendering) over the machine's cores.

Worker processes are forked from the building process, so they start with everything it holds
(the resolved site, the compiled templates) and only results travel back, pickled, a hundred at a time. Forking is used
only where it is safe and pays off: on Linux, from a process with no other thread (a dev server
has several, and its rebuilds are small anyway), and for batches large enough to repay the start of
the workers (about 10 ms each). Anywhere else the work runs in this process, with the same results.

`SITEGEN_WORKERS` sets the number of processes (1: never fork); the default is the number of
cores this process may use.
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .progress import advanced

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 48  # below this, starting a worker costs more than it saves
ITEMS_PER_RESULT = 100  # a worker hands back its results this many at a time: one pickle of them all would be held twice, whole

_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what forked workers run, inherited by fork


def worker_count() -> int:
    """Processes to use: `SITEGEN_WORKERS`, else the cores this process may run on."""
    configured = os.environ.get("SITEGEN_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def processes_for(count: int) -> int:
    """How many processes a batch of `count` items is worth (1: stay in this process)."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    import multiprocessing  # here, not at the top: most builds never fork, and the import costs start-up time

    if multiprocessing.current_process().daemon:
        return 1
    return max(1, min(worker_count(), count // MIN_ITEMS_PER_WORKER))


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    """`[function(item) for item in items]`, in order, over several processes when that pays off.

    `function` must not raise (return problems as values) and its results must pickle. Each item
    done in this process, and each slice a worker hands back, is counted as progress.
    """
    processes = processes_for(len(items))
    if processes == 1:
        return _counted(function, items, 0, len(items))
    import multiprocessing

    global _work
    bounds = [len(items) * part // processes for part in range(processes + 1)]
    slices = [part for start, end in itertools.pairwise(bounds[1:]) for part in _parts(start, end)]  # the slice before them is this process's own
    _work = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(processes - 1) as pool:
            pending = pool.imap(_run_slice, slices, chunksize=1)
            results = _counted(function, items[: bounds[1]], 0, len(items))
            for part in pending:
                results.extend(part)
                advanced(len(results), len(items))
    finally:
        _work = None
    return results


def _parts(start: int, end: int) -> list[tuple[int, int]]:
    """The range `start`..`end` in parts of at most `ITEMS_PER_RESULT`, in order."""
    return [(part, min(part + ITEMS_PER_RESULT, end)) for part in range(start, end, ITEMS_PER_RESULT)]


def _counted(function: Callable[[Item], Result], items: Sequence[Item], before: int, total: int) -> list[Result]:
    """`[function(item) for item in items]`, each one counted as done (after `before` others, of `total`)."""
    results = []
    for item in items:
        results.append(function(item))
        advanced(before + len(results), total)
    return results


def _run_slice(bounds: tuple[int, int]) -> list[Any]:
    assert _work is not None, "a worker runs only in a process forked by parallel_map"
    function, items = _work
    start, end = bounds
    return [function(items[index]) for index in range(start, end)]
