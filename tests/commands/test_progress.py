"""Progress on long work: the build reports its stages and counts to an observer, a terminal shows
them (after a delay, on one line cleared at the end), and nothing shows when standard error is not a
terminal or with --quiet."""

from __future__ import annotations

import io
import os
import pty
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from projects import page
from rich.console import Console

from sitegen.commands import progress
from sitegen.commands.cli import main
from sitegen.commands.progress import TerminalProgress, progress_on
from sitegen.core.progress import Step
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build

PAGES = {"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": page("A topic", "A fact [@001:p4].\n", order=1)}


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def steps_of(root: Path) -> list[str]:
    seen: list[Step] = []
    build(root, Memo.off(), write=False, progress=seen.append)
    return [str(step) for step in seen]


def test_the_build_reports_its_stages_in_order(make_project: Callable[..., Path]) -> None:
    stages = [step for step in steps_of(make_project(PAGES)) if " " not in step]
    assert stages == ["loading", "converting", "rendering", "checking"]


def test_the_build_counts_the_pages_it_renders(make_project: Callable[..., Path]) -> None:
    rendered = [step for step in steps_of(make_project(PAGES)) if step.startswith("rendering ")]
    total = rendered[-1].split("/")[1].split()[0]
    assert rendered == [f"rendering {done}/{total} pages" for done in range(1, int(total) + 1)]


def test_a_step_shows_its_count_with_thousands_separators() -> None:
    assert str(Step("rendering", "pages", 4210, 10000)) == "rendering 4,210/10,000 pages"


def test_a_terminal_shows_the_latest_step_once_the_delay_has_passed() -> None:
    out = io.StringIO()
    now = [0.0]
    shown = TerminalProgress(Console(file=out, force_terminal=True, width=80), delay=2.0, clock=lambda: now[0])
    shown(Step("rendering", "pages", 1, 10))
    assert out.getvalue() == ""
    now[0] = 2.5
    shown(Step("rendering", "pages", 10, 10))
    assert "rendering 10/10 pages" in out.getvalue()


def test_the_progress_line_is_cleared_when_the_build_ends() -> None:
    out = io.StringIO()
    shown = TerminalProgress(Console(file=out, force_terminal=True, width=80), delay=0)
    shown(Step("checking", "files", 3, 3))
    shown.close()
    assert out.getvalue().endswith("\x1b[2K")  # the line erased


def test_no_progress_when_the_stream_is_not_a_terminal() -> None:
    with progress_on(io.StringIO(), quiet=False) as observer:
        assert observer is None


def test_no_progress_with_quiet_even_on_a_terminal() -> None:
    with progress_on(FakeTerminal(), quiet=True) as observer:
        assert observer is None


def build_on_a_pseudo_terminal(root: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> tuple[int, bytes]:
    """`build` of `root` with its standard error on a pseudo-terminal and no delay: the exit code and what the terminal got."""
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setenv("TERM", "xterm")
    leader, follower = pty.openpty()
    terminal = os.fdopen(follower, "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stderr", terminal)
    try:
        code = main(["--project", str(root), "build", "--no-search", *options])
        terminal.flush()
        os.set_blocking(leader, False)
        try:
            received = os.read(leader, 1 << 20)
        except BlockingIOError:
            received = b""
    finally:
        terminal.close()
        os.close(leader)
    return code, received


def test_a_build_shows_its_progress_on_a_pseudo_terminal(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    code, received = build_on_a_pseudo_terminal(make_project(PAGES), monkeypatch)
    assert code == 0
    assert b"rendering " in received and b" pages" in received


def test_a_quiet_build_shows_nothing_on_a_pseudo_terminal(make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    code, received = build_on_a_pseudo_terminal(make_project(PAGES), monkeypatch, "--quiet")
    assert (code, received) == (0, b"")


def test_a_build_whose_stderr_is_not_a_terminal_prints_no_progress(
    make_project: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    code = main(["--project", str(make_project(PAGES)), "build", "--no-search"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert captured.out.startswith("built ")  # the final line keeps its form


def test_the_terminal_display_starts_no_thread_so_builds_still_fork_their_workers() -> None:
    before = threading.active_count()
    shown = TerminalProgress(Console(file=io.StringIO(), force_terminal=True), delay=0)
    shown(Step("rendering", "pages", 1, 10))
    try:
        assert threading.active_count() == before
    finally:
        shown.close()
