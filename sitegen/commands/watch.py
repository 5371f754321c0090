"""Watch: a livereload watcher driven by operating-system file events (`watchfiles`), not polling.

livereload's `Server` talks to its watcher through a small interface (livereload/watcher.py):
`watch(path, func, delay, ignore)` registers a task; `start(callback)` starts watching and returns
True when the watcher calls `callback` itself on changes (otherwise livereload polls `examine` every
0.8 s); `examine()` runs the tasks whose paths changed and returns `(changed path, delay)`; the
server also reads `_tasks`, `_changes` and `filepath`.

Changes arrive from `watchfiles` in background threads. A burst (an editor's write-then-rename, a
`git checkout`) arrives as one batch, and whatever changes while a task runs is gathered into the
next batch, so a burst gives one run of each task, never one run per file.
"""

from __future__ import annotations

import inspect
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

import watchfiles
from tornado.ioloop import IOLoop

STEP_MS = 20  # a batch ends after this long without a new change...
DEBOUNCE_MS = 1600  # ...or after this long in all


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class FileWatcher:
    """livereload's watcher interface on `watchfiles`.

    A task function that returns `False` means "nothing visible changed": `examine` then reports no
    change and livereload sends no reload. Any other return value (livereload's own tasks return
    None) reloads the browser.
    """

    def __init__(self, step_ms: int = STEP_MS, debounce_ms: int = DEBOUNCE_MS) -> None:
        self._tasks: dict[str, dict[str, Any]] = {}
        self._changes: list[tuple[str, float]] = []  # livereload's serve() queues a restart notice here; not needed
        self.filepath: str | None = None
        self._step_ms = step_ms
        self._debounce_ms = debounce_ms
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def watch(self, path: str, func: Callable[..., object] | None = None, delay: float | str | None = None,
              ignore: Callable[[str], bool] | None = None) -> None:
        """Run `func` (with the list of changed paths, if it takes an argument) when anything under `path` changes."""
        self._tasks[os.path.abspath(path)] = {"func": func, "delay": delay, "ignore": ignore}

    def start(self, callback: Callable[[], object]) -> bool:
        """Start watching; `callback` is run on the current IOLoop after each batch of changes."""
        loop = IOLoop.current()
        folders = sorted(p for p in self._tasks if os.path.isdir(p))
        # A single file is watched through its folder, not recursively: editors replace files by
        # renaming, which ends a watch on the file itself.
        parents = sorted({os.path.dirname(p) for p in self._tasks if not os.path.isdir(p)} - set(folders))
        for paths, recursive in ((folders, True), (parents, False)):
            existing = [p for p in paths if os.path.isdir(p)]
            if existing:
                thread = threading.Thread(
                    target=self._run, args=(existing, recursive, lambda: loop.add_callback(callback)),
                    name="sitegen-watch", daemon=True,
                )
                thread.start()
                self._threads.append(thread)
        return True

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)

    def _run(self, paths: list[str], recursive: bool, notify: Callable[[], None]) -> None:
        default = watchfiles.DefaultFilter()

        def wanted(change: watchfiles.Change, path: str) -> bool:
            return default(change, path) and any(_within(path, task) for task in self._tasks)

        for changes in watchfiles.watch(
            *paths, watch_filter=wanted, debounce=self._debounce_ms, step=self._step_ms,
            stop_event=self._stop, recursive=recursive, raise_interrupt=False,
        ):
            with self._lock:
                self._pending.update(path for _, path in changes)
            notify()

    def examine(self) -> tuple[str | None, float | None]:
        """Run each task once for every change gathered since the last call."""
        self._changes.clear()
        with self._lock:
            changed, self._pending = self._pending, set()
        self.filepath = None
        if not changed:
            return None, None
        runs: dict[int, tuple[Callable[..., object] | None, list[str]]] = {}
        delays: list[float] = []
        for folder, task in self._tasks.items():
            ignore = task["ignore"]
            hits = sorted(p for p in changed if _within(p, folder) and not (ignore and ignore(p)))
            if not hits:
                continue
            func = task["func"]
            runs.setdefault(id(func), (func, []))[1].extend(hits)
            if isinstance(task["delay"], int | float):
                delays.append(float(task["delay"]))
        reload = False
        for func, paths in runs.values():
            reload = _run_task(func, sorted(set(paths))) or reload
        if not runs or not reload:
            return None, None
        self.filepath = _reload_path(changed)
        return self.filepath, max(delays) if delays else None


def _run_task(func: Callable[..., object] | None, paths: list[str]) -> bool:
    if func is None:
        return True
    takes_paths = bool(inspect.signature(func).parameters)
    return (func(paths) if takes_paths else func()) is not False


def _reload_path(changed: Iterable[str]) -> str:
    """The path named in the reload message. livereload.js reloads only stylesheets or images
    when it names a .css or image file, but a changed asset gets a new fingerprinted name, so the
    page itself must reload: those are reported as "*" (reload the page)."""
    first = min(changed)
    return "*" if first.lower().endswith((".css", ".css.map", ".png", ".jpg", ".jpeg", ".gif")) else first
