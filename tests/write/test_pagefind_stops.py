"""A Pagefind that stops while it is being sent the pages is reported by its exit status and its
last error line, whether it stopped before or after it stopped reading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.write import pagefind_service
from tests.projects import page


def test_a_pagefind_that_stops_reading_then_exits_is_reported_by_its_exit_status(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_project({"index.md": page("Home", "Welcome [@001:p2].\n"), "topic.md": page("A topic", "A fact [@001:p4].\n", order=1)})
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\nexec 0<&-\necho 'Error: no input' >&2\nsleep 0.3\nexit 4\n", encoding="utf-8")  # closes its input at once
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_service, "pagefind_executable", lambda: failing)
    with pytest.raises(BuildError) as caught:
        build(root, Memo.off(), out_dir=tmp_path / "out", search=True)
    assert "search index not built: pagefind failed: it stopped (exit status 4): Error: no input" in str(caught.value)
