"""The search step: Pagefind indexes the site before it goes live, deterministically; `build
--no-search` skips it (a failing index: tests/write/test_search_reuse.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.commands.cli import main
from sitegen.incremental.memo import Memo
from sitegen.pipeline import build
from sitegen.write.search import BUNDLE_DIR, UNUSED_FILES

pytest.importorskip("pagefind", reason="pip install 'pagefind[extended]'")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_with_search_writes_the_pagefind_bundle(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, out_dir=tmp_path / "out", search=True)
    bundle = tmp_path / "out" / BUNDLE_DIR
    assert (bundle / "pagefind.js").is_file()
    assert any((bundle / "fragment").iterdir())


def test_unused_pagefind_interfaces_are_left_out(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, out_dir=tmp_path / "out", search=True)
    assert [name for name in UNUSED_FILES if (tmp_path / "out" / BUNDLE_DIR / name).exists()] == []


def test_two_builds_with_search_are_byte_identical(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    build(root, Memo.off(), out_dir=tmp_path / "one", search=True)
    build(root, Memo.off(), out_dir=tmp_path / "two", search=True)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_build_no_search_writes_no_index(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    assert main(["--project", str(root), "build", "--no-search", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()
    assert not (tmp_path / "out" / BUNDLE_DIR).exists()


def test_build_indexes_by_default(make_project: Callable[..., Path], tmp_path: Path) -> None:
    root = make_project()
    assert main(["--project", str(root), "build", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / BUNDLE_DIR / "pagefind.js").is_file()
