"""What a long build shows on a terminal while it runs: its stage and count ("rendering 4,210/10,000
pages"), on one line of standard error that is cleared when the build ends, so the command's last
line keeps its form. It appears only once the build has run for `DELAY` seconds, only when standard
error is a terminal, and never with `--quiet`.

The display is redrawn from the build's own reports (at most `REDRAWS_PER_SECOND` times), with no
thread of its own: a build forks its workers only from a process with one thread.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from ..core.progress import Observer, Step

DELAY = 2.0  # seconds a build runs before its progress is shown
REDRAWS_PER_SECOND = 10


class TerminalProgress:
    """An observer that shows the latest step on `console` (a rich Console), once `delay` seconds have passed."""

    def __init__(self, console: Any, delay: float = DELAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.console, self.delay, self.clock = console, delay, clock
        self.started = clock()
        self.drawn_at = float("-inf")
        self.live: Any = None

    def __call__(self, step: Step) -> None:
        now = self.clock()
        too_soon = now - self.started < self.delay
        throttled = now - self.drawn_at < 1 / REDRAWS_PER_SECOND and step.done != step.total  # a new stage (total 0) or its end is always drawn
        if too_soon or throttled:
            return
        if self.live is None:
            from rich.live import Live

            self.live = Live(console=self.console, auto_refresh=False, transient=True, redirect_stdout=False, redirect_stderr=False)
            self.live.start()
        from rich.text import Text

        self.live.update(Text(f"{step}…" if not step.total else str(step)), refresh=True)
        self.drawn_at = now

    def close(self) -> None:
        """Clear the line, if one was drawn."""
        if self.live is not None:
            self.live.stop()
            self.live = None


@contextmanager
def progress_on(stream: IO[str], quiet: bool) -> Iterator[Observer | None]:
    """An observer showing progress on `stream`, or None when `quiet` or when `stream` is not a terminal."""
    if quiet or not stream.isatty():
        yield None
        return
    from rich.console import Console  # loaded only when a terminal will show progress

    shown = TerminalProgress(Console(file=stream, highlight=False), delay=DELAY)
    try:
        yield shown
    finally:
        shown.close()


def stderr_progress(quiet: bool) -> Any:
    """`progress_on` standard error, as it is when the command runs."""
    return progress_on(sys.stderr, quiet)
