"""A Pagefind that stops while it is being sent the pages is reported by its exit status and its
last error line, whether it stopped before or after it stopped reading."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.core.errors import BuildError
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.write import pagefind_service
from tests.projects import page

FAKE_SERVICE = """\
import base64, json, os, sys, time
request = b""
while not request.endswith(b","):  # the request for a new index
    request += os.read(0, 1)
answer = {"message_id": 1, "payload": {"type": "NewIndex", "index_id": 1}}
sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
sys.stdout.flush()
os.close(0)  # reads no page
sys.stderr.write("Error: no more input\\n")
sys.stderr.flush()
time.sleep(0.3)
sys.exit(4)
"""


def test_a_pagefind_that_stops_reading_then_exits_is_reported_by_its_exit_status(
    make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    long_text = "Editorial words of some length. " * 100
    pages = {f"page-{number}.md": page(f"Page {number}", long_text + "\n", order=number, statements="editorial") for number in range(1, 60)}
    root = make_project({"index.md": page("Home", "Welcome [@001:p2] and a fact [@001:p4].\n"), **pages})  # more than a pipe holds
    failing = tmp_path / "pagefind"
    failing.write_text(f"#!{sys.executable}\n{FAKE_SERVICE}", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_service, "pagefind_executable", lambda: failing)
    with pytest.raises(BuildError) as caught:
        build(root, Memo.off(), out_dir=tmp_path / "out", search=True)
    assert "search index not built: pagefind failed: it stopped (exit status 4): Error: no more input" in str(caught.value)
