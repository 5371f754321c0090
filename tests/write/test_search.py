"""The search step: Pagefind indexes the staged site before it goes live, deterministically; a
failing index leaves the previous site; `build --no-search` skips it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.core.errors import BuildError
from sitegen.pipeline import build
from sitegen.write import search
from sitegen.write.search import BUNDLE_DIR, UNUSED_FILES, index_site

pytest.importorskip("pagefind", reason="pip install 'pagefind[extended]'")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_with_search_writes_the_pagefind_bundle(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, out_dir=tmp_path / "out", before_swap=index_site)
    bundle = tmp_path / "out" / BUNDLE_DIR
    assert (bundle / "pagefind.js").is_file()
    assert any((bundle / "fragment").iterdir())


def test_unused_pagefind_interfaces_are_left_out(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, out_dir=tmp_path / "out", before_swap=index_site)
    assert [name for name in UNUSED_FILES if (tmp_path / "out" / BUNDLE_DIR / name).exists()] == []


def test_two_builds_with_search_are_byte_identical(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, out_dir=tmp_path / "one", before_swap=index_site)
    build(root, out_dir=tmp_path / "two", before_swap=index_site)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_failing_index_leaves_the_previous_site(make_project: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project()
    out = tmp_path / "out"
    build(root, out_dir=out)
    before = _files(out)
    monkeypatch.setattr(search, "pagefind_command", lambda: [sys.executable, "-c", "raise SystemExit('Error: the index broke')"])
    with pytest.raises(BuildError) as caught:
        build(root, out_dir=out, before_swap=index_site)
    assert "search index not built: pagefind failed: Error: the index broke" in str(caught.value)
    assert _files(out) == before


def test_build_no_search_writes_no_index(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    assert main(["--project", str(root), "build", "--no-search", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (tmp_path / "out" / BUNDLE_DIR).exists()


def test_build_indexes_by_default(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    assert main(["--project", str(root), "build", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / BUNDLE_DIR / "pagefind.js").is_file()
